"""What environments/root.hcl generates (provider block, backend config) for an environment unit and a
bootstrap unit, each with its settings.hcl, rendered by the real Terragrunt: real AWS runs get no
emulator settings and the provider assumes the execution role only when orch did not; local runs
point every service at the emulator through environments/local-mode.hcl, shared by both settings.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from orchestrator import tools
from tests.helpers import REPO

LOCAL = {
    "ORCH_LOCAL_ENDPOINT": "https://127.0.0.1:4566",
    "ORCH_LOCAL_ACCOUNT_ID": "123456789012",
    "ORCH_LOCAL_PROXY": "http://127.0.0.1:4567",
}


def render(unit: Path, env: dict[str, str], **extra: str) -> dict[str, Any]:
    run_env = {k: v for k, v in env.items() if not k.startswith(("ORCH_LOCAL", "ORCH_ROLE"))}
    run_env.update(ORCH_OFFLINE="1", **extra)
    proc = subprocess.run(
        [str(tools.find_tool("terragrunt")), "render", "--json"],
        cwd=unit,
        env=run_env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def provider(rendered: dict[str, Any]) -> str:
    return str(rendered["generate"]["provider"]["contents"])


@pytest.mark.engines
def test_real_runs_have_no_emulator_settings(engine_env: dict[str, str]) -> None:
    for unit in (REPO / "environments/LIVE/eks-prod/30-eks-cluster", REPO / "bootstrap/00-state-backend"):
        rendered = render(unit, engine_env)
        text = provider(rendered)
        assert 'allowed_account_ids = ["111111111111"]' in text
        assert "endpoints {" not in text and "https_proxy" not in text and "skip_" not in text
        assert "endpoints" not in rendered["remote_state"]["config"]


@pytest.mark.engines
def test_local_runs_point_every_service_at_the_emulator(engine_env: dict[str, str]) -> None:
    for unit in (REPO / "environments/LIVE/eks-prod/80-storage", REPO / "bootstrap/00-state-backend"):
        rendered = render(unit, engine_env, **LOCAL)
        text = provider(rendered)
        assert 'allowed_account_ids = ["123456789012"]' in text
        assert '  https_proxy                 = "http://127.0.0.1:4567"' in text
        for service in ("s3", "s3control", "sts", "iam", "rds", "efs", "cloudwatch"):
            assert f'    {service} = "https://127.0.0.1:4566"' in text, service
        assert "assume_role" not in text
        config = rendered["remote_state"]["config"]
        assert config["endpoints"]["s3"] == LOCAL["ORCH_LOCAL_ENDPOINT"] and config["use_path_style"] is True
        assert ":123456789012:" in config["kms_key_id"]


@pytest.mark.engines
def test_provider_assumes_the_role_only_when_orch_did_not(engine_env: dict[str, str], tmp_path: Path) -> None:
    # A copy of the environment whose env.yaml names an execution role with an external id.
    live = tmp_path / "environments/LIVE/eks-prod"
    shutil.copytree(
        REPO / "environments",
        tmp_path / "environments",
        ignore=shutil.ignore_patterns(".terragrunt-cache", ".terraform", ".terraform.lock.hcl"),
    )
    (tmp_path / "terraform").symlink_to(REPO / "terraform")
    env_yaml = live / "env.yaml"
    text = env_yaml.read_text()
    assert "  arn: arn:aws:iam::111111111111:role/orch-terraform-execution" in text
    assert "  external_id: null" in text
    env_yaml.write_text(text.replace("  external_id: null", "  external_id: ext-42", 1))

    alone = provider(render(live / "30-eks-cluster", engine_env))
    assert (
        '  assume_role {\n    role_arn     = "arn:aws:iam::111111111111:role/orch-terraform-execution"\n'
        '    session_name = "terragrunt-30-eks-cluster"\n    external_id  = "ext-42"\n  }'
    ) in alone
    by_orch = provider(render(live / "30-eks-cluster", engine_env, ORCH_ROLE_ASSUMED="1"))
    assert "assume_role" not in by_orch


@pytest.mark.engines
def test_security_settings_flow_from_env_yaml_to_the_units(engine_env: dict[str, str]) -> None:
    """Issue 18: env.yaml's `iam:` principals reach the IAM baseline; its `eks:` roles and namespaces
    reach 30-eks-cluster (the execution role as admin, CI not) and 50-addons (namespaces, network
    policy, External Secrets with the Aurora secret from 60-database)."""
    env = yaml.safe_load((REPO / "environments/LIVE/eks-prod/env.yaml").read_text())
    baseline = render(REPO / "bootstrap/10-iam-baseline", engine_env)["inputs"]
    assert baseline["admin_principal_arns"] == env["iam"]["admin_principals"]
    assert baseline["developer_principal_arns"] == env["iam"]["developer_principals"]
    assert baseline["audit_principal_arns"] == env["iam"]["audit_principals"]
    assert baseline["require_mfa"] is True

    cluster = render(REPO / "environments/LIVE/eks-prod/30-eks-cluster", engine_env)["inputs"]
    assert cluster["admin_role_arns"] == [*env["eks"]["admin_role_arns"], env["execution_role"]["arn"]]
    assert cluster["ci_role_arns"] == env["eks"]["ci_role_arns"]
    assert cluster["developer_role_arns"] == env["eks"]["developer_role_arns"]
    assert cluster["audit_role_arns"] == env["eks"]["audit_role_arns"]
    assert cluster["application_namespaces"] == env["eks"]["namespaces"]["applications"]

    addons = render(REPO / "environments/LIVE/eks-prod/50-addons", engine_env)["inputs"]
    assert addons["namespaces"] == env["eks"]["namespaces"]
    assert addons["network_policy"] == {
        "load_balancer_cidrs": ["10.0.0.0/24", "10.0.1.0/24", "10.0.10.0/24", "10.0.11.0/24"],
        "egress_cidrs": ["10.0.0.0/16"],
    }
    assert addons["external_secrets"]["secret_name_prefix"] == "orch-eks-prod/"
    assert ":secret:rds!cluster-" in addons["database_secret"]["secret_arn"]


@pytest.mark.engines
def test_local_runs_switch_off_only_unavailable_charts(engine_env: dict[str, str]) -> None:
    """Issue 20: a local run's 50-addons keeps its Kubernetes side (the emulated cluster has a
    Kubernetes API) and gets emulator-overrides.yaml's chart switches; only where orch found no
    local Kubernetes API (ORCH_LOCAL_KUBE=0) is the Kubernetes side off. Real runs get neither."""
    unit = REPO / "environments/LIVE/eks-prod/50-addons"
    local = {"ORCH_LOCAL_ENDPOINT": "https://127.0.0.1:4566"}
    charts = yaml.safe_load((REPO / "environments/emulator-overrides.yaml").read_text())["unavailable_helm_charts"]
    inputs = render(unit, engine_env, **local, ORCH_LOCAL_KUBE="1")["inputs"]
    assert inputs["unavailable_helm_charts"] == charts and "enable_kubernetes_resources" not in inputs
    inputs = render(unit, engine_env, **local, ORCH_LOCAL_KUBE="0")["inputs"]
    assert inputs["enable_kubernetes_resources"] is False
    inputs = render(unit, engine_env)["inputs"]
    assert "unavailable_helm_charts" not in inputs and "enable_kubernetes_resources" not in inputs


@pytest.mark.engines
def test_organization_layer_runs_in_the_management_account(engine_env: dict[str, str]) -> None:
    """Issue 19: bootstrap/05-organization takes its account, region, state and inputs from
    bootstrap/accounts.yaml (the management account); local runs keep its state in the environment's
    emulator bucket under management/ and point organizations, cloudtrail, guardduty and securityhub
    at the emulator."""
    accounts = yaml.safe_load((REPO / "bootstrap/accounts.yaml").read_text())
    unit = REPO / "bootstrap/05-organization"
    real = render(unit, engine_env)
    assert f'allowed_account_ids = ["{accounts["management"]["account_id"]}"]' in provider(real)
    config = real["remote_state"]["config"]
    assert config["bucket"] == accounts["management"]["state"]["bucket"]
    assert config["key"] == "management/bootstrap/05-organization/terraform.tfstate"
    assert "kms_key_id" not in config and config["encrypt"] is True
    inputs = real["inputs"]
    assert inputs["accounts"] == accounts["accounts"]
    assert inputs["security_account_name"] == accounts["organization"]["security_account"]
    assert inputs["organizational_units"]["Production"] == {"parent": "Workloads"}
    assert inputs["organizational_units"]["Security"] == {"parent": None}
    assert inputs["tags"]["Environment"] == "management"
    assert inputs["cost_allocation_tag_keys"] == accounts["organization"]["cost_allocation_tags"]

    local = render(unit, engine_env, **LOCAL)
    text = provider(local)
    for service in ("organizations", "cloudtrail", "guardduty", "securityhub", "s3", "kms", "logs"):
        assert f'    {service} = "https://127.0.0.1:4566"' in text, service
    env = yaml.safe_load((REPO / "environments/LIVE/eks-prod/env.yaml").read_text())
    config = local["remote_state"]["config"]
    assert config["bucket"] == env["state"]["bucket"]
    assert config["key"] == "management/bootstrap/05-organization/terraform.tfstate"

    # The environment layers are unchanged: env.yaml's account and state.
    baseline = render(REPO / "bootstrap/10-iam-baseline", engine_env)
    assert 'allowed_account_ids = ["111111111111"]' in provider(baseline)
    assert baseline["remote_state"]["config"]["key"] == "eks-prod/bootstrap/10-iam-baseline/terraform.tfstate"
    # No execution_role.trusted_ci_role_arn in env.yaml: the execution role's trust stays as before.
    assert baseline["inputs"]["execution_role_ci_principal_arn"] is None
