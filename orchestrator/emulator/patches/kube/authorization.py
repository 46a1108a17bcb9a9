"""The authorization webhook: what the access policies associated with the caller's access entry
allow, read from the cluster's own admin, edit and view ClusterRoles."""

from __future__ import annotations

import json
import sys
import time
from typing import Any

from orchestrator import settings
from orchestrator.emulator.patches.kube.entries import access_entry
from orchestrator.emulator.patches.kube.planes import plane

# Access policy -> the Kubernetes ClusterRole whose rules it grants (None: everything).
POLICY_ROLES: dict[str, str | None] = {
    "AmazonEKSClusterAdminPolicy": None,
    "AmazonEKSAdminPolicy": "admin",
    "AmazonEKSEditPolicy": "edit",
    "AmazonEKSViewPolicy": "view",
}
READ_VERBS = {"get", "list", "watch"}
_role_rules: dict[tuple[tuple[str, str, str], str], tuple[float, list[dict[str, Any]]]] = {}


def access_review(key: tuple[str, str, str], review: dict[str, Any]) -> dict[str, Any]:
    spec = review.get("spec") or {}
    allowed, reason = authorize(key, spec)
    if settings.kube_debug():
        print(f"orch-emulator kube {key[2]}: {json.dumps(spec)} -> {allowed} {reason}", file=sys.stderr, flush=True)
    status: dict[str, Any] = {"allowed": allowed}
    if reason:
        status["reason"] = reason
    return {"apiVersion": "authorization.k8s.io/v1", "kind": "SubjectAccessReview", "status": status}


def authorize(key: tuple[str, str, str], spec: dict[str, Any]) -> tuple[bool, str]:
    """(allowed, reason) from the access policies associated with the caller's access entry."""
    principal = ((spec.get("extra") or {}).get("canonicalArn") or [None])[0]
    if not principal:
        return False, ""  # not an EKS token's identity: RBAC alone decides
    entry = access_entry(key, principal)
    if entry is None:
        return False, ""
    attributes = spec.get("resourceAttributes")
    namespace = (attributes or {}).get("namespace") or ""
    for arn, association in (entry.get("policies") or {}).items():
        name = arn.rsplit("/", 1)[-1]
        scope = association.get("accessScope") or {}
        in_scope = bool(attributes and namespace) and any(
            _ns_match(n, namespace) for n in scope.get("namespaces") or []
        )
        if scope.get("type") == "namespace" and not in_scope:
            continue
        if name == "AmazonEKSClusterAdminPolicy":
            return True, f"EKS access policy {name}"
        if name == "AmazonEKSAdminViewPolicy":
            verb = (attributes or spec.get("nonResourceAttributes") or {}).get("verb", "")
            if verb in READ_VERBS:
                return True, f"EKS access policy {name}"
            continue
        role = POLICY_ROLES.get(name)
        if role and _rules_allow(_cluster_role_rules(key, role), spec):
            return True, f"EKS access policy {name} ({role})"
    return False, ""


def _ns_match(pattern: str, namespace: str) -> bool:
    return namespace.startswith(pattern[:-1]) if pattern.endswith("*") else namespace == pattern


def _cluster_role_rules(key: tuple[str, str, str], role: str) -> list[dict[str, Any]]:
    cached = _role_rules.get((key, role))
    if cached and time.monotonic() - cached[0] < 30:
        return cached[1]
    p = plane(*key)
    rules: list[dict[str, Any]] = []
    if p is not None:
        code, answer = p.request("GET", f"/apis/rbac.authorization.k8s.io/v1/clusterroles/{role}")
        if code == 200 and isinstance(answer, dict):
            rules = list(answer.get("rules") or [])
    if rules:  # the aggregated roles are empty until the controller manager has filled them
        _role_rules[(key, role)] = (time.monotonic(), rules)
    return rules


def _rules_allow(rules: list[dict[str, Any]], spec: dict[str, Any]) -> bool:
    res = spec.get("resourceAttributes")
    if res:
        verb, group = res.get("verb", ""), res.get("group", "")
        resource = res.get("resource", "")
        if res.get("subresource"):
            resource = f"{resource}/{res['subresource']}"
        name = res.get("name", "")
        for rule in rules:
            if not _has(rule.get("verbs"), verb) or not _has(rule.get("apiGroups"), group):
                continue
            if not _has(rule.get("resources"), resource):
                continue
            names = rule.get("resourceNames") or []
            if names and name not in names:
                continue
            return True
        return False
    non = spec.get("nonResourceAttributes") or {}
    path, verb = non.get("path", ""), non.get("verb", "")
    for rule in rules:
        if not _has(rule.get("verbs"), verb):
            continue
        for url in rule.get("nonResourceURLs") or []:
            if url == "*" or url == path or (url.endswith("*") and path.startswith(url[:-1])):
                return True
    return False


def _has(values: list[str] | None, wanted: str) -> bool:
    values = values or []
    return "*" in values or wanted in values or ("/" in wanted and f"*/{wanted.split('/', 1)[1]}" in values)
