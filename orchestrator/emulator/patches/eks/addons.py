"""Managed add-ons: Create/Describe/List/Update/DeleteAddon, DescribeAddonVersions and
DescribeAddonConfiguration, which moto lacks.

What AWS does over minutes happens at once here: an add-on answers CREATING to CreateAddon and is
ACTIVE on the next read; DeleteAddon answers DELETING and the add-on is gone on the next read.
Versions come from addon_versions' catalogue; configurationValues are parsed, not checked against
the schema (addon_configuration).
"""

from __future__ import annotations

import json
from typing import Any

from moto.core.responses import ActionResult
from moto.eks.responses import EKSResponse

from orchestrator.emulator.patches.eks.addon_configuration import ADDON_SCHEMAS, parse_configuration_values
from orchestrator.emulator.patches.eks.addon_versions import (
    ADDONS,
    addon_info,
    addon_version_supported,
    default_addon_version,
)
from orchestrator.emulator.patches.eks.api import new_uuid, now, page, query, raise_error
from orchestrator.emulator.patches.eks.models import AddonRecord, addons, find_addon, find_cluster
from orchestrator.emulator.patches.eks.pod_identity import sync_addon_associations
from orchestrator.emulator.patches.eks.principals import ROLE_ARN_RE
from orchestrator.emulator.patches.eks.updates import record_update, update_param


def _check_version(version: str | None, kubernetes_version: str, cluster_name: str, addon_name: str) -> None:
    if not version or not addon_version_supported(addon_name, version, kubernetes_version):
        raise_error(
            "InvalidParameterException",
            "Addon version specified is not supported",
            clusterName=cluster_name,
            addonName=addon_name,
        )


def _check_configuration(text: str | None, cluster_name: str, addon_name: str) -> None:
    if text is None:
        return
    try:
        parse_configuration_values(text)
    except ValueError as exc:
        raise_error(
            "InvalidParameterException",
            f"ConfigurationValue provided in request is not supported: {exc}",
            clusterName=cluster_name,
            addonName=addon_name,
        )


def _check_role_arn(arn: str | None, cluster_name: str, addon_name: str) -> None:
    if arn and not ROLE_ARN_RE.match(arn):
        raise_error(
            "InvalidParameterException", f"Invalid Role Arn: '{arn}'", clusterName=cluster_name, addonName=addon_name
        )


def _check_new_addon(self: EKSResponse, cluster: Any, cluster_name: str, addon_name: str) -> str:
    """CreateAddon's checks, in AWS's order; the version to install."""
    names = {"clusterName": cluster_name, "addonName": addon_name}
    if addon_name in addons(cluster):
        raise_error("ResourceInUseException", "Addon already exists.", **names)
    if addon_name not in ADDONS:
        raise_error("InvalidParameterException", "Addon specified is not supported", **names)
    version = self._get_param("addonVersion") or default_addon_version(addon_name, cluster.version)
    _check_version(version, cluster.version, cluster_name, addon_name)
    resolve = self._get_param("resolveConflicts")
    if resolve not in (None, "OVERWRITE", "NONE"):
        raise_error(
            "InvalidParameterException", f"ResolveConflicts {resolve} is not supported when creating an addon", **names
        )
    _check_configuration(self._get_param("configurationValues"), cluster_name, addon_name)
    _check_role_arn(self._get_param("serviceAccountRoleArn"), cluster_name, addon_name)
    return str(version)


def create_addon(self: EKSResponse) -> ActionResult:
    backend = self.eks_backend
    cluster_name, addon_name = self._get_param("name"), self._get_param("addonName")
    cluster = find_cluster(backend, cluster_name)
    version = _check_new_addon(self, cluster, cluster_name, addon_name)
    created = now()
    addon = AddonRecord(
        addonName=addon_name,
        clusterName=cluster_name,
        status="ACTIVE",
        addonVersion=version,
        health={"issues": []},
        addonArn=(
            f"arn:{backend.partition}:eks:{backend.region_name}:{backend.account_id}:addon/"
            f"{cluster_name}/{addon_name}/{new_uuid()}"
        ),
        createdAt=created,
        modifiedAt=created,
        tags=dict(self._get_param("tags") or {}),
        publisher="eks",
        owner="aws",
        podIdentityAssociations=[],
    )
    if self._get_param("serviceAccountRoleArn"):
        addon["serviceAccountRoleArn"] = self._get_param("serviceAccountRoleArn")
    if self._get_param("configurationValues"):
        addon["configurationValues"] = self._get_param("configurationValues")
    namespace = (self._get_param("namespaceConfig") or {}).get("namespace")
    if namespace:
        addon["namespaceConfig"] = {"namespace": namespace}
    associations = self._get_param("podIdentityAssociations")
    if associations:
        addon["podIdentityAssociations"] = sync_addon_associations(backend, cluster, addon, associations)
    addons(cluster)[addon_name] = addon
    return ActionResult({"addon": {**addon, "status": "CREATING"}})


def describe_addon(self: EKSResponse) -> ActionResult:
    return ActionResult({"addon": find_addon(self.eks_backend, self._get_param("name"), self._get_param("addonName"))})


def list_addons(self: EKSResponse) -> ActionResult:
    cluster = find_cluster(self.eks_backend, self._get_param("name"))
    found, token = page(self, sorted(addons(cluster)))
    return ActionResult({"addons": found, "nextToken": token})


def _set_or_clear(addon: AddonRecord, key: str, value: str) -> None:
    """An empty string clears an optional field, as UpdateAddon does on AWS."""
    if value:
        addon[key] = value
    else:
        addon.pop(key, None)


def _apply_addon_update(self: EKSResponse, cluster: Any, addon: AddonRecord) -> list[dict[str, str]]:
    """UpdateAddon's changes applied to the add-on (already checked); the update's parameters."""
    version = self._get_param("addonVersion")
    role_arn = self._get_param("serviceAccountRoleArn")
    resolve = self._get_param("resolveConflicts")
    configuration = self._get_param("configurationValues")
    associations = self._get_param("podIdentityAssociations")
    params: list[dict[str, str]] = []
    if version:
        addon["addonVersion"] = version
        params.append(update_param("AddonVersion", version))
    if role_arn is not None:
        _set_or_clear(addon, "serviceAccountRoleArn", role_arn)
        params.append(update_param("ServiceAccountRoleArn", role_arn))
    if resolve:
        params.append(update_param("ResolveConflicts", resolve))
    if configuration is not None:
        _set_or_clear(addon, "configurationValues", configuration)
        params.append(update_param("ConfigurationValues", configuration))
    if associations is not None:
        addon["podIdentityAssociations"] = sync_addon_associations(self.eks_backend, cluster, addon, associations)
        params.append(update_param("PodIdentityAssociations", addon["podIdentityAssociations"]))
    return params


def update_addon(self: EKSResponse) -> ActionResult:
    backend = self.eks_backend
    cluster_name, addon_name = self._get_param("name"), self._get_param("addonName")
    cluster = find_cluster(backend, cluster_name)
    addon = find_addon(backend, cluster_name, addon_name)
    version = self._get_param("addonVersion")
    if version:
        _check_version(version, cluster.version, cluster_name, addon_name)
    _check_configuration(self._get_param("configurationValues"), cluster_name, addon_name)
    _check_role_arn(self._get_param("serviceAccountRoleArn"), cluster_name, addon_name)
    params = _apply_addon_update(self, cluster, addon)
    addon["modifiedAt"] = now()
    return ActionResult({"update": record_update(addon, "AddonUpdate", params)})


def delete_addon(self: EKSResponse) -> ActionResult:
    backend = self.eks_backend
    cluster_name, addon_name = self._get_param("name"), self._get_param("addonName")
    cluster = find_cluster(backend, cluster_name)
    addon = find_addon(backend, cluster_name, addon_name)
    sync_addon_associations(backend, cluster, addon, [])
    del addons(cluster)[addon_name]
    return ActionResult({"addon": {**addon, "status": "DELETING"}})


def describe_addon_versions(self: EKSResponse) -> ActionResult:
    name = query(self, "addonName")
    kubernetes_version = query(self, "kubernetesVersion")
    types = self.querystring.get("types") or []
    publishers = self.querystring.get("publishers") or []
    owners = self.querystring.get("owners") or []
    infos = []
    for addon_name in sorted(ADDONS):
        if name and addon_name != name:
            continue
        info = addon_info(addon_name, kubernetes_version)
        if not info or not info["addonVersions"]:
            continue
        if (types and info["type"] not in types) or (publishers and "eks" not in publishers):
            continue
        if owners and "aws" not in owners:
            continue
        infos.append(info)
    found, token = page(self, infos)
    return ActionResult({"addons": found, "nextToken": token})


def describe_addon_configuration(self: EKSResponse) -> ActionResult:
    name, version = query(self, "addonName"), query(self, "addonVersion")
    if not name or not version or not addon_version_supported(name, version):
        raise_error("InvalidParameterException", "Addon version specified is not supported", addonName=name)
    pod_identity = ADDONS[name].get("podIdentity")
    return ActionResult(
        {
            "addonName": name,
            "addonVersion": version,
            "configurationSchema": json.dumps(ADDON_SCHEMAS[name]),
            "podIdentityConfiguration": (
                [{"serviceAccount": pod_identity[0], "recommendedManagedPolicies": list(pod_identity[1])}]
                if pod_identity
                else []
            ),
        }
    )


def install() -> None:
    for function in (
        create_addon,
        describe_addon,
        list_addons,
        update_addon,
        delete_addon,
        describe_addon_versions,
        describe_addon_configuration,
    ):
        setattr(EKSResponse, function.__name__, function)
