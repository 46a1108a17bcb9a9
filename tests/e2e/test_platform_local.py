"""The whole eks-prod platform through `orch --local`: bootstrap, apply of every layer in
dependency order, a second plan with no changes, and boto3 read-backs of what the
production plan (shared/design/plan.md) asks for.

The `platform` fixture (conftest.py) does the expensive part once per session.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
import yaml
from checks_data import (
    assert_access_logging,
    assert_alarms,
    assert_aurora_cluster,
    assert_auth_token_secret,
    assert_bucket_hardened,
    assert_bucket_tags,
    assert_efs,
    assert_master_secret,
    assert_redis_parameter_group,
    assert_redis_replication_group,
)
from checks_eks import (
    ADMIN_POLICY,
    CLUSTER_NAME,
    EXPECTED_NODE_GROUPS,
    assert_access,
    assert_addons,
    assert_cluster,
    assert_irsa_role,
    assert_launch_template_hardened,
    assert_log_group,
    assert_node_groups,
    assert_oidc_provider,
    assert_secrets_encryption,
)
from checks_kubernetes import ClusterAPI, check_layer_objects
from checks_networking import (
    RESOURCE_ACCOUNT_ENDPOINTS,
    check_endpoints,
    check_flow_logs,
    check_foundation,
    check_nat_gateways,
    check_route_tables,
    check_security_groups,
    check_vpc,
)
from checks_operations import (
    assert_alarm_runbooks,
    assert_backup,
    assert_backup_role,
    assert_cost,
    assert_log_archive,
    assert_prometheus_workspace,
    assert_slack_channel,
    assert_topic_admits_cost_alerts,
)
from checks_security import (
    assert_access_policies,
    assert_endpoint_policies,
    assert_external_secrets_role,
    assert_human_role,
    assert_kubernetes_groups,
)
from e2e_platform import APPLY_TIMEOUT, ENV_NAME, LAYERS, Platform, failed_units

from orchestrator.emulator.kube import binaries, clients
from tests.helpers import REGION, REPO, run_orch

pytestmark = [pytest.mark.engines, pytest.mark.emulator, pytest.mark.slow, pytest.mark.timeout(3600)]


def test_bootstrap_created_the_state_backend(platform: Platform) -> None:
    assert platform.bootstrap["bucket"] == "orch-tfstate-eks-prod-111111111111"
    assert platform.bootstrap["changed"] is True
    s3 = platform.client("s3")
    assert s3.get_bucket_versioning(Bucket=platform.bootstrap["bucket"])["Status"] == "Enabled"


def graph_json(platform: Platform) -> dict:
    proc = run_orch("graph", "--env", ENV_NAME, "--format", "json", env=platform.env, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_every_layer_applies_in_dependency_order(platform: Platform) -> None:
    report = platform.apply_report
    assert platform.apply_rc == 0, failed_units(report)
    results = {u["path"]: u["result"] for u in report["units"]}
    assert results == dict.fromkeys(LAYERS, "applied"), results
    started = {u["path"]: u["started_at"] for u in report["units"]}
    finished = {u["path"]: u["finished_at"] for u in report["units"]}
    graph = graph_json(platform)
    for unit in graph["units"]:
        for dep in unit["dependencies"]:
            assert finished[dep] <= started[unit["path"]], f"{unit['path']} started before {dep} finished"


def test_second_plan_shows_no_changes(platform: Platform) -> None:
    """The plan right after the apply (the drift run's refreshed plan of every unit) changes nothing.

    A separate `orch plan --all` would repeat the same plans (two minutes of the e2e's budget)."""
    assert platform.apply_rc == 0, "apply failed; see test_every_layer_applies_in_dependency_order"
    report = platform.drift_report
    assert platform.drift_rc == 0, failed_units(report)
    changes = {
        u["path"]: {k: u["summary"][k] for k in ("add", "change", "destroy", "replace") if u["summary"][k]}
        for u in report["units"]
    }
    assert {path: c for path, c in changes.items() if c} == {}
    assert not any(u["summary"]["has_changes"] for u in report["units"])


def test_drift_right_after_the_apply_is_clean(platform: Platform) -> None:
    """The nightly job's first night: nothing changed outside, so exit 0 and every unit in sync.

    Computed attributes other resources filled in (rules in security groups, policies in roles,
    an EIP's association, an Aurora cluster's members) are at most notes, never drift.
    """
    assert platform.apply_rc == 0, failed_units(platform.apply_report)
    # The apply recorded the refreshed state of every unit holding resources with guarded attributes
    # (security groups, route tables, roles): the ones whose stale values would read as drift.
    guarded = {u["path"] for u in platform.apply_report["units"] if u["summary"]["guarded"]}
    assert {"10-networking", "20-security", "30-eks-cluster"} <= guarded
    assert set(platform.apply_report["refreshed"]) == guarded
    report = platform.drift_report
    assert platform.drift_rc == 0, failed_units(report)
    assert {u["path"]: u["result"] for u in report["units"]} == dict.fromkeys(LAYERS, "in-sync")
    assert all(not u["summary"]["drift"] for u in report["units"])
    # Every unit's state object exists, so dependency outputs came from them and no unit waited for
    # its dependencies' plans: some unit started before one of its dependencies finished.
    log = (platform.runs_dir / report["run_id"] / "terragrunt.log").read_text()
    assert "--queue-ignore-dag-order" in log
    times = {u["path"]: u for u in report["units"]}
    graph = graph_json(platform)
    assert any(
        times[unit["path"]]["started_at"] < times[dep]["finished_at"]
        for unit in graph["units"]
        for dep in unit["dependencies"]
    )


def _drift_json(platform: Platform, *layers: str) -> tuple[int, dict]:
    args = ["--local", "drift", "--env", ENV_NAME, "--json"] + [a for layer in layers for a in ("--layer", layer)]
    proc = run_orch(*args, env=platform.env, timeout=APPLY_TIMEOUT)
    try:
        return proc.returncode, json.loads(proc.stdout)
    except json.JSONDecodeError:
        pytest.fail(f"drift printed no JSON (exit {proc.returncode}): {proc.stderr[-3000:]}")


def _findings(report: dict, unit: str) -> list[dict]:
    (found,) = [u for u in report["units"] if u["path"] == unit]
    return found["summary"]["drift_details"]


def test_drift_names_a_tag_changed_by_hand_and_an_ingress_rule_added_by_hand(platform: Platform) -> None:
    assert platform.apply_rc == 0, failed_units(platform.apply_report)
    ec2 = platform.client("ec2")
    vpc_id = platform.outputs["10-networking"]["vpc_id"]
    name = next(t["Value"] for t in ec2.describe_vpcs(VpcIds=[vpc_id])["Vpcs"][0]["Tags"] if t["Key"] == "Name")
    bastion = platform.outputs["20-security"]["bastion_security_group_id"]
    opened = {
        "IpProtocol": "tcp",
        "FromPort": 22,
        "ToPort": 22,
        "IpRanges": [{"CidrIp": "203.0.113.0/24", "Description": "added by hand"}],
    }
    # Both hand edits at once, one drift run over both units (each unit is planned on its own).
    ec2.create_tags(Resources=[vpc_id], Tags=[{"Key": "Name", "Value": "changed-by-hand"}])
    ec2.authorize_security_group_ingress(GroupId=bastion, IpPermissions=[opened])
    try:
        rc, report = _drift_json(platform, "10-networking", "20-security")
    finally:
        ec2.create_tags(Resources=[vpc_id], Tags=[{"Key": "Name", "Value": name}])
        ec2.revoke_security_group_ingress(GroupId=bastion, IpPermissions=[opened])
    assert rc == 2, failed_units(report)
    results = {u["path"]: u["result"] for u in report["units"]}
    assert results == dict.fromkeys(["10-networking", "20-security"], "drifted"), failed_units(report)
    (finding,) = [f for f in _findings(report, "10-networking") if f["type"] == "aws_vpc"]
    paths = {a["path"]: (a["before"], a["after"]) for a in finding["attributes"]}
    assert paths["tags.Name"] == (json.dumps(name), '"changed-by-hand"'), paths
    assert finding["reason"] == "the plan reverts it"
    (finding,) = _findings(report, "20-security")
    assert finding["type"] == "aws_security_group" and finding["attributes"][0]["path"] == "ingress"
    assert "203.0.113.0/24" in finding["attributes"][0]["after"]
    # Put back by hand: in sync again.
    rc, report = _drift_json(platform, "10-networking", "20-security")
    assert rc == 0, failed_units(report)


def test_graph_orders_the_eks_layers(platform: Platform) -> None:
    graph = graph_json(platform)
    order = [u["path"] for u in graph["units"]]
    deps = {u["path"]: set(u["dependencies"]) for u in graph["units"]}
    assert order.index("10-networking") > order.index("00-foundation")
    assert order.index("20-security") > order.index("10-networking")
    assert {"10-networking", "20-security"} <= deps["30-eks-cluster"]
    assert "30-eks-cluster" in deps["40-nodegroups"]
    assert {"30-eks-cluster", "40-nodegroups"} <= deps["50-addons"]
    assert "40-nodegroups" in deps["90-monitoring"]  # the observability add-on needs nodes
    assert {"50-addons", "85-backup"} <= deps["90-monitoring"]  # gp3 for the collector; the vault's alarm
    assert {"60-database", "80-storage"} <= deps["85-backup"] and "90-monitoring" in deps["95-cost"]


def test_eks_cluster_node_groups_and_irsa(platform: Platform) -> None:
    assert platform.apply_rc == 0, failed_units(platform.apply_report)
    eks, iam, ec2 = platform.client("eks"), platform.client("iam"), platform.client("ec2")
    cluster = assert_cluster(eks, CLUSTER_NAME, version="1.35")
    assert_secrets_encryption(cluster, platform.client("kms"))
    assert_log_group(platform.client("logs"), CLUSTER_NAME)
    assert_oidc_provider(iam, cluster)
    groups = assert_node_groups(eks, CLUSTER_NAME, EXPECTED_NODE_GROUPS)
    for group in groups.values():
        assert_launch_template_hardened(ec2, group["launchTemplate"]["id"])
    assert groups["system"]["taints"] == [{"key": "CriticalAddonsOnly", "value": "true", "effect": "NO_SCHEDULE"}]
    assert_irsa_role(iam, f"{CLUSTER_NAME}-aws-node", "system:serviceaccount:kube-system:aws-node")
    assert_irsa_role(
        iam,
        f"{CLUSTER_NAME}-load-balancer-controller",
        "system:serviceaccount:kube-system:aws-load-balancer-controller",
    )


def _known_secrets(platform: Platform) -> dict[str, str]:
    """Every secret value this run handled: the assumed-role keys the emulator's STS issued (from
    moto's model data), the Aurora master password and the Redis AUTH token (Secrets Manager)."""
    import requests

    found: dict[str, str] = {}
    url = f"{platform.endpoint}/_orch/issued-credentials"
    for role in requests.get(url, verify=platform.ca_bundle, timeout=60).json()["assumed_roles"]:
        found[f"secret key of {role['arn']}"] = role["secret_access_key"]
        found[f"session token of {role['arn']}"] = role["session_token"]
    secrets = platform.client("secretsmanager")
    aurora = json.loads(
        secrets.get_secret_value(SecretId=platform.outputs["60-database"]["master_user_secret_arn"])["SecretString"]
    )
    found["Aurora master password"] = aurora["password"]
    found["Redis AUTH token"] = secrets.get_secret_value(
        SecretId=platform.outputs["70-cache"]["auth_token_secret_arn"]
    )["SecretString"]
    return {what: value for what, value in found.items() if value and len(value) >= 8}


def test_no_secret_reaches_logs_reports_plans_or_the_terminal(platform: Platform) -> None:
    """Issue 16: grep every artifact of the whole-platform run (logs, report.json, junit.xml,
    summary.md, plan JSON, the terminal output) for every secret value the run handled."""
    assert platform.apply_rc == 0, failed_units(platform.apply_report)
    secrets = _known_secrets(platform)
    assert any(w.startswith("session token") for w in secrets), "orch assumed no role: nothing was checked"
    assert {"Aurora master password", "Redis AUTH token"} <= set(secrets)
    artifacts = {"terminal output": platform.terminal}
    for path in Path(platform.runs_dir).rglob("*"):
        if path.is_file() and path.suffix in {".log", ".json", ".md", ".xml"}:
            artifacts[str(path)] = path.read_text(errors="replace")
    assert len(artifacts) > 30, sorted(artifacts)
    leaked = [f"{what} in {where}" for where, text in artifacts.items() for what, v in secrets.items() if v in text]
    assert not leaked, leaked


def test_a_second_apply_on_the_environment_is_refused_by_the_run_lock(platform: Platform) -> None:
    """Issue 16: the environment's run lock is an object in its state bucket. While one names a
    live run, an apply is refused before any engine starts; one left by a killed run is named
    and `orch unlock` releases it; a finished apply left none behind."""
    import os
    import socket
    from datetime import UTC, datetime

    from orchestrator.config import load_env

    state = load_env(ENV_NAME).state
    key = f"{state.key_prefix}/.orch/run.lock.json"
    s3 = platform.client("s3")
    assert "Contents" not in s3.list_objects_v2(Bucket=state.bucket, Prefix=key), "an apply left its lock"
    dead = subprocess.Popen(["true"])
    dead.wait()
    for pid, expected in ((os.getpid(), "still running; nothing started"), (dead.pid, "was killed without releasing")):
        holder = {
            "run_id": "20261126T000000000000Z-e2e000",
            "command": "apply",
            "target": f"--env {ENV_NAME}",
            "host": socket.gethostname(),
            "pid": pid,
            "user": "jenkins",
            "started_at": datetime.now(UTC).isoformat(),
        }
        s3.put_object(Bucket=state.bucket, Key=key, Body=json.dumps(holder).encode(), ServerSideEncryption="aws:kms")
        runs_before = sorted(platform.runs_dir.iterdir())
        apply = ("--local", "apply", "--env", ENV_NAME, "--layer", "00-foundation", "--auto-approve")
        proc = run_orch(*apply, env=platform.env, timeout=APPLY_TIMEOUT)
        assert proc.returncode == 1 and expected in proc.stderr, proc.stderr[-2000:]
        assert f"pid {pid}" in proc.stderr and "nothing started" in proc.stderr, proc.stderr[-2000:]
        assert sorted(platform.runs_dir.iterdir()) == runs_before, "a refused apply started a run"
    released = run_orch("--local", "unlock", "--env", ENV_NAME, env=platform.env, timeout=APPLY_TIMEOUT)
    assert released.returncode == 0 and "released the run lock of run 20261126T000000000000Z-e2e000" in released.stderr
    assert "Contents" not in s3.list_objects_v2(Bucket=state.bucket, Prefix=key)


def test_foundation_keys(platform: Platform) -> None:
    assert platform.apply_rc == 0, failed_units(platform.apply_report)
    foundation = platform.outputs["00-foundation"]
    check_foundation(platform.client("kms"), foundation)
    # New EBS volumes (node root volumes, CSI volumes) are encrypted with the platform's ebs key.
    ec2 = platform.client("ec2")
    assert ec2.get_ebs_encryption_by_default()["EbsEncryptionByDefault"] is True
    assert ec2.get_ebs_default_kms_key_id()["KmsKeyId"] == foundation["kms_key_arns"]["ebs"]
    assert foundation["ebs_default_kms_key_arn"] == foundation["kms_key_arns"]["ebs"]


def test_vpc_subnets_nat_gateways_and_routes(platform: Platform) -> None:
    assert platform.apply_rc == 0, failed_units(platform.apply_report)
    ec2, net = platform.client("ec2"), platform.outputs["10-networking"]
    check_vpc(ec2, net)
    nat_by_az = check_nat_gateways(ec2, net)
    check_route_tables(ec2, net, nat_by_az)


def test_vpc_endpoints_and_flow_logs(platform: Platform) -> None:
    assert platform.apply_rc == 0, failed_units(platform.apply_report)
    ec2 = platform.client("ec2")
    endpoints = check_endpoints(ec2, platform.outputs["10-networking"])
    # Issue 18: every interface endpoint only for this account's principals (and, for the data
    # services, resources).
    account = platform.client("sts").get_caller_identity()["Account"]
    assert_endpoint_policies(endpoints, account, RESOURCE_ACCOUNT_ENDPOINTS)
    check_flow_logs(ec2, platform.client("logs"), platform.outputs["00-foundation"], platform.outputs["10-networking"])


def test_security_group_rules(platform: Platform) -> None:
    assert platform.apply_rc == 0, failed_units(platform.apply_report)
    check_security_groups(platform.client("ec2"), platform.outputs["10-networking"], platform.outputs["20-security"])


OVERRIDES = yaml.safe_load((REPO / "environments/emulator-overrides.yaml").read_text()) or {}


def test_local_runs_switch_off_only_charts_that_cannot_be_had_offline() -> None:
    """Issues 15 and 20: every AWS API the stack calls is served locally, and every cluster has a
    Kubernetes API; what is left are Helm charts from chart repositories (local runs reach only package
    registries), one switch per chart, each with its reason."""
    assert set(OVERRIDES) == {"unavailable_helm_charts"}, sorted(OVERRIDES)
    charts = OVERRIDES["unavailable_helm_charts"]
    for name, reason in charts.items():
        assert isinstance(reason, str) and "https://" in reason, (name, reason)
    helm_tf = (REPO / "terraform/modules/eks-addons/helm.tf").read_text()
    prometheus_tf = (REPO / "terraform/modules/monitoring/prometheus.tf").read_text()
    for name in charts:
        assert f"{name} = {{" in helm_tf or f'"{name}")' in prometheus_tf, f"{name} names no release"


KUBE_REASON = binaries.unavailable_reason() or "local Kubernetes off"
needs_kube = pytest.mark.skipif(not binaries.available(), reason=KUBE_REASON)


def _cluster_api(platform: Platform) -> ClusterAPI:
    return ClusterAPI(
        platform.client("eks"), platform.client("sts"), CLUSTER_NAME, platform.endpoint, platform.ca_bundle
    )


@needs_kube
def test_kubernetes_objects_of_the_layers_through_the_api(platform: Platform) -> None:
    """Issue 20: with a token of the applying role (orch-terraform-execution, its access entry from
    30-eks-cluster) the cluster's own API lists what the layers created."""
    assert platform.apply_rc == 0, failed_units(platform.apply_report)
    api = _cluster_api(platform)
    account = platform.client("sts").get_caller_identity()["Account"]
    token = api.token(f"arn:aws:iam::{account}:role/orch-terraform-execution")
    check_layer_objects(
        api,
        token,
        namespaces=ENV_YAML["eks"]["namespaces"],
        pod_subnets_by_az=platform.outputs["10-networking"]["pod_subnet_ids_by_az"],
        efs=True,
    )
    # The nodes of 40-nodegroups registered (kwok keeps them Ready), labelled with their group.
    nodes = api.items(token, "/api/v1/nodes")
    groups = {n["metadata"]["labels"].get("eks.amazonaws.com/nodegroup") for n in nodes.values()}
    eks = platform.client("eks")
    wanted = {
        name
        for name in eks.list_nodegroups(clusterName=CLUSTER_NAME)["nodegroups"]
        if eks.describe_nodegroup(clusterName=CLUSTER_NAME, nodegroupName=name)["nodegroup"]["scalingConfig"][
            "desiredSize"
        ]
    }
    assert wanted <= groups, (wanted, groups)


@needs_kube
def test_kubernetes_api_refuses_a_role_without_access_entry(platform: Platform) -> None:
    """Issue 20: no access entry, no access (401), as on AWS: the CI role has none."""
    assert platform.apply_rc == 0, failed_units(platform.apply_report)
    api = _cluster_api(platform)
    iam = platform.client("iam")
    account = platform.client("sts").get_caller_identity()["Account"]
    name = "orch-e2e-no-access-entry"
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{account}:root"}, "Action": "sts:AssumeRole"}
        ],
    }
    try:
        iam.get_role(RoleName=name)
    except iam.exceptions.NoSuchEntityException:
        iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(trust))
    code, answer = api.get(api.token(f"arn:aws:iam::{account}:role/{name}"), "/api/v1/namespaces")
    assert code in (401, 403), (code, answer)


@needs_kube
def test_developer_reads_but_cannot_write_outside_the_application_namespaces(platform: Platform) -> None:
    """Issue 20: the developer role (AmazonEKSViewPolicy cluster-wide, AmazonEKSEditPolicy in the
    application namespaces, 30-eks-cluster) reads a platform namespace and may not write there; in
    its application namespace it writes; it reads no Secrets outside it and changes no cluster object."""
    assert platform.apply_rc == 0, failed_units(platform.apply_report)
    api = _cluster_api(platform)
    account = platform.client("sts").get_caller_identity()["Account"]
    token = api.token(f"arn:aws:iam::{account}:role/orch-developer-readonly", session="developer")
    platform_ns = ENV_YAML["eks"]["namespaces"]["platform"][0]
    app_ns = ENV_YAML["eks"]["namespaces"]["applications"][0]
    config_map = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "e2e-developer"}, "data": {"a": "b"}}
    assert api.get(token, f"/api/v1/namespaces/{platform_ns}/configmaps")[0] == 200
    assert api.get(token, f"/apis/networking.k8s.io/v1/namespaces/{app_ns}/networkpolicies")[0] == 200
    code, answer = clients.call(
        api.endpoint, api.ca_pem, token, "POST", f"/api/v1/namespaces/{platform_ns}/configmaps", config_map
    )
    assert code == 403, (code, answer)
    assert api.get(token, f"/api/v1/namespaces/{platform_ns}/secrets")[0] == 403
    code, answer = clients.call(
        api.endpoint, api.ca_pem, token, "POST", f"/api/v1/namespaces/{app_ns}/configmaps", config_map
    )
    assert code == 201, (code, answer)
    assert (
        clients.call(api.endpoint, api.ca_pem, token, "DELETE", "/apis/storage.k8s.io/v1/storageclasses/gp3")[0] == 403
    )


def test_access_entries_addons_and_update_settings_as_in_production(platform: Platform) -> None:
    """Issue 15: what local runs used to switch off is created and read back with boto3."""
    assert platform.apply_rc == 0, failed_units(platform.apply_report)
    eks, iam = platform.client("eks"), platform.client("iam")
    account = platform.client("sts").get_caller_identity()["Account"]
    execution = f"arn:aws:iam::{account}:role/orch-terraform-execution"
    # The applying role (execution_role.arn, added to the admin list) and env.yaml's admin role
    # (bootstrap/10-iam-baseline's orch-eks-admin) are cluster admins.
    admin = f"arn:aws:iam::{account}:role/orch-eks-admin"
    assert_access(eks, CLUSTER_NAME, {execution: ADMIN_POLICY, admin: ADMIN_POLICY})
    cluster = eks.describe_cluster(name=CLUSTER_NAME)["cluster"]
    assert cluster["upgradePolicy"] == {"supportType": "STANDARD"}
    # No implicit creator admin: the only entries are the ones env.yaml declares (AWS does not return
    # the bootstrap flags in DescribeCluster, so the entries are what can be read back): the admins
    # and issue 18's developer and audit roles.
    developer = f"arn:aws:iam::{account}:role/orch-developer-readonly"
    audit = f"arn:aws:iam::{account}:role/orch-audit-readonly"
    assert sorted(eks.list_access_entries(clusterName=CLUSTER_NAME)["accessEntries"]) == sorted(
        [execution, admin, developer, audit]
    )
    addons = assert_addons(
        eks,
        iam,
        CLUSTER_NAME,
        {
            "vpc-cni": f"{CLUSTER_NAME}-aws-node",
            "kube-proxy": None,
            "coredns": None,
            "aws-ebs-csi-driver": f"{CLUSTER_NAME}-ebs-csi",
            "aws-efs-csi-driver": f"{CLUSTER_NAME}-efs-csi",
            "amazon-cloudwatch-observability": f"{CLUSTER_NAME}-cloudwatch-agent",
        },
    )
    cni = json.loads(addons["vpc-cni"]["configurationValues"])
    pod_subnets = platform.outputs["10-networking"]["pod_subnet_ids_by_az"]
    assert {az: s["id"] for az, s in cni["eniConfig"]["subnets"].items()} == pod_subnets
    # The networking add-ons existed before the first node group (30 before 40).
    first_node_group = min(
        eks.describe_nodegroup(clusterName=CLUSTER_NAME, nodegroupName=name)["nodegroup"]["createdAt"]
        for name in eks.list_nodegroups(clusterName=CLUSTER_NAME)["nodegroups"]
    )
    assert addons["vpc-cni"]["createdAt"] <= first_node_group and addons["kube-proxy"]["createdAt"] <= first_node_group
    for name in eks.list_nodegroups(clusterName=CLUSTER_NAME)["nodegroups"]:
        group = eks.describe_nodegroup(clusterName=CLUSTER_NAME, nodegroupName=name)["nodegroup"]
        assert group["updateConfig"] == {"maxUnavailablePercentage": 33}, (name, group.get("updateConfig"))


def test_a_role_without_access_entry_cannot_plan_the_kubernetes_layer(platform: Platform) -> None:
    """Issue 15: remove the applying role's access entry as someone might by hand; the next plan of
    50-addons fails like AWS would refuse the role, in one line naming it; restored afterwards."""
    assert platform.apply_rc == 0, failed_units(platform.apply_report)
    eks = platform.client("eks")
    account = platform.client("sts").get_caller_identity()["Account"]
    execution = f"arn:aws:iam::{account}:role/orch-terraform-execution"
    eks.delete_access_entry(clusterName=CLUSTER_NAME, principalArn=execution)
    try:
        plan = ("--local", "plan", "--env", ENV_NAME, "--layer", "50-addons", "--json")
        proc = run_orch(*plan, env=platform.env, timeout=APPLY_TIMEOUT)
        assert proc.returncode == 1, proc.stdout[-3000:] + proc.stderr[-3000:]
        report = json.loads(proc.stdout)
        # Every state object exists: the plan read 50-addons' dependency outputs from them and did
        # not wait for its dependencies (orch plan, like drift, on an applied environment).
        log = (platform.runs_dir / report["run_id"] / "terragrunt.log").read_text()
        assert "--queue-ignore-dag-order" in log
        (unit,) = [u for u in report["units"] if u["path"] == "50-addons"]
        error = unit["error"]
        assert "\n" not in error and execution in error and "has no access entry on EKS cluster" in error, error
        assert execution in proc.stderr and "has no access entry" in proc.stderr, proc.stderr[-3000:]
    finally:
        eks.create_access_entry(clusterName=CLUSTER_NAME, principalArn=execution, type="STANDARD")
        eks.associate_access_policy(
            clusterName=CLUSTER_NAME, principalArn=execution, policyArn=ADMIN_POLICY, accessScope={"type": "cluster"}
        )


def test_aurora_cluster(platform: Platform) -> None:
    assert platform.apply_rc == 0, failed_units(platform.apply_report)
    db = platform.outputs["60-database"]
    cluster = assert_aurora_cluster(
        platform.client("rds"), db["cluster_id"], kms_key_arn=platform.outputs["00-foundation"]["kms_key_arns"]["rds"]
    )
    assert cluster["Endpoint"] == db["cluster_endpoint"]
    assert cluster["MasterUserSecret"]["SecretArn"] == db["master_user_secret_arn"]
    assert_master_secret(platform.client("secretsmanager"), db["master_user_secret_arn"])
    assert cluster["DBSubnetGroup"] == platform.outputs["10-networking"]["database_subnet_group_name"]
    assert [g["VpcSecurityGroupId"] for g in cluster["VpcSecurityGroups"]] == [
        platform.outputs["20-security"]["rds_security_group_id"]
    ]


def test_redis_replication_group(platform: Platform) -> None:
    assert platform.apply_rc == 0, failed_units(platform.apply_report)
    cache = platform.outputs["70-cache"]
    group = assert_redis_replication_group(platform.client("elasticache"), cache["replication_group_id"])
    assert group["ConfigurationEndpoint"]["Address"] == cache["configuration_endpoint"]
    assert_redis_parameter_group(platform.client("elasticache"), group, cache["parameter_group_name"])
    assert_auth_token_secret(platform.client("secretsmanager"), cache["auth_token_secret_arn"])
    assert "auth_token" not in json.dumps(cache).lower().replace("auth_token_secret_arn", "")


def test_efs_and_buckets(platform: Platform) -> None:
    assert platform.apply_rc == 0, failed_units(platform.apply_report)
    storage = platform.outputs["80-storage"]
    assert_efs(platform.client("efs"), storage["efs_id"], platform.outputs["10-networking"]["private_subnet_ids"])
    buckets = storage["bucket_names"]
    assert set(buckets) >= {"logs", "artifacts"}
    s3 = platform.client("s3")
    for purpose, name in buckets.items():
        assert_bucket_hardened(s3, name, kms=purpose != "logs")
        assert_bucket_tags(s3, name, {"Project": "orch-eks", "Environment": "prod", "Layer": "80-storage"})
        if purpose != "logs":
            assert_access_logging(s3, name, target_bucket=buckets["logs"], prefix=f"s3-access/{purpose}/")


def test_metric_alarms(platform: Platform) -> None:
    assert platform.apply_rc == 0, failed_units(platform.apply_report)
    monitoring = platform.outputs["90-monitoring"]
    db, cache = platform.outputs["60-database"], platform.outputs["70-cache"]
    # Per Aurora instance 6, per Redis node 5, per NAT gateway 2; the control plane 6, Container
    # Insights 5, the backup vault 1, and 4 Metrics Insights alarms (ALBs, pod restarts).
    expected = (
        6 * len(db["instance_ids"])
        + 5 * len(cache["member_clusters"])
        + 2 * len(platform.outputs["10-networking"]["nat_gateway_ids"])
        + 16
    )
    assert len(monitoring["alarm_names"]) == expected
    assert_alarms(platform.client("cloudwatch"), monitoring["alarm_names"], monitoring["alarm_topic_arn"])
    # Someone is told: env.yaml's alarms.email_addresses subscribe to the topic.
    wanted = yaml.safe_load((REPO / "environments/LIVE/eks-prod/env.yaml").read_text())["alarms"]["email_addresses"]
    subs = platform.client("sns").list_subscriptions_by_topic(TopicArn=monitoring["alarm_topic_arn"])["Subscriptions"]
    assert sorted((s["Protocol"], s["Endpoint"]) for s in subs) == sorted(("email", a) for a in wanted)


ENV_YAML = yaml.safe_load((REPO / "environments/LIVE/eks-prod/env.yaml").read_text())


def test_developer_and_audit_roles_trust_like_the_other_human_roles(platform: Platform) -> None:
    """Issue 18: bootstrap/10-iam-baseline creates the developer and audit roles from env.yaml's
    `iam:` principals; IAM principals need MFA, Identity Center roles are matched by aws:PrincipalArn."""
    iam = platform.client("iam")
    principals = ENV_YAML["iam"]
    assert_human_role(
        iam, "orch-developer-readonly", principals=principals["developer_principals"], managed={"ReadOnlyAccess"}
    )
    assert_human_role(
        iam,
        "orch-audit-readonly",
        principals=principals["audit_principals"],
        managed={"SecurityAudit", "ReadOnlyAccess"},
    )


def test_kubernetes_rbac_through_access_entries(platform: Platform) -> None:
    """Issue 18: developers edit only the application namespaces and view the rest; auditors view;
    only the admins are cluster admins (CI never); the entries carry the groups 50-addons binds."""
    assert platform.apply_rc == 0, failed_units(platform.apply_report)
    eks = platform.client("eks")
    account = platform.client("sts").get_caller_identity()["Account"]
    role = f"arn:aws:iam::{account}:role/"
    applications = ENV_YAML["eks"]["namespaces"]["applications"]
    assert_access_policies(
        eks,
        CLUSTER_NAME,
        {
            role + "orch-terraform-execution": {"AmazonEKSClusterAdminPolicy": None},
            role + "orch-eks-admin": {"AmazonEKSClusterAdminPolicy": None},
            role + "orch-developer-readonly": {"AmazonEKSViewPolicy": None, "AmazonEKSEditPolicy": applications},
            role + "orch-audit-readonly": {"AmazonEKSViewPolicy": None},
        },
    )
    groups = platform.outputs["30-eks-cluster"]["kubernetes_groups"]
    assert_kubernetes_groups(
        eks,
        CLUSTER_NAME,
        {
            role + "orch-developer-readonly": [groups["developers"]],
            role + "orch-audit-readonly": [groups["auditors"]],
            role + "orch-terraform-execution": [],
        },
    )


def test_external_secrets_operator_reads_only_this_environment(platform: Platform) -> None:
    """Issue 18: the operator's IRSA role (AWS-side, applied locally) reads the environment's
    <name_prefix>/ secrets and the Aurora master secret of 60-database, decrypting with the rds key
    through Secrets Manager only."""
    assert platform.apply_rc == 0, failed_units(platform.apply_report)
    addons = platform.outputs["50-addons"]
    account = platform.client("sts").get_caller_identity()["Account"]
    master = platform.outputs["60-database"]["master_user_secret_arn"]
    prefix = f"arn:aws:secretsmanager:{REGION}:{account}:secret:{platform.outputs['00-foundation']['name_prefix']}/*"
    assert set(addons["external_secrets_readable_secret_arns"]) == {prefix, master}
    assert addons["irsa_role_arns"]["external-secrets"] == addons["external_secrets_role_arn"]
    assert_external_secrets_role(
        platform.client("iam"),
        f"{CLUSTER_NAME}-external-secrets",
        readable={prefix, master},
        kms_key_arns={platform.outputs["00-foundation"]["kms_key_arns"]["rds"]},
        region=REGION,
    )
    # The Aurora master secret is encrypted with that key (so the operator can decrypt it).
    db = platform.client("rds").describe_db_clusters(DBClusterIdentifier=platform.outputs["60-database"]["cluster_id"])
    secret = db["DBClusters"][0]["MasterUserSecret"]
    assert secret["SecretArn"] == master
    assert secret["KmsKeyId"] == platform.outputs["00-foundation"]["kms_key_arns"]["rds"], secret


def test_operations_alarm_routing_log_archive_and_prometheus(platform: Platform) -> None:
    assert platform.apply_rc == 0, failed_units(platform.apply_report)
    monitoring = platform.outputs["90-monitoring"]
    env = yaml.safe_load((REPO / "environments/LIVE/eks-prod/env.yaml").read_text())
    assert_alarm_runbooks(platform.client("cloudwatch"), monitoring["alarm_names"], REPO / "docs/runbooks")
    assert_topic_admits_cost_alerts(platform.client("sns"), monitoring["alarm_topic_arn"])
    slack = env["alarms"].get("slack")
    if slack:
        assert_slack_channel(
            platform.client("chatbot"),
            monitoring["slack_channel_configuration_arn"],
            monitoring["alarm_topic_arn"],
            team_id=slack["team_id"],
            channel_id=slack["channel_id"],
        )
    assert_log_archive(
        platform.client("logs"), monitoring["log_archive_subscriptions"], env["logs"]["archive_destination_arn"]
    )
    assert_prometheus_workspace(
        platform.client("amp"),
        platform.client("logs"),
        platform.client("iam"),
        monitoring["prometheus_workspace_id"],
        monitoring["prometheus_collector_role_arn"],
    )


def test_backup_plan_over_the_data_tier(platform: Platform) -> None:
    assert platform.apply_rc == 0, failed_units(platform.apply_report)
    backup = platform.outputs["85-backup"]
    env = yaml.safe_load((REPO / "environments/LIVE/eks-prod/env.yaml").read_text())
    assert_backup(
        platform.client("backup"),
        backup["vault_name"],
        backup["plan_id"],
        retention_days=env["backup"]["retention_days"],
        protected_arns=[platform.outputs["60-database"]["cluster_arn"], platform.outputs["80-storage"]["efs_arn"]],
    )
    assert_backup_role(platform.client("iam"), backup["service_role_arn"])


def test_budget_anomaly_alerts_and_cost_allocation_tags(platform: Platform) -> None:
    assert platform.apply_rc == 0, failed_units(platform.apply_report)
    cost = platform.outputs["95-cost"]
    env = yaml.safe_load((REPO / "environments/LIVE/eks-prod/env.yaml").read_text())
    account = platform.client("sts").get_caller_identity()["Account"]
    assert_cost(
        platform.client("budgets"),
        platform.client("ce"),
        account,
        cost["budget_name"],
        platform.outputs["90-monitoring"]["alarm_topic_arn"],
        amount=float(env["cost"]["monthly_budget_usd"]),
        anomaly_subscription_arn=cost["anomaly_subscription_arn"],
        activated_tags=cost["cost_allocation_tag_keys"],
    )
