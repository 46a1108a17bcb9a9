"""The vpc-cni add-on's objects in the cluster when CreateAddon or UpdateAddon installs it."""

from __future__ import annotations

import json
import time
from typing import Any

from orchestrator.emulator.patches.kube.objects import ENICONFIG_CRD
from orchestrator.emulator.patches.kube.planes import plane


def install() -> None:
    from moto.core.responses import ActionResult
    from moto.eks.responses import EKSResponse

    original_addon = EKSResponse.create_addon  # type: ignore[attr-defined]  # added by the eks patch
    original_update_addon = EKSResponse.update_addon  # type: ignore[attr-defined]  # added by the eks patch

    def create_addon(self: EKSResponse) -> ActionResult:
        result: ActionResult = original_addon(self)
        backend = self.eks_backend
        p = plane(backend.account_id, backend.region_name, self._get_param("name"))
        if p is not None and self._get_param("addonName") == "vpc-cni":
            vpc_cni_objects(p, self._get_param("configurationValues"))
        return result

    def update_addon(self: EKSResponse) -> ActionResult:
        result: ActionResult = original_update_addon(self)
        backend = self.eks_backend
        p = plane(backend.account_id, backend.region_name, self._get_param("name"))
        if p is not None and self._get_param("addonName") == "vpc-cni" and self._get_param("configurationValues"):
            vpc_cni_objects(p, self._get_param("configurationValues"))
        return result

    EKSResponse.create_addon = create_addon  # type: ignore[attr-defined]  # replaces the eks patch's
    EKSResponse.update_addon = update_addon  # type: ignore[attr-defined]  # replaces the eks patch's


def vpc_cni_objects(p: Any, configuration: str | None) -> None:
    """What the vpc-cni add-on puts in the cluster that other objects need: the ENIConfig CRD, and
    with `eniConfig.create` in its configuration one ENIConfig per zone (name = zone, the zone's pod
    subnet and security groups), as the add-on's chart does."""
    p.apply("/apis/apiextensions.k8s.io/v1/customresourcedefinitions", ENICONFIG_CRD)
    try:
        config = json.loads(configuration) if configuration else {}
    except ValueError:
        import yaml

        config = yaml.safe_load(configuration or "") or {}
    eni = (config or {}).get("eniConfig") or {}
    if not eni.get("create"):
        return
    path = "/apis/crd.k8s.amazonaws.com/v1alpha1/eniconfigs"
    deadline = time.monotonic() + 30
    while p.request("GET", path)[0] != 200:  # the CRD is served once established
        if time.monotonic() > deadline:
            raise RuntimeError("the ENIConfig CRD was not established within 30s")
        time.sleep(0.2)
    for zone, subnet in (eni.get("subnets") or {}).items():
        spec: dict[str, Any] = {"subnet": subnet.get("id")}
        if subnet.get("securityGroups"):
            spec["securityGroups"] = list(subnet["securityGroups"])
        obj = {
            "apiVersion": "crd.k8s.amazonaws.com/v1alpha1",
            "kind": "ENIConfig",
            "metadata": {"name": zone},
            "spec": spec,
        }
        code, answer = p.request("PUT", f"{path}/{zone}", obj)
        if code == 404:
            p.apply(path, obj)
        elif code not in (200, 201):
            raise RuntimeError(f"ENIConfig {zone}: {code} {answer}")
