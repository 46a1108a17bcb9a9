"""The foundation: real OpenTofu, Terragrunt and the AWS provider, built offline and usable."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from orchestrator import settings, tools
from tests.helpers import REPO, run_orch

pytestmark = pytest.mark.engines


def run(cmd: list[str], cwd: Path, env: dict[str, str], timeout: int = 600) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False)
    assert proc.returncode == 0, f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}"
    return proc


def test_doctor_json_reports_supported_engines_and_aws6(engine_env: dict[str, str]) -> None:
    proc = run_orch("doctor", "--json", env=engine_env, timeout=120)
    assert proc.returncode == 0, f"orch doctor failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}"
    report = json.loads(proc.stdout)
    assert tools.parse_version(report["tools"]["tofu"]["version"]) >= (1, 11, 0)
    assert tools.parse_version(report["tools"]["terragrunt"]["version"]) >= (0, 96, 0)
    assert report["providers"]["hashicorp/aws"]["version"].startswith("6.")
    assert report["missing"] == []


def test_doctor_names_the_aws_cli_the_kubernetes_layers_need(engine_env: dict[str, str], tmp_path: Path) -> None:
    """50-addons signs EKS tokens with `aws eks get-token` at run time; doctor says where it is, or warns."""
    proc = run_orch("doctor", "--json", env=engine_env, timeout=120)
    assert proc.returncode == 0, f"orch doctor failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}"
    report = json.loads(proc.stdout)
    assert report["aws_cli"] == shutil.which("aws", path=engine_env.get("PATH"))
    # Without it on PATH: a warning naming the layer, not a failure (local and AWS-only runs do without).
    bare = {**engine_env, "PATH": str(Path(sys.executable).parent)}
    proc = run_orch("doctor", "--json", env=bare, timeout=120)
    assert proc.returncode == 0, f"orch doctor failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}"
    report = json.loads(proc.stdout)
    assert report["aws_cli"] is None
    assert any("aws eks get-token" in w and "50-addons" in w for w in report["warnings"]), report["warnings"]


def test_doctor_says_which_engine_shim_runs_use(engine_env: dict[str, str], tmp_path: Path) -> None:
    """The Go shim setup.sh builds, by path; without it (another cache) a warning, not a failure."""
    proc = run_orch("doctor", "--json", env=engine_env, timeout=120)
    report = json.loads(proc.stdout)
    assert report["engine_shim"] is not None and Path(report["engine_shim"]).name == "orch-engine-shim"
    elsewhere = {**engine_env, "ORCH_CACHE_DIR": str(tmp_path / "empty-cache")}
    proc = run_orch("doctor", "--json", env=elsewhere, timeout=120)
    report = json.loads(proc.stdout)
    assert report["engine_shim"] is None
    assert any("Go engine shim is not built" in w for w in report["warnings"]), report["warnings"]


def test_tofu_init_and_validate_offline_with_the_real_aws6_provider(engine_env: dict[str, str], tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        """
terraform {
  required_version = ">= 1.10"
  required_providers {
    aws = { source = "hashicorp/aws", version = ">= 6.0, < 7.0" }
  }
}
provider "aws" {
  region = "ap-northeast-2"
}
resource "aws_s3_bucket" "logs" {
  bucket = "orch-foundation-check"
}
"""
    )
    tofu = str(tools.find_tool("tofu"))
    run([tofu, "init", "-input=false", "-no-color"], tmp_path, engine_env)
    lock = (tmp_path / ".terraform.lock.hcl").read_text()
    assert 'provider "registry.opentofu.org/hashicorp/aws"' in lock
    assert 'version     = "6.' in lock

    # The installed provider is the mirror's real binary (a symlink into the cache), not a stand-in.
    providers = tmp_path / ".terraform/providers/registry.opentofu.org/hashicorp/aws"
    package = next(p for p in providers.glob("6.*/*_*") if p.is_dir())
    real = next(package.resolve().glob("terraform-provider-aws_v6*"))
    assert str(real).startswith(str(settings.cache_dir())), real
    assert real.stat().st_size > 50_000_000  # the AWS provider is hundreds of MB; a stub is not

    proc = run([tofu, "validate", "-json", "-no-color"], tmp_path, engine_env)
    result = json.loads(proc.stdout)
    assert result["valid"] is True, result

    # A wrong attribute is caught by the provider's real schema.
    (tmp_path / "main.tf").write_text((tmp_path / "main.tf").read_text().replace("bucket =", "bukket ="))
    bad = subprocess.run(
        [tofu, "validate", "-json", "-no-color"],
        cwd=tmp_path,
        env=engine_env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert bad.returncode == 1
    assert "bukket" in bad.stdout


TWO_UNITS = {
    "network/terragrunt.hcl": "",
    "network/main.tf": """
resource "terraform_data" "vpc" {
  input = "vpc-from-network"
}
output "vpc_id" {
  value = terraform_data.vpc.output
}
""",
    "cluster/terragrunt.hcl": """
dependency "network" {
  config_path = "../network"
  mock_outputs = { vpc_id = "vpc-mock" }
  mock_outputs_allowed_terraform_commands = ["validate"]
}
inputs = {
  vpc_id = dependency.network.outputs.vpc_id
}
""",
    "cluster/main.tf": """
variable "vpc_id" {
  type = string
}
resource "terraform_data" "cluster" {
  input = "cluster-in-${var.vpc_id}"
}
output "cluster" {
  value = terraform_data.cluster.output
}
""",
}


def test_terragrunt_runs_two_units_in_order_and_passes_outputs(engine_env: dict[str, str], tmp_path: Path) -> None:
    stack = tmp_path / "stack"
    for rel, text in TWO_UNITS.items():
        (stack / rel).parent.mkdir(parents=True, exist_ok=True)
        (stack / rel).write_text(text)
    tg = str(tools.find_tool("terragrunt"))

    # Apply in dependency order: the cluster can only read the network's real output once it exists.
    proc = run([tg, "run", "--all", "--non-interactive", "--", "apply", "-auto-approve"], stack, engine_env)
    log = proc.stdout + proc.stderr
    assert log.index("network") < log.rindex("cluster")

    out = run([tg, "output", "-json", "--non-interactive"], stack / "cluster", engine_env)
    assert json.loads(out.stdout)["cluster"]["value"] == "cluster-in-vpc-from-network"

    # Once applied, a plan of both units shows no changes.
    plan = subprocess.run(
        [tg, "run", "--all", "--non-interactive", "--", "plan", "-detailed-exitcode"],
        cwd=stack,
        env=engine_env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert plan.returncode == 0, plan.stdout + plan.stderr


def test_second_install_rebuilds_nothing(engine_env: dict[str, str], tmp_path: Path) -> None:
    cached = sorted(p for p in settings.cache_dir().rglob("*") if p.is_file() and os.access(p, os.X_OK))
    before = {p: p.stat().st_mtime_ns for p in cached if "/checkov/" not in str(p)}
    proc = subprocess.run(
        [str(REPO / "scripts/install-tools.sh"), "--venv", str(tmp_path / "venv")],
        cwd=REPO,
        env=engine_env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "building" not in proc.stderr, proc.stderr
    assert proc.stderr.count(": cached") >= 5, proc.stderr
    after = {p: p.stat().st_mtime_ns for p in before}
    assert before == after
    assert (tmp_path / "venv/bin/tofu").resolve().exists()


def test_install_without_go_names_the_missing_tool(tmp_path: Path) -> None:
    """An empty cache, no Go and no engine on PATH: one clear line, exit 1."""
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "ORCH_CACHE_DIR": str(tmp_path / "cache"),
        "ORCH_NO_PATH_TOOLS": "1",
    }
    proc = subprocess.run(
        [str(REPO / "scripts/install-tools.sh"), "--only", "tofu", "--venv", str(tmp_path / "v")],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 1
    errors = [line for line in proc.stderr.splitlines() if line.startswith("install-tools:")]
    assert len(errors) == 1, proc.stderr
    assert "'go' command is not installed" in errors[0] and "tofu" in errors[0]
