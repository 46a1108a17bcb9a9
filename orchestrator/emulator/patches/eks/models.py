"""What this package keeps on moto's EKS models, and the lookups that answer AWS's not-found errors.

The state lives as attributes of moto's own objects, so it goes with its cluster, node group or
add-on: a cluster's `orch_access_entries` (principal ARN -> access entry, its associated policies
under "policies"), `orch_addons` (name -> AddonRecord) and `orch_pod_identity_associations`
(association id -> association); the `orch_updates` of a cluster, node group or add-on. Clusters
also get the fields moto's Cluster lacks (clusters.py sets them): `access_config`,
`upgrade_policy`, `orch_bootstrap_admin`, `orch_bootstrap_self_managed_addons` and the optional
configurations of UpdateClusterConfig.
"""

from __future__ import annotations

from typing import Any, cast

from moto.eks.models import CLUSTER_NOT_FOUND_MSG, NODEGROUP_NOT_FOUND_MSG

from orchestrator.emulator.patches.eks.api import raise_error


class AddonRecord(dict[str, Any]):
    """An add-on's fields, plus its updates (DescribeUpdate/ListUpdates with addonName)."""


def _attached(owner: Any, attr: str, empty: Any) -> Any:
    if not hasattr(owner, attr):
        setattr(owner, attr, empty)
    return getattr(owner, attr)


def access_entries(cluster: Any) -> dict[str, dict[str, Any]]:
    return cast("dict[str, dict[str, Any]]", _attached(cluster, "orch_access_entries", {}))


def addons(cluster: Any) -> dict[str, AddonRecord]:
    return cast("dict[str, AddonRecord]", _attached(cluster, "orch_addons", {}))


def pod_identity_associations(cluster: Any) -> dict[str, dict[str, Any]]:
    return cast("dict[str, dict[str, Any]]", _attached(cluster, "orch_pod_identity_associations", {}))


def updates(owner: Any) -> list[dict[str, Any]]:
    """The updates of a cluster, node group or add-on, oldest first."""
    return cast("list[dict[str, Any]]", _attached(owner, "orch_updates", []))


def authentication_mode(cluster: Any) -> str:
    return str((getattr(cluster, "access_config", None) or {}).get("authenticationMode", "CONFIG_MAP"))


def find_cluster(backend: Any, name: str) -> Any:
    cluster = backend.clusters.get(name)
    if cluster is None:
        raise_error("ResourceNotFoundException", CLUSTER_NOT_FOUND_MSG.format(clusterName=name), clusterName=name)
    return cluster


def find_nodegroup(backend: Any, cluster_name: str, nodegroup_name: str) -> Any:
    nodegroup = find_cluster(backend, cluster_name).nodegroups.get(nodegroup_name)
    if nodegroup is None:
        raise_error(
            "ResourceNotFoundException",
            NODEGROUP_NOT_FOUND_MSG.format(nodegroupName=nodegroup_name),
            clusterName=cluster_name,
            nodegroupName=nodegroup_name,
        )
    return nodegroup


def find_addon(backend: Any, cluster_name: str, addon_name: str) -> AddonRecord:
    addon = addons(find_cluster(backend, cluster_name)).get(addon_name)
    if addon is None:
        raise_error(
            "ResourceNotFoundException",
            f"No addon: {addon_name} found in cluster: {cluster_name}",
            clusterName=cluster_name,
            addonName=addon_name,
        )
    return addon
