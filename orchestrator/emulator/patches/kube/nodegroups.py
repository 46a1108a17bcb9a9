"""A node group's Nodes in its cluster, as its desired size says: registered by CreateNodegroup,
resized by UpdateNodegroupConfig, removed by DeleteNodegroup."""

from __future__ import annotations

import threading
import zlib
from typing import Any

from orchestrator.emulator.patches.kube.planes import plane

_nodes_lock = threading.Lock()
NODEGROUP_LABEL = "eks.amazonaws.com/nodegroup"


def install() -> None:
    from moto.core.responses import ActionResult
    from moto.eks.responses import EKSResponse

    original_create = EKSResponse.create_nodegroup
    original_update = EKSResponse.update_nodegroup_config
    original_delete = EKSResponse.delete_nodegroup

    def _sync(response: EKSResponse, *, gone: bool = False) -> None:
        backend = response.eks_backend
        p = plane(backend.account_id, backend.region_name, response._get_param("name"))
        if p is None:
            return
        name = response._get_param("nodegroupName")
        nodegroup = backend.clusters[response._get_param("name")].nodegroups.get(name)
        sync_nodes(p, name, None if gone or nodegroup is None else nodegroup)

    def create_nodegroup(self: EKSResponse) -> ActionResult:
        result = original_create(self)
        _sync(self)
        return result

    def update_nodegroup_config(self: EKSResponse) -> ActionResult:
        result = original_update(self)
        if self._get_param("scalingConfig"):
            _sync(self)
        return result

    def delete_nodegroup(self: EKSResponse) -> ActionResult:
        result = original_delete(self)
        _sync(self, gone=True)
        return result

    EKSResponse.create_nodegroup = create_nodegroup  # type: ignore[method-assign]  # replaces the eks patch's
    EKSResponse.update_nodegroup_config = update_nodegroup_config  # type: ignore[method-assign]  # the eks patch's
    EKSResponse.delete_nodegroup = delete_nodegroup  # type: ignore[method-assign]  # replaces moto's method


def sync_nodes(p: Any, name: str, nodegroup: Any | None) -> None:
    """The node group's Nodes as its desired size says (None: the group is gone): named like EC2
    nodes, labelled like EKS labels them (node group, capacity type, instance type, the group's
    labels) and tainted with its taints; kwok keeps them Ready."""
    from urllib.parse import quote

    from orchestrator.emulator.kube.plane import fake_node

    with _nodes_lock:  # node groups are created side by side
        code, answer = p.request("GET", "/api/v1/nodes?labelSelector=" + quote(f"{NODEGROUP_LABEL}={name}"))
        current = sorted(n["metadata"]["name"] for n in answer.get("items", [])) if code == 200 else []
        desired = 0
        if nodegroup is not None:
            desired = int((getattr(nodegroup, "scaling_config", None) or {}).get("desiredSize", 0) or 0)
        for extra in current[desired:]:
            p.request("DELETE", f"/api/v1/nodes/{extra}")
        if nodegroup is None or len(current) >= desired:
            return
        labels = {
            NODEGROUP_LABEL: name,
            "eks.amazonaws.com/capacityType": getattr(nodegroup, "capacity_type", None) or "ON_DEMAND",
            **{str(k): str(v) for k, v in (getattr(nodegroup, "labels", None) or {}).items()},
        }
        instance_types = getattr(nodegroup, "instance_types", None) or []
        if instance_types:
            labels["node.kubernetes.io/instance-type"] = instance_types[0]
        taints = [
            {
                "key": t["key"],
                "value": t.get("value", ""),
                "effect": _TAINT_EFFECTS.get(t.get("effect", ""), t.get("effect")),
            }
            for t in (getattr(nodegroup, "taints", None) or [])
            if t.get("key")
        ]
        group = zlib.crc32(name.encode()) % 250 + 1  # one "subnet" per group: names never collide
        taken, i = set(current), 0
        while len(taken) < desired:
            node_name = f"ip-10-{group}-{i // 250}-{i % 250 + 1}.ec2.internal"
            i += 1
            if node_name in taken:
                continue
            node = fake_node(node_name, labels)
            if taints:
                node["spec"]["taints"] = taints
            p.apply("/api/v1/nodes", node)
            taken.add(node_name)


_TAINT_EFFECTS = {"NO_SCHEDULE": "NoSchedule", "NO_EXECUTE": "NoExecute", "PREFER_NO_SCHEDULE": "PreferNoSchedule"}
