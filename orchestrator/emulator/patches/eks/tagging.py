"""Tags on every EKS resource: moto tags clusters only, and its UntagResource reads only the first
of the repeated tagKeys."""

from __future__ import annotations

from typing import Any, cast

from moto.core.responses import EmptyResult
from moto.eks.models import EKSBackend
from moto.eks.responses import EKSResponse

from orchestrator.emulator.patches.eks.api import raise_error
from orchestrator.emulator.patches.eks.models import access_entries, addons, pod_identity_associations

# The stores of the resources this package adds, each with the field that holds its ARN.
TAGGABLE_STORES = (
    (addons, "addonArn"),
    (access_entries, "accessEntryArn"),
    (pod_identity_associations, "associationArn"),
)


def _tags_of(backend: Any, arn: str) -> dict[str, str]:
    for cluster in backend.clusters.values():
        if cluster.arn == arn:
            return cast("dict[str, str]", cluster.tags)
        for nodegroup in cluster.nodegroups.values():
            if nodegroup.arn == arn:
                return cast("dict[str, str]", nodegroup.tags)
        for profile in cluster.fargate_profiles.values():
            if profile.fargate_profile_arn == arn:
                return cast("dict[str, str]", profile.tags)
        for store, key in TAGGABLE_STORES:
            for item in store(cluster).values():
                if item[key] == arn:
                    return cast("dict[str, str]", item["tags"])
    raise_error("NotFoundException", f"Resource was not found: {arn}")


def tag_resource(self: Any, resource_arn: str, tags: dict[str, str]) -> None:
    _tags_of(self, resource_arn).update(tags or {})


def untag_resource(self: Any, resource_arn: str, tag_keys: list[str]) -> None:
    found = _tags_of(self, resource_arn)
    for key in [tag_keys] if isinstance(tag_keys, str) else tag_keys or []:
        found.pop(key, None)


def list_tags_for_resource(self: Any, resource_arn: str) -> dict[str, str]:
    return _tags_of(self, resource_arn)


def untag_resource_response(self: EKSResponse) -> EmptyResult:
    # tagKeys is a repeated query parameter; moto's handler reads only its first value.
    self.eks_backend.untag_resource(self._extract_arn_from_path(), self.querystring.get("tagKeys") or [])
    return EmptyResult()


def install() -> None:
    EKSResponse.untag_resource = untag_resource_response  # type: ignore[method-assign]  # replaces moto's method
    EKSBackend.tag_resource = tag_resource  # type: ignore[method-assign]  # replaces moto's method
    EKSBackend.untag_resource = untag_resource  # type: ignore[method-assign]  # replaces moto's method
    EKSBackend.list_tags_for_resource = list_tags_for_resource  # type: ignore[method-assign]  # replaces moto's method
