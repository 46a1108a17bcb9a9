"""docs/runbooks/eks-upgrade.md on the emulator: a minor upgrade (1.33 -> 1.34) of the real
terraform/modules/eks-cluster, eks-nodegroup and eks-addons (its AWS side, as `orch --local` applies
50-addons), applied with OpenTofu, one module per layer and in the runbook's order: control plane and
networking add-ons (30), node groups following the cluster version (40), add-ons on nodes (50), then a
plan with no changes (the drift check of step 4).

The network, security groups and KMS key the layers 00-20 would provide are made with boto3 (cheap;
their modules are tested elsewhere). The runbook's `aws eks` commands are the same boto3 calls, their
`--query` expressions read from the runbook and evaluated with JMESPath (what the CLI does).
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import jmespath
import pytest
from botocore.exceptions import ClientError

from tests.helpers import REGION, REPO, Emu, emulator_provider, tofu_runner

pytestmark = [pytest.mark.emulator, pytest.mark.engines]

RUNBOOK = (REPO / "docs/runbooks/eks-upgrade.md").read_text()
MODULES = REPO / "terraform/modules"
CLUSTER = "orch-eks-prod"
FROM, TO = "1.33", "1.34"
ADDONS = {  # runbook add-on name -> the module variable's key
    "vpc-cni": "vpc_cni",
    "kube-proxy": "kube_proxy",
    "coredns": "coredns",
    "aws-ebs-csi-driver": "aws_ebs_csi_driver",
    "aws-efs-csi-driver": "aws_efs_csi_driver",
}
NETWORK = ("vpc-cni", "kube-proxy")

CONFIG = """
variable "kubernetes_version" {{ type = string }}
variable "network_addon_versions" {{ type = object({{ vpc_cni = string, kube_proxy = string }}) }}
variable "addon_versions" {{
  type = object({{ coredns = string, aws_ebs_csi_driver = string, aws_efs_csi_driver = string }})
}}

locals {{
  subnets = {subnets}
  pods    = {pods}
}}

# 30-eks-cluster
module "cluster" {{
  source = "{modules}/eks-cluster"

  cluster_name              = "{cluster}"
  kubernetes_version        = var.kubernetes_version
  network_addon_versions    = var.network_addon_versions
  subnet_ids                = local.subnets
  cluster_security_group_id = "{cluster_sg}"
  secrets_kms_key_arn       = "{key}"
  logs_kms_key_arn          = "{key}"
  public_access_cidrs       = ["203.0.113.0/24"]
  pod_subnet_ids_by_az      = local.pods
  pod_security_group_ids    = ["{node_sg}"]
  application_namespaces    = ["app"]
}}

# 40-nodegroups: the version is the cluster's (its cluster_version output), as the unit passes it.
module "nodegroups" {{
  source = "{modules}/eks-nodegroup"

  cluster_name            = module.cluster.cluster_name
  kubernetes_version      = module.cluster.cluster_version
  network_addons          = module.cluster.network_addons
  subnet_ids              = local.subnets
  node_security_group_ids = ["{node_sg}"]
  ebs_kms_key_arn         = "{key}"
  node_groups = {{
    system = {{
      instance_types = ["m6i.large"]
      min_size       = 2
      max_size       = 4
      labels         = {{ role = "system" }}
      taints         = [{{ key = "CriticalAddonsOnly", value = "true", effect = "NO_SCHEDULE" }}]
    }}
    application = {{
      instance_types = ["m6i.xlarge"]
      min_size       = 2
      max_size       = 10
      labels         = {{ role = "application" }}
    }}
  }}
}}

# 50-addons, AWS side (emulator-overrides.yaml: enable_kubernetes_resources false).
module "addons" {{
  source = "{modules}/eks-addons"

  cluster_name                = module.cluster.cluster_name
  kubernetes_version          = module.cluster.cluster_version
  oidc_provider_arn           = module.cluster.oidc_provider_arn
  region                      = "{region}"
  vpc_id                      = "{vpc}"
  ebs_kms_key_arn             = "{key}"
  addon_versions              = var.addon_versions
  enable_kubernetes_resources = false
  external_secrets            = {{ enabled = false }}

  depends_on = [module.nodegroups]
}}
"""


def runbook_queries() -> dict[str, str]:
    """`--query` of each `aws eks` command in the runbook, by command (and add-on, where one is named)."""
    found: dict[str, str] = {}
    for name, rest in re.findall(r"^aws eks ([a-z-]+)((?:.*\\\n)*.*)$", RUNBOOK, flags=re.MULTILINE):
        query = re.search(r"--query '([^']+)'", rest)
        addon = re.search(r"--addon-name ([a-z-]+)", rest)
        if query:
            found[f"{name} {addon.group(1)}" if addon else name] = query.group(1)
    return found


def test_the_runbook_queries_are_the_ones_tested() -> None:
    assert set(runbook_queries()) == {
        "describe-addon-versions vpc-cni",
        "describe-cluster",
        "describe-addon kube-proxy",
        "describe-nodegroup",
        "describe-addon coredns",
        "describe-update",
    }


def applied_layer(run: Any, module: str) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """`apply -target=module.<module>` (one layer, as `orch apply --layer` is one unit): the planned
    change of each resource (address -> "updated in-place", "created", "must be replaced", ...) and
    every `version` change shown, read from the plan the apply prints."""
    applied = run("apply", "-auto-approve", "-parallelism=20", f"-target=module.{module}")
    assert applied.returncode == 0, applied.stdout[-4000:] + applied.stderr[-4000:]
    changes = dict(re.findall(r"^  # (\S+) (?:will be|must be) (.+)$", applied.stdout, flags=re.MULTILINE))
    versions = re.findall(r'^\s+~ version\s+= "([^"]+)" -> "([^"]+)"$', applied.stdout, flags=re.MULTILINE)
    return changes, versions


def test_the_eks_upgrade_runbook_upgrades_one_minor_in_order(
    fresh_emu: Emu, engine_env: dict[str, str], tmp_path: Path
) -> None:
    ec2, kms, eks = fresh_emu.client("ec2"), fresh_emu.client("kms"), fresh_emu.client("eks")
    vpc = ec2.create_vpc(CidrBlock="10.50.0.0/16")["Vpc"]["VpcId"]

    def subnet(cidr: str, az: str) -> str:
        return ec2.create_subnet(VpcId=vpc, CidrBlock=cidr, AvailabilityZone=az)["Subnet"]["SubnetId"]

    zones = (f"{REGION}a", f"{REGION}c")
    private = [subnet(f"10.50.{i}.0/24", az) for i, az in enumerate(zones, start=1)]
    pods = {az: subnet(f"10.50.{i}.0/22", az) for i, az in zip((64, 68), zones, strict=True)}
    cluster_sg = ec2.create_security_group(GroupName="cluster", Description="c", VpcId=vpc)["GroupId"]
    node_sg = ec2.create_security_group(GroupName="node", Description="n", VpcId=vpc)["GroupId"]
    key = kms.create_key(Description="eks, logs, ebs")["KeyMetadata"]["Arn"]
    (tmp_path / "main.tf").write_text(
        emulator_provider(
            fresh_emu.endpoint, "ec2", "eks", "iam", "kms", "logs", "sts", providers=("helm", "kubernetes")
        )
        + CONFIG.format(
            region=REGION,
            endpoint=fresh_emu.endpoint,
            # Relative: modules that call ../iam-role must be read as one package, not from an absolute path.
            modules=os.path.relpath(MODULES, tmp_path),
            cluster=CLUSTER,
            vpc=vpc,
            subnets=json.dumps(private),
            pods=json.dumps(pods),
            cluster_sg=cluster_sg,
            node_sg=node_sg,
            key=key,
        )
    )
    queries = runbook_queries()

    def query(name: str, answer: dict[str, Any]) -> Any:
        return jmespath.search(queries[name], answer)

    def default_versions(kubernetes_version: str) -> dict[str, str]:
        """Step 0: each add-on's default version for a Kubernetes version (the runbook's query)."""
        chosen = {}
        for addon in ADDONS:
            listed = query(
                "describe-addon-versions vpc-cni",
                eks.describe_addon_versions(kubernetesVersion=kubernetes_version, addonName=addon),
            )
            chosen[addon] = next(v["version"] for v in listed if v["default"])
        return chosen

    def variables(kubernetes_version: str, network: dict[str, str], on_nodes: dict[str, str]) -> None:
        values = {
            "kubernetes_version": kubernetes_version,
            "network_addon_versions": {ADDONS[a]: network[a] for a in NETWORK},
            "addon_versions": {ADDONS[a]: v for a, v in on_nodes.items() if a not in NETWORK},
        }
        (tmp_path / "terraform.tfvars.json").write_text(json.dumps(values))

    run = tofu_runner(tmp_path, engine_env, fresh_emu.status.ca_bundle)
    old, new = default_versions(FROM), default_versions(TO)
    assert all(old[a] != new[a] for a in ADDONS), (old, new)  # every add-on moves with the minor
    variables(FROM, old, old)
    assert (out := run("init")).returncode == 0, out.stdout + out.stderr
    assert (out := run("apply", "-auto-approve", "-parallelism=20")).returncode == 0, (
        out.stdout[-4000:] + out.stderr[-4000:]
    )
    assert eks.describe_cluster(name=CLUSTER)["cluster"]["version"] == FROM
    groups = sorted(eks.list_nodegroups(clusterName=CLUSTER)["nodegroups"])
    assert groups == [f"{CLUSTER}-application", f"{CLUSTER}-system"]

    # Step 1: the control plane and the networking add-ons, in place (never a replacement).
    variables(TO, new, old)
    changes, versions = applied_layer(run, "cluster")
    assert changes == {
        "module.cluster.aws_eks_cluster.this": "updated in-place",
        'module.cluster.aws_eks_addon.network["vpc-cni"]': "updated in-place",
        'module.cluster.aws_eks_addon.network["kube-proxy"]': "updated in-place",
    }
    assert versions == [(FROM, TO)]
    assert query("describe-cluster", eks.describe_cluster(name=CLUSTER)) == {"version": TO, "status": "ACTIVE"}
    assert set(NETWORK) <= set(eks.list_addons(clusterName=CLUSTER)["addons"])
    shown = query("describe-addon kube-proxy", eks.describe_addon(clusterName=CLUSTER, addonName="kube-proxy"))
    assert shown == {"v": new["kube-proxy"], "s": "ACTIVE"}
    assert eks.describe_addon(clusterName=CLUSTER, addonName="vpc-cni")["addon"]["addonVersion"] == new["vpc-cni"]
    # Why step 2 is never skipped: EKS refuses the next minor while node groups are behind.
    with pytest.raises(ClientError) as refused:
        eks.update_cluster_version(name=CLUSTER, version="1.35")
    assert refused.value.response["Error"]["Code"] == "InvalidParameterException"
    assert "must be updated to match cluster version 1.34" in refused.value.response["Error"]["Message"]

    # Step 2: the node groups follow the cluster's version; nothing else changes.
    changes, versions = applied_layer(run, "nodegroups")
    assert changes == {
        f'module.nodegroups.aws_eks_node_group.this["{g}"]': "updated in-place" for g in ("system", "application")
    }
    assert versions == [(FROM, TO)] * 2
    for group in groups:
        shown = query("describe-nodegroup", eks.describe_nodegroup(clusterName=CLUSTER, nodegroupName=group))
        assert shown["version"] == TO and shown["release"].startswith(f"{TO}.") and shown["status"] == "ACTIVE"

    # Step 3: the add-ons on nodes.
    variables(TO, new, new)
    changes, _ = applied_layer(run, "addons")
    assert changes == {
        f'module.addons.aws_eks_addon.this["{a}"]': "updated in-place" for a in ADDONS if a not in NETWORK
    }
    assert sorted(eks.list_addons(clusterName=CLUSTER)["addons"]) == sorted(ADDONS)
    shown = query("describe-addon coredns", eks.describe_addon(clusterName=CLUSTER, addonName="coredns"))
    assert shown == {"v": new["coredns"], "s": "ACTIVE"}
    for addon in ADDONS:
        assert eks.describe_addon(clusterName=CLUSTER, addonName=addon)["addon"]["addonVersion"] == new[addon]

    # Step 4: nothing left behind.
    drift = run("plan", "-detailed-exitcode", "-parallelism=20")
    assert drift.returncode == 0, drift.stdout[-4000:] + drift.stderr[-4000:]

    # What `aws eks list-updates` / `describe-update` show for each step.
    def updates(**scope: str) -> list[dict[str, Any]]:
        ids = eks.list_updates(name=CLUSTER, **scope)["updateIds"]
        return [query("describe-update", eks.describe_update(name=CLUSTER, updateId=i, **scope)) for i in ids]

    assert updates() == [{"type": "VersionUpdate", "status": "Successful", "errors": []}]
    for group in groups:
        assert updates(nodegroupName=group) == [{"type": "VersionUpdate", "status": "Successful", "errors": []}]
    for addon in ADDONS:
        assert updates(addonName=addon) == [{"type": "AddonUpdate", "status": "Successful", "errors": []}]
