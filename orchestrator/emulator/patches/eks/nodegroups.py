"""Node groups: updateConfig, which moto's CreateNodegroup drops, and UpdateNodegroupConfig and
UpdateNodegroupVersion answering updates (moto has no UpdateNodegroupVersion).

Why: the provider reads updateConfig back and waits on DescribeUpdate after each node-group update,
so 40-nodegroups could not use update configs or roll its nodes locally.
"""

from __future__ import annotations

from typing import Any

from moto.core.responses import ActionResult
from moto.eks.responses import EKSResponse

from orchestrator.emulator.patches.eks.addon_versions import release_version
from orchestrator.emulator.patches.eks.api import now, raise_error
from orchestrator.emulator.patches.eks.catalogue import kubernetes_minor, minor_key
from orchestrator.emulator.patches.eks.models import find_cluster, find_nodegroup
from orchestrator.emulator.patches.eks.updates import record_update, update_param

# The UpdateNodegroupConfig request fields each recorded as an update parameter.
SCALING_PARAMS = (("minSize", "MinSize"), ("maxSize", "MaxSize"), ("desiredSize", "DesiredSize"))
UPDATE_CONFIG_PARAMS = (
    ("maxUnavailable", "MaxUnavailable"),
    ("maxUnavailablePercentage", "MaxUnavailablePercentage"),
    ("updateStrategy", "UpdateStrategy"),
)


def _check_update_config(update_config: dict[str, Any] | None, cluster_name: str, nodegroup_name: str) -> None:
    if not update_config:
        return
    names = {"clusterName": cluster_name, "nodegroupName": nodegroup_name}
    count, percent = update_config.get("maxUnavailable"), update_config.get("maxUnavailablePercentage")
    if count is not None and percent is not None:
        raise_error(
            "InvalidParameterException",
            "Only one of maxUnavailable or maxUnavailablePercentage can be specified in updateConfig",
            **names,
        )
    if count is not None and not 1 <= int(count) <= 100:
        raise_error("InvalidParameterException", "maxUnavailable must be between 1 and 100", **names)
    if percent is not None and not 1 <= int(percent) <= 100:
        raise_error("InvalidParameterException", "maxUnavailablePercentage must be between 1 and 100", **names)
    strategy = update_config.get("updateStrategy")
    if strategy is not None and strategy not in ("DEFAULT", "MINIMAL"):
        raise_error("InvalidParameterException", f"Unsupported update strategy: {strategy}", clusterName=cluster_name)


def create_nodegroup(self: EKSResponse, original: Any) -> ActionResult:
    cluster_name, nodegroup_name = self._get_param("name"), self._get_param("nodegroupName")
    update_config = self._get_param("updateConfig")
    _check_update_config(update_config, cluster_name, nodegroup_name)
    result: ActionResult = original(self)
    cluster = self.eks_backend.clusters[cluster_name]
    nodegroup = cluster.nodegroups[nodegroup_name]
    nodegroup.update_config = update_config or {"maxUnavailable": 1}
    nodegroup.scaling_config = dict(nodegroup.scaling_config)  # moto shares its default dict
    if not self._get_param("remoteAccess"):
        # moto invents an SSH key (eksKeypair) where AWS has no remote access; the provider
        # would plan to replace the node group to remove it.
        nodegroup.remote_access = None  # type: ignore[assignment]  # moto types it as a dict; None is AWS's answer
        nodegroup.resources.pop("remoteAccessSecurityGroup", None)
    if not self._get_param("version"):
        nodegroup.version = cluster.version
    if not self._get_param("releaseVersion"):
        nodegroup.release_version = release_version(nodegroup.version)
    if self._get_param("nodeRepairConfig"):
        nodegroup.node_repair_config = self._get_param("nodeRepairConfig")
    return result


def _config_update_params(self: EKSResponse, update_config: dict[str, Any] | None) -> list[dict[str, str]]:
    params: list[dict[str, str]] = []
    labels = self._get_param("labels") or {}
    if labels.get("addOrUpdateLabels"):
        params.append(update_param("LabelsToAdd", labels["addOrUpdateLabels"]))
    if labels.get("removeLabels"):
        params.append(update_param("LabelsToRemove", labels["removeLabels"]))
    taints = self._get_param("taints") or {}
    if taints.get("addOrUpdateTaints"):
        params.append(update_param("TaintsToAdd", taints["addOrUpdateTaints"]))
    if taints.get("removeTaints"):
        params.append(update_param("TaintsToRemove", taints["removeTaints"]))
    scaling = self._get_param("scalingConfig") or {}
    params += [update_param(kind, str(scaling[key])) for key, kind in SCALING_PARAMS if key in scaling]
    config = update_config or {}
    params += [update_param(kind, str(config[key])) for key, kind in UPDATE_CONFIG_PARAMS if key in config]
    if self._get_param("nodeRepairConfig"):
        params.append(update_param("NodeRepairConfig", self._get_param("nodeRepairConfig")))
    return params


def update_nodegroup_config(self: EKSResponse, original: Any) -> ActionResult:
    cluster_name, nodegroup_name = self._get_param("name"), self._get_param("nodegroupName")
    nodegroup = find_nodegroup(self.eks_backend, cluster_name, nodegroup_name)
    update_config = self._get_param("updateConfig")
    _check_update_config(update_config, cluster_name, nodegroup_name)
    original(self)  # moto applies labels, taints, scaling, updateConfig, nodeRepairConfig
    params = _config_update_params(self, update_config)
    return ActionResult({"update": record_update(nodegroup, "ConfigUpdate", params)})


def _check_version(version: str, cluster: Any, nodegroup: Any, cluster_name: str, nodegroup_name: str) -> None:
    names = {"clusterName": cluster_name, "nodegroupName": nodegroup_name}
    if minor_key(version) > minor_key(cluster.version):
        raise_error(
            "InvalidParameterException",
            f"Requested Nodegroup Kubernetes version {version} is greater than the cluster version {cluster.version}",
            **names,
        )
    if minor_key(version) < minor_key(nodegroup.version):
        raise_error(
            "InvalidParameterException",
            f"Requested Nodegroup Kubernetes version {version} is lower than the current version {nodegroup.version}",
            **names,
        )


def update_nodegroup_version(self: EKSResponse) -> ActionResult:
    cluster_name, nodegroup_name = self._get_param("name"), self._get_param("nodegroupName")
    cluster = find_cluster(self.eks_backend, cluster_name)
    nodegroup = find_nodegroup(self.eks_backend, cluster_name, nodegroup_name)
    version = self._get_param("version")
    if version:
        _check_version(version, cluster, nodegroup, cluster_name, nodegroup_name)
        nodegroup.version = kubernetes_minor(version)
    launch_template = self._get_param("launchTemplate")
    if launch_template and nodegroup.launch_template:
        nodegroup.launch_template = {**nodegroup.launch_template, **launch_template}
    elif launch_template:
        raise_error(
            "InvalidParameterException",
            "A launch template can only be updated on a node group that was created with one.",
            clusterName=cluster_name,
            nodegroupName=nodegroup_name,
        )
    nodegroup.release_version = self._get_param("releaseVersion") or release_version(nodegroup.version)
    nodegroup.modified_at = now()
    params = [update_param("Version", nodegroup.version), update_param("ReleaseVersion", nodegroup.release_version)]
    if launch_template:
        params.append(update_param("LaunchTemplateName", str(nodegroup.launch_template.get("name", ""))))
        params.append(update_param("LaunchTemplateVersion", str(nodegroup.launch_template.get("version", ""))))
    return ActionResult({"update": record_update(nodegroup, "VersionUpdate", params)})


def install() -> None:
    original_create = EKSResponse.create_nodegroup
    original_update_config = EKSResponse.update_nodegroup_config

    def create(self: EKSResponse) -> ActionResult:
        return create_nodegroup(self, original_create)

    def update_config(self: EKSResponse) -> ActionResult:
        return update_nodegroup_config(self, original_update_config)

    EKSResponse.create_nodegroup = create  # type: ignore[method-assign]  # replaces moto's method
    EKSResponse.update_nodegroup_config = update_config  # type: ignore[method-assign]  # replaces moto's method
    EKSResponse.update_nodegroup_version = update_nodegroup_version  # type: ignore[attr-defined]  # new method: moto has none
