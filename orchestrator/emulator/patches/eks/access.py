"""Access entries (Create/Describe/List/Update/DeleteAccessEntry), which moto lacks, and the one
reading of them the rest of the emulator needs: `entry_for`.

As on AWS: the API answers only in the API and API_AND_CONFIG_MAP authentication modes; a principal
is an existing IAM role or user of the cluster's account; STANDARD entries get the username AWS
derives from the principal unless one is given, node entry types the fixed identity AWS gives them.
"""

from __future__ import annotations

from typing import Any

from moto.core.responses import ActionResult
from moto.eks.responses import EKSResponse
from moto.iam.models import iam_backends

from orchestrator.emulator.patches.eks.api import new_uuid, now, page, query, raise_error
from orchestrator.emulator.patches.eks.models import access_entries, authentication_mode, find_cluster
from orchestrator.emulator.patches.eks.principals import (
    ACCESS_ENTRY_TYPES,
    NODE_ENTRY_IDENTITY,
    PRINCIPAL_RE,
    RESERVED_PREFIXES,
    default_username,
)

ENTRY_NOT_FOUND = (
    "The specified principalArn could not be found. You can view your available access entries with "
    "'list-access-entries'."
)


def entry_for(cluster: Any, principal_arn: str) -> dict[str, Any] | None:
    """The access entry of an IAM role or user ARN on one of moto's EKS clusters, or None.

    The entry is the AccessEntry shape DescribeAccessEntry answers (`username`, `kubernetesGroups`,
    `type`, ...) plus `policies`: policy ARN -> associated access policy (`policyArn`,
    `accessScope` {`type`: cluster|namespace, `namespaces`}). Read it, do not change it. It exists
    whatever the cluster's authentication mode (`models.authentication_mode`): the cluster
    creator's is made at CreateCluster, also in CONFIG_MAP mode, where AWS does not use it yet.
    """
    return access_entries(cluster).get(principal_arn)


def new_access_entry(
    backend: Any,
    cluster: Any,
    principal_arn: str,
    entry_type: str,
    groups: list[str],
    username: str,
    tags: dict[str, str],
) -> dict[str, Any]:
    match = PRINCIPAL_RE.match(principal_arn)
    kind, account, name = (match["kind"], match["account"], match["name"]) if match else ("role", "", "")
    created = now()
    entry = {
        "clusterName": cluster.name,
        "principalArn": principal_arn,
        "kubernetesGroups": groups,
        "accessEntryArn": (
            f"arn:{backend.partition}:eks:{backend.region_name}:{backend.account_id}:access-entry/"
            f"{cluster.name}/{kind}/{account}/{name}/{new_uuid()}"
        ),
        "createdAt": created,
        "modifiedAt": created,
        "tags": dict(tags),
        "username": username,
        "type": entry_type,
        "policies": {},
    }
    access_entries(cluster)[principal_arn] = entry
    return entry


def access_cluster(backend: Any, name: str) -> Any:
    """The cluster, if its authentication mode serves the access-entry API."""
    cluster = find_cluster(backend, name)
    if authentication_mode(cluster) == "CONFIG_MAP":
        raise_error(
            "InvalidRequestException",
            "The cluster's authentication mode must be set to one of [API, API_AND_CONFIG_MAP] to perform this "
            "operation.",
            clusterName=name,
        )
    return cluster


def find_access_entry(backend: Any, cluster_name: str, principal_arn: str) -> tuple[Any, dict[str, Any]]:
    cluster = access_cluster(backend, cluster_name)
    entry = access_entries(cluster).get(principal_arn)
    if entry is None:
        raise_error("ResourceNotFoundException", ENTRY_NOT_FOUND, clusterName=cluster_name)
    return cluster, entry


def _check_principal(backend: Any, principal_arn: str, entry_type: str) -> None:
    """An existing IAM role or user of this account; what else AWS refuses, it refuses here."""
    if principal_arn.startswith("arn:") and ":sts::" in principal_arn:
        raise_error("InvalidParameterException", "The principalArn parameter format is not valid")
    match = PRINCIPAL_RE.match(principal_arn)
    if match is None:
        raise_error("InvalidParameterException", "The principalArn parameter format is not valid")
    if match["path"].startswith("aws-service-role/"):
        raise_error(
            "InvalidParameterException",
            "The caller is not allowed to modify access entries with a principalArn value of a Service Linked Role",
        )
    if entry_type != "STANDARD" and match["kind"] != "role":
        raise_error(
            "InvalidParameterException", f"An access entry of type {entry_type} must use an IAM role principal."
        )
    iam = iam_backends[backend.account_id][backend.partition]
    known = iam.roles.values() if match["kind"] == "role" else iam.users.values()
    if match["account"] != backend.account_id or not any(p.arn == principal_arn for p in known):
        raise_error("InvalidParameterException", "The specified principalArn is invalid: invalid principal.")


def _check_identity(groups: list[str], username: str | None) -> None:
    for group in groups:
        if group.startswith(RESERVED_PREFIXES):
            raise_error(
                "InvalidParameterException",
                f"The kubernetes group name {group} is invalid, it cannot start with "
                f"{next(p for p in RESERVED_PREFIXES if group.startswith(p))}",
            )
    if username and username.startswith(RESERVED_PREFIXES):
        raise_error(
            "InvalidParameterException", f"The username {username} is invalid, it cannot start with a reserved prefix"
        )


def _entry_identity(
    entry_type: str, groups: list[str], username: str | None, principal_arn: str
) -> tuple[str, list[str]]:
    """The username and groups a new entry gets: as given (checked) for STANDARD, AWS's for node types."""
    if entry_type == "STANDARD":
        _check_identity(groups, username)
        return username or default_username(principal_arn), groups
    if groups or username:
        raise_error(
            "InvalidParameterException",
            f"kubernetesGroups and username cannot be specified for an access entry of type {entry_type}.",
        )
    return NODE_ENTRY_IDENTITY[entry_type][0], list(NODE_ENTRY_IDENTITY[entry_type][1])


def create_access_entry(self: EKSResponse) -> ActionResult:
    backend = self.eks_backend
    cluster_name = self._get_param("name")
    cluster = access_cluster(backend, cluster_name)
    principal_arn = self._get_param("principalArn") or ""
    entry_type = self._get_param("type") or "STANDARD"
    if entry_type not in ACCESS_ENTRY_TYPES:
        raise_error("InvalidParameterException", f"The specified access entry type {entry_type} is not valid.")
    if principal_arn in access_entries(cluster):
        raise_error(
            "ResourceInUseException",
            "The specified access entry resource is already in use on this cluster.",
            clusterName=cluster_name,
        )
    _check_principal(backend, principal_arn, entry_type)
    groups = list(self._get_param("kubernetesGroups") or [])
    username, groups = _entry_identity(entry_type, groups, self._get_param("username"), principal_arn)
    entry = new_access_entry(
        backend, cluster, principal_arn, entry_type, groups, username, self._get_param("tags") or {}
    )
    return ActionResult({"accessEntry": entry})


def describe_access_entry(self: EKSResponse) -> ActionResult:
    _, entry = find_access_entry(self.eks_backend, self._get_param("name"), self._get_param("principalArn"))
    return ActionResult({"accessEntry": entry})


def list_access_entries(self: EKSResponse) -> ActionResult:
    cluster = access_cluster(self.eks_backend, self._get_param("name"))
    policy = query(self, "associatedPolicyArn")
    entries = access_entries(cluster)
    arns = sorted(a for a, e in entries.items() if policy is None or policy in e["policies"])
    found, token = page(self, arns)
    return ActionResult({"accessEntries": found, "nextToken": token})


def update_access_entry(self: EKSResponse) -> ActionResult:
    _, entry = find_access_entry(self.eks_backend, self._get_param("name"), self._get_param("principalArn"))
    groups, username = self._get_param("kubernetesGroups"), self._get_param("username")
    if entry["type"] != "STANDARD" and (groups or username):
        raise_error(
            "InvalidParameterException",
            f"kubernetesGroups and username cannot be specified for an access entry of type {entry['type']}.",
        )
    _check_identity(list(groups or []), username)
    if groups is not None:
        entry["kubernetesGroups"] = list(groups)
    if username is not None:
        entry["username"] = username or default_username(entry["principalArn"])
    entry["modifiedAt"] = now()
    return ActionResult({"accessEntry": entry})


def delete_access_entry(self: EKSResponse) -> ActionResult:
    cluster, entry = find_access_entry(self.eks_backend, self._get_param("name"), self._get_param("principalArn"))
    del access_entries(cluster)[entry["principalArn"]]
    return ActionResult({})


def install() -> None:
    for function in (
        create_access_entry,
        describe_access_entry,
        list_access_entries,
        update_access_entry,
        delete_access_entry,
    ):
        setattr(EKSResponse, function.__name__, function)
