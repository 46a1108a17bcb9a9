"""The caller's access entry on a cluster, which both webhooks start from."""

from __future__ import annotations

from typing import Any


def cluster_of(key: tuple[str, str, str]) -> Any:
    from moto.eks.models import eks_backends

    account, region, name = key
    try:
        return eks_backends[account][region].clusters.get(name)
    except KeyError:
        return None


def access_entry(key: tuple[str, str, str], principal_arn: str) -> dict[str, Any] | None:
    """The cluster's access entry of an IAM principal (a role matched by account and name, as EKS
    matches a session's role whatever its path)."""
    cluster = cluster_of(key)
    if cluster is None:
        return None
    if (getattr(cluster, "access_config", None) or {}).get("authenticationMode") == "CONFIG_MAP":
        return None
    entries: dict[str, dict[str, Any]] = getattr(cluster, "orch_access_entries", {})
    if principal_arn in entries:
        return entries[principal_arn]
    from orchestrator.emulator.patches.eks.principals import PRINCIPAL_RE

    wanted = PRINCIPAL_RE.match(principal_arn)
    if wanted is None:
        return None
    for arn, entry in entries.items():
        found = PRINCIPAL_RE.match(arn)
        if found and (found["account"], found["kind"], found["name"]) == (
            wanted["account"],
            wanted["kind"],
            wanted["name"],
        ):
            return entry
    return None
