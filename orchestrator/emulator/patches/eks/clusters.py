"""Clusters: the CreateCluster fields moto drops, UpdateClusterConfig answering an update, and
UpdateClusterVersion, which moto lacks.

Why: moto's CreateCluster drops accessConfig, upgradePolicy and bootstrapSelfManagedAddons, and
its UpdateClusterConfig answers a cluster where AWS answers an update. Known differences from AWS,
on purpose: DescribeCluster (moto's own handler, which serializes the Cluster's attributes) does
not return accessConfig.bootstrapClusterCreatorAdminPermissions (AWS does not either; the provider
keeps its configured value) nor bootstrapSelfManagedAddons (not in the Cluster shape); both are
kept on the cluster.
"""

from __future__ import annotations

import re
from typing import Any

from moto.core.responses import ActionResult
from moto.eks.responses import EKSResponse
from moto.sts.models import sts_backends

from orchestrator.emulator.patches.eks.access import new_access_entry
from orchestrator.emulator.patches.eks.access_policies import new_association
from orchestrator.emulator.patches.eks.api import raise_error
from orchestrator.emulator.patches.eks.catalogue import (
    CLUSTER_ADMIN_POLICY,
    KUBERNETES_MINORS,
    access_policy_arn,
    kubernetes_minor,
    minor_key,
)
from orchestrator.emulator.patches.eks.models import authentication_mode, find_cluster
from orchestrator.emulator.patches.eks.principals import default_username
from orchestrator.emulator.patches.eks.updates import record_update, update_param

AUTH_MODES = ("API", "API_AND_CONFIG_MAP", "CONFIG_MAP")
AUTH_MODE_TRANSITIONS = {("CONFIG_MAP", "API_AND_CONFIG_MAP"), ("API_AND_CONFIG_MAP", "API")}
# What UpdateClusterConfig takes, each kind of update on its own.
CONFIG_KEYS = (
    "resourcesVpcConfig",
    "logging",
    "accessConfig",
    "upgradePolicy",
    "zonalShiftConfig",
    "computeConfig",
    "kubernetesNetworkConfig",
    "storageConfig",
    "remoteNetworkConfig",
    "deletionProtection",
    "controlPlaneScalingConfig",
)
AUTO_MODE_KEYS = (
    ("computeConfig", "ComputeConfig"),
    ("kubernetesNetworkConfig", "KubernetesNetworkConfig"),
    ("storageConfig", "StorageConfig"),
)
# The settings UpdateClusterConfig stores as they are given: (update type, update parameter).
PLAIN_SETTINGS = {
    "zonalShiftConfig": ("ZonalShiftConfigUpdate", "ZonalShiftConfig"),
    "remoteNetworkConfig": ("RemoteNetworkConfigUpdate", "RemoteNetworkConfig"),
    "deletionProtection": ("DeletionProtectionUpdate", "DeletionProtection"),
    "controlPlaneScalingConfig": ("ControlPlaneScalingConfigUpdate", "UpdatedTier"),
}

# resourcesVpcConfig's fields, each recorded as an update parameter.
ENDPOINT_ACCESS_PARAMS = (
    ("endpointPublicAccess", "EndpointPublicAccess"),
    ("endpointPrivateAccess", "EndpointPrivateAccess"),
    ("publicAccessCidrs", "PublicAccessCidrs"),
)
VPC_CONFIG_PARAMS = (("subnetIds", "Subnets"), ("securityGroupIds", "SecurityGroups"))

Update = tuple[str, list[dict[str, str]]]


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def _caller_principal(response: EKSResponse, partition: str) -> tuple[str, str]:
    """The IAM principal that made this request and its access-entry username, as EKS records the
    cluster creator: the role of an assumed-role session, an IAM user, else the emulator's default
    identity (what sts:GetCallerIdentity answers for the test credentials)."""
    sts = sts_backends[response.current_account][partition]
    access_key = response.get_access_key()
    assumed = sts.get_assumed_role_from_access_key(access_key)
    if assumed is not None:
        return assumed.role_arn, default_username(assumed.role_arn)
    _, arn, account = sts.get_caller_identity(access_key, response.region)
    if ":sts::" in arn and ":user/" in arn:  # moto's default caller, arn:aws:sts::ACCOUNT:user/moto
        arn = f"arn:{partition}:iam::{account}:user/{arn.rsplit('/', 1)[1]}"
    return arn, default_username(arn)


def _checked_create_settings(self: EKSResponse) -> tuple[str, bool, str]:
    """CreateCluster's authentication mode, bootstrap admin and support type, refused as AWS does."""
    access = self._get_param("accessConfig") or {}
    mode = access.get("authenticationMode") or "CONFIG_MAP"
    bootstrap_admin = access.get("bootstrapClusterCreatorAdminPermissions")
    bootstrap_admin = True if bootstrap_admin is None else bool(bootstrap_admin)
    if mode not in AUTH_MODES:
        raise_error("InvalidParameterException", f"Unsupported authentication mode: {mode}")
    if mode == "CONFIG_MAP" and not bootstrap_admin:
        raise_error(
            "InvalidParameterException",
            "bootstrapClusterCreatorAdminPermissions must be true if cluster authentication mode is set to CONFIG_MAP",
        )
    support = (self._get_param("upgradePolicy") or {}).get("supportType") or "EXTENDED"
    if support not in ("STANDARD", "EXTENDED"):
        raise_error("InvalidParameterException", f"Unsupported support type: {support}")
    return mode, bootstrap_admin, support


def _grant_creator_admin(self: EKSResponse, cluster: Any) -> None:
    """The creator's entry exists from the start; in CONFIG_MAP mode it shows once the API is on."""
    backend = self.eks_backend
    principal, username = _caller_principal(self, backend.partition)
    entry = new_access_entry(backend, cluster, principal, "STANDARD", [], username, {})
    admin = access_policy_arn(CLUSTER_ADMIN_POLICY, backend.partition)
    entry["policies"][admin] = new_association(admin, {"type": "cluster", "namespaces": []})


def create_cluster(self: EKSResponse, original: Any) -> ActionResult:
    mode, bootstrap_admin, support = _checked_create_settings(self)
    result: ActionResult = original(self)
    cluster: Any = self.eks_backend.clusters[self._get_param("name")]  # gets attributes moto's Cluster lacks
    cluster.access_config = {"authenticationMode": mode}
    cluster.orch_bootstrap_admin = bootstrap_admin
    cluster.upgrade_policy = {"supportType": support}
    self_managed = self._get_param("bootstrapSelfManagedAddons")
    cluster.orch_bootstrap_self_managed_addons = True if self_managed is None else bool(self_managed)
    if self._get_param("zonalShiftConfig"):
        cluster.zonal_shift_config = self._get_param("zonalShiftConfig")
    if bootstrap_admin:
        _grant_creator_admin(self, cluster)
    return result


def _update_kinds(requested: dict[str, Any]) -> set[str]:
    """The kinds of update a request asks for (AWS takes one per call)."""
    kinds = set()
    for key, value in requested.items():
        if key == "resourcesVpcConfig":
            if {"subnetIds", "securityGroupIds"} & set(value):
                kinds.add("VpcConfigUpdate")
            if {"endpointPublicAccess", "endpointPrivateAccess", "publicAccessCidrs"} & set(value):
                kinds.add("EndpointAccessUpdate")
        elif key in dict(AUTO_MODE_KEYS):
            kinds.add("AutoModeUpdate")
        else:
            kinds.add(key)
    return kinds


def _update_access_config(cluster: Any, name: str, access: dict[str, Any]) -> Update:
    new = access.get("authenticationMode")
    current = authentication_mode(cluster)
    if (current, new) not in AUTH_MODE_TRANSITIONS:
        raise_error(
            "InvalidParameterException",
            f"Unsupported authentication mode update from {current} to {new}",
            clusterName=name,
        )
    cluster.access_config = {"authenticationMode": new}
    return "AccessConfigUpdate", [update_param("AuthenticationMode", new)]


def _update_upgrade_policy(cluster: Any, name: str, policy: dict[str, Any]) -> Update:
    support = policy.get("supportType")
    if support not in ("STANDARD", "EXTENDED"):
        raise_error("InvalidParameterException", f"Unsupported support type: {support}", clusterName=name)
    cluster.upgrade_policy = {"supportType": support}
    return "UpgradePolicyUpdate", [update_param("UpgradePolicy", support)]


def _update_vpc_config(cluster: Any, vpc: dict[str, Any], kinds: set[str]) -> Update:
    cluster.resources_vpc_config = {**(cluster.resources_vpc_config or {}), **vpc}
    if "EndpointAccessUpdate" in kinds:
        return "EndpointAccessUpdate", [update_param(k, vpc[key]) for key, k in ENDPOINT_ACCESS_PARAMS if key in vpc]
    return "VpcConfigUpdate", [update_param(kind, vpc[key]) for key, kind in VPC_CONFIG_PARAMS if key in vpc]


def _update_auto_mode(cluster: Any, requested: dict[str, Any]) -> Update:
    params = []
    for key, kind in AUTO_MODE_KEYS:
        if key in requested:
            setattr(cluster, _snake(key), requested[key])
            params.append(update_param(kind, requested[key]))
    return "AutoModeUpdate", params


def _apply_config(cluster: Any, name: str, requested: dict[str, Any], kinds: set[str]) -> Update:
    if "accessConfig" in requested:
        return _update_access_config(cluster, name, requested["accessConfig"])
    if "upgradePolicy" in requested:
        return _update_upgrade_policy(cluster, name, requested["upgradePolicy"])
    if "logging" in requested:
        cluster.logging = requested["logging"]
        return "LoggingUpdate", [update_param("ClusterLogging", requested["logging"])]
    if "resourcesVpcConfig" in requested:
        return _update_vpc_config(cluster, requested["resourcesVpcConfig"], kinds)
    if "AutoModeUpdate" in kinds:
        return _update_auto_mode(cluster, requested)
    key = next(iter(requested))
    update_type, kind = PLAIN_SETTINGS[key]
    setattr(cluster, _snake(key), requested[key])
    return update_type, [update_param(kind, requested[key])]


def update_cluster_config(self: EKSResponse) -> ActionResult:
    name = self._get_param("name")
    cluster = find_cluster(self.eks_backend, name)
    requested = {key: self._get_param(key) for key in CONFIG_KEYS if self._get_param(key) is not None}
    kinds = _update_kinds(requested)
    if len(kinds) != 1:
        raise_error("InvalidParameterException", "Only one type of update can be allowed.", clusterName=name)
    update_type, params = _apply_config(cluster, name, requested, kinds)
    return ActionResult({"update": record_update(cluster, update_type, params)})


def update_cluster_version(self: EKSResponse) -> ActionResult:
    name = self._get_param("name")
    cluster = find_cluster(self.eks_backend, name)
    version = str(self._get_param("version") or "")
    try:
        current, wanted = minor_key(cluster.version), minor_key(version)
    except ValueError:
        raise_error("InvalidParameterException", f"Unsupported Kubernetes version: {version}", clusterName=name)
    if wanted == current:
        raise_error(
            "InvalidParameterException",
            f"The cluster is already at the desired configuration with version: {cluster.version}",
            clusterName=name,
        )
    if wanted != (current[0], current[1] + 1) or kubernetes_minor(version) not in KUBERNETES_MINORS:
        raise_error(
            "InvalidParameterException",
            f"Unsupported Kubernetes minor version update from {cluster.version} to {version}",
            clusterName=name,
        )
    # AWS: every managed node group must be at the cluster's version before the next minor
    # (docs/runbooks/eks-upgrade.md's order: 40-nodegroups follow before the next 30 upgrade).
    behind = sorted(n for n, g in cluster.nodegroups.items() if minor_key(g.version) != current)
    if behind:
        raise_error(
            "InvalidParameterException",
            f"Nodegroups {', '.join(behind)} must be updated to match cluster version {cluster.version} "
            "before updating cluster version",
            clusterName=name,
        )
    cluster.version = kubernetes_minor(version)
    params = [update_param("Version", cluster.version), update_param("PlatformVersion", cluster.platformVersion)]
    return ActionResult({"update": record_update(cluster, "VersionUpdate", params)})


def install() -> None:
    original_create = EKSResponse.create_cluster

    def create(self: EKSResponse) -> ActionResult:
        return create_cluster(self, original_create)

    EKSResponse.create_cluster = create  # type: ignore[method-assign]  # replaces moto's method
    EKSResponse.update_cluster_config = update_cluster_config  # type: ignore[method-assign]  # replaces moto's method
    EKSResponse.update_cluster_version = update_cluster_version  # type: ignore[attr-defined]  # new method: moto has none
