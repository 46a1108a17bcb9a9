"""Access policies: AssociateAccessPolicy, DisassociateAccessPolicy, ListAssociatedAccessPolicies
and ListAccessPolicies, which moto lacks.

An association lives in its access entry (`policies`, see access.entry_for). As on AWS: only the
published policies (catalogue.ACCESS_POLICY_NAMES) and only on STANDARD entries; a scope is the
cluster or at least one namespace; associating a policy again replaces its scope.
"""

from __future__ import annotations

from typing import Any

from moto.core.responses import ActionResult
from moto.eks.responses import EKSResponse

from orchestrator.emulator.patches.eks.access import find_access_entry
from orchestrator.emulator.patches.eks.api import now, page, raise_error
from orchestrator.emulator.patches.eks.catalogue import ACCESS_POLICY_NAMES, access_policy_arn


def new_association(policy_arn: str, scope: dict[str, Any]) -> dict[str, Any]:
    associated = now()
    return {"policyArn": policy_arn, "accessScope": scope, "associatedAt": associated, "modifiedAt": associated}


def _checked_scope(scope: dict[str, Any]) -> dict[str, Any]:
    scope_type, namespaces = scope.get("type"), list(scope.get("namespaces") or [])
    if scope_type not in ("cluster", "namespace"):
        raise_error("InvalidParameterException", "accessScope type must be one of [cluster, namespace].")
    if scope_type == "namespace" and not namespaces:
        raise_error(
            "InvalidParameterException", "At least one namespace must be specified for a namespace access scope."
        )
    if scope_type == "cluster" and namespaces:
        raise_error("InvalidParameterException", "Namespaces cannot be specified for a cluster access scope.")
    return {"type": scope_type, "namespaces": namespaces}


def associate_access_policy(self: EKSResponse) -> ActionResult:
    backend = self.eks_backend
    cluster_name = self._get_param("name")
    _, entry = find_access_entry(backend, cluster_name, self._get_param("principalArn"))
    policy_arn = self._get_param("policyArn") or ""
    if policy_arn not in {access_policy_arn(n, backend.partition) for n in ACCESS_POLICY_NAMES}:
        raise_error("InvalidParameterException", f"The specified policyArn {policy_arn} is not valid.")
    if entry["type"] != "STANDARD":
        raise_error(
            "InvalidRequestException",
            f"Access policies can only be associated with access entries of type STANDARD, not {entry['type']}.",
            clusterName=cluster_name,
        )
    scope = _checked_scope(self._get_param("accessScope") or {})
    association = entry["policies"].get(policy_arn)
    if association is None:
        association = entry["policies"][policy_arn] = new_association(policy_arn, {})
    else:
        association["modifiedAt"] = now()
    association["accessScope"] = scope
    return ActionResult(
        {"clusterName": cluster_name, "principalArn": entry["principalArn"], "associatedAccessPolicy": association}
    )


def disassociate_access_policy(self: EKSResponse) -> ActionResult:
    cluster_name = self._get_param("name")
    _, entry = find_access_entry(self.eks_backend, cluster_name, self._get_param("principalArn"))
    policy_arn = self._get_param("policyArn")
    if policy_arn not in entry["policies"]:
        raise_error(
            "ResourceNotFoundException",
            f"The specified policyArn {policy_arn} is not associated with the principalArn.",
            clusterName=cluster_name,
        )
    del entry["policies"][policy_arn]
    return ActionResult({})


def list_associated_access_policies(self: EKSResponse) -> ActionResult:
    cluster_name = self._get_param("name")
    _, entry = find_access_entry(self.eks_backend, cluster_name, self._get_param("principalArn"))
    policies = [entry["policies"][arn] for arn in sorted(entry["policies"])]
    found, token = page(self, policies)
    return ActionResult(
        {
            "clusterName": cluster_name,
            "principalArn": entry["principalArn"],
            "nextToken": token,
            "associatedAccessPolicies": found,
        }
    )


def list_access_policies(self: EKSResponse) -> ActionResult:
    partition = self.eks_backend.partition
    policies = [{"name": n, "arn": access_policy_arn(n, partition)} for n in ACCESS_POLICY_NAMES]
    found, token = page(self, policies)
    return ActionResult({"accessPolicies": found, "nextToken": token})


def install() -> None:
    for function in (
        associate_access_policy,
        disassociate_access_policy,
        list_associated_access_policies,
        list_access_policies,
    ):
        setattr(EKSResponse, function.__name__, function)
