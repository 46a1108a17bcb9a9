"""Pod identity associations (Create/Describe/List/Update/DeletePodIdentityAssociation), which moto
lacks. Add-ons create and own theirs (sync_addon_associations); the provider reads them back, and
an add-on's association can only be changed through its add-on, as on AWS.
"""

from __future__ import annotations

from typing import Any

from moto.core.responses import ActionResult
from moto.eks.responses import EKSResponse
from moto.moto_api._internal import mock_random

from orchestrator.emulator.patches.eks.api import now, page, query, raise_error
from orchestrator.emulator.patches.eks.models import find_cluster, pod_identity_associations
from orchestrator.emulator.patches.eks.principals import ROLE_ARN_RE

OWNED_BY_ADDON = "This Pod Identity Association is managed by an add-on; update the add-on instead."


def _new_association_id() -> str:
    return "a-" + mock_random.get_random_string(length=17, lower_case=True)


def create_association(
    backend: Any,
    cluster: Any,
    namespace: str,
    service_account: str,
    role_arn: str,
    tags: dict[str, str],
    owner_arn: str | None = None,
) -> dict[str, Any]:
    associations = pod_identity_associations(cluster)
    for existing in associations.values():
        if existing["namespace"] == namespace and existing["serviceAccount"] == service_account:
            raise_error(
                "ResourceInUseException",
                f"Association already exists: {existing['associationId']}",
                clusterName=cluster.name,
            )
    if not ROLE_ARN_RE.match(role_arn or ""):
        raise_error("InvalidParameterException", f"Invalid Role Arn: '{role_arn}'", clusterName=cluster.name)
    association_id = _new_association_id()
    created = now()
    association = {
        "clusterName": cluster.name,
        "namespace": namespace,
        "serviceAccount": service_account,
        "roleArn": role_arn,
        "associationArn": (
            f"arn:{backend.partition}:eks:{backend.region_name}:{backend.account_id}:podidentityassociation/"
            f"{cluster.name}/{association_id}"
        ),
        "associationId": association_id,
        "tags": dict(tags),
        "createdAt": created,
        "modifiedAt": created,
        "disableSessionTags": False,
    }
    if owner_arn:
        association["ownerArn"] = owner_arn
    associations[association_id] = association
    return association


def sync_addon_associations(
    backend: Any, cluster: Any, addon: dict[str, Any], wanted: list[dict[str, str]]
) -> list[str]:
    """The add-on's associations become `wanted` (serviceAccount -> roleArn); their ARNs."""
    associations = pod_identity_associations(cluster)
    namespace = (addon.get("namespaceConfig") or {}).get("namespace", "kube-system")
    owned = {a["serviceAccount"]: a for a in associations.values() if a.get("ownerArn") == addon["addonArn"]}
    wanted_roles = {w["serviceAccount"]: w["roleArn"] for w in wanted}
    for account, association in owned.items():
        if account not in wanted_roles:
            del associations[association["associationId"]]
    arns = []
    for account, role_arn in wanted_roles.items():
        if account in owned:
            owned[account]["roleArn"] = role_arn
            owned[account]["modifiedAt"] = now()
            arns.append(owned[account]["associationArn"])
        else:
            created = create_association(backend, cluster, namespace, account, role_arn, {}, addon["addonArn"])
            arns.append(created["associationArn"])
    return arns


def _find_association(self: EKSResponse) -> tuple[Any, dict[str, Any]]:
    cluster_name, association_id = self._get_param("name"), self._get_param("associationId")
    cluster = find_cluster(self.eks_backend, cluster_name)
    association = pod_identity_associations(cluster).get(association_id)
    if association is None:
        raise_error(
            "ResourceNotFoundException",
            f"No Pod Identity Association found with id {association_id}",
            clusterName=cluster_name,
        )
    return cluster, association


def create_pod_identity_association(self: EKSResponse) -> ActionResult:
    cluster = find_cluster(self.eks_backend, self._get_param("name"))
    association = create_association(
        self.eks_backend,
        cluster,
        self._get_param("namespace"),
        self._get_param("serviceAccount"),
        self._get_param("roleArn"),
        self._get_param("tags") or {},
    )
    for key in ("disableSessionTags", "targetRoleArn", "policy"):
        if self._get_param(key) is not None:
            association[key] = self._get_param(key)
    return ActionResult({"association": association})


def describe_pod_identity_association(self: EKSResponse) -> ActionResult:
    return ActionResult({"association": _find_association(self)[1]})


def list_pod_identity_associations(self: EKSResponse) -> ActionResult:
    cluster = find_cluster(self.eks_backend, self._get_param("name"))
    namespace, account = query(self, "namespace"), query(self, "serviceAccount")
    found = [
        a
        for a in pod_identity_associations(cluster).values()
        if namespace in (None, a["namespace"]) and account in (None, a["serviceAccount"])
    ]
    shown, token = page(self, found)
    return ActionResult({"associations": shown, "nextToken": token})


def update_pod_identity_association(self: EKSResponse) -> ActionResult:
    _, association = _find_association(self)
    if association.get("ownerArn"):
        raise_error("InvalidRequestException", OWNED_BY_ADDON, clusterName=self._get_param("name"))
    for key in ("roleArn", "disableSessionTags", "targetRoleArn", "policy"):
        if self._get_param(key) is not None:
            association[key] = self._get_param(key)
    association["modifiedAt"] = now()
    return ActionResult({"association": association})


def delete_pod_identity_association(self: EKSResponse) -> ActionResult:
    cluster, association = _find_association(self)
    if association.get("ownerArn"):
        raise_error("InvalidRequestException", OWNED_BY_ADDON, clusterName=self._get_param("name"))
    del pod_identity_associations(cluster)[association["associationId"]]
    return ActionResult({"association": association})


def install() -> None:
    for function in (
        create_pod_identity_association,
        describe_pod_identity_association,
        list_pod_identity_associations,
        update_pod_identity_association,
        delete_pod_identity_association,
    ):
        setattr(EKSResponse, function.__name__, function)
