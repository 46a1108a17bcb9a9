"""Updates: what every UpdateX call answers, and DescribeUpdate/ListUpdates, which moto lacks.

Why: the AWS provider waits on DescribeUpdate after every update. What AWS does over minutes happens
at once here: an UpdateX call answers its update InProgress and DescribeUpdate finds it Successful.
"""

from __future__ import annotations

import json
from typing import Any

from moto.core.responses import ActionResult
from moto.eks.responses import EKSResponse

from orchestrator.emulator.patches.eks.api import new_uuid, now, page, query, raise_error
from orchestrator.emulator.patches.eks.models import find_addon, find_cluster, find_nodegroup, updates


def update_param(kind: str, value: Any) -> dict[str, str]:
    return {"type": kind, "value": value if isinstance(value, str) else json.dumps(value)}


def record_update(owner: Any, update_type: str, params: list[dict[str, str]]) -> dict[str, Any]:
    """Store an update (Successful at once) and return the InProgress answer AWS gives the call."""
    update = {
        "id": new_uuid(),
        "status": "Successful",
        "type": update_type,
        "params": params,
        "createdAt": now(),
        "errors": [],
    }
    updates(owner).append(update)
    return {**update, "status": "InProgress"}


def _updates_owner(self: EKSResponse) -> Any:
    name = self._get_param("name")
    nodegroup_name = query(self, "nodegroupName")
    addon_name = query(self, "addonName")
    if nodegroup_name:
        return find_nodegroup(self.eks_backend, name, nodegroup_name)
    if addon_name:
        return find_addon(self.eks_backend, name, addon_name)
    return find_cluster(self.eks_backend, name)


def describe_update(self: EKSResponse) -> ActionResult:
    update_id = self._get_param("updateId")
    for update in updates(_updates_owner(self)):
        if update["id"] == update_id:
            return ActionResult({"update": update})
    raise_error(
        "ResourceNotFoundException", f"No update found for ID: {update_id}", clusterName=self._get_param("name")
    )


def list_updates(self: EKSResponse) -> ActionResult:
    ids = [u["id"] for u in updates(_updates_owner(self))]
    found, token = page(self, ids)
    return ActionResult({"updateIds": found, "nextToken": token})


def install() -> None:
    for function in (describe_update, list_updates):
        setattr(EKSResponse, function.__name__, function)
