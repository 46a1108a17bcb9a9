"""A control plane per EKS cluster: started by CreateCluster (the cluster then answers its endpoint
and CA), stopped by DeleteCluster."""

from __future__ import annotations

from typing import Any

from orchestrator.emulator.patches.kube.planes import forget, start_plane


def install() -> None:
    from moto.core.responses import ActionResult
    from moto.eks.responses import EKSResponse

    from orchestrator.emulator.kube.binaries import available

    original_create = EKSResponse.create_cluster
    original_delete = EKSResponse.delete_cluster

    def create_cluster(self: EKSResponse) -> ActionResult:
        result = original_create(self)
        if available():
            backend = self.eks_backend
            cluster: Any = backend.clusters[self._get_param("name")]
            try:
                start_plane(backend.account_id, backend.region_name, cluster)
            except Exception:
                backend.clusters.pop(cluster.name, None)
                raise
        return result

    def delete_cluster(self: EKSResponse) -> ActionResult:
        backend = self.eks_backend
        result = original_delete(self)
        forget(backend.account_id, backend.region_name, self._get_param("name"))
        return result

    EKSResponse.create_cluster = create_cluster  # type: ignore[method-assign]  # replaces the eks patch's
    EKSResponse.delete_cluster = delete_cluster  # type: ignore[method-assign]  # replaces moto's method
