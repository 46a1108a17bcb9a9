"""OpenTofu or Terraform (issue 17): version constraints per engine, engine selection, doctor.

The modules declare what each engine needs: `versions.tf` (read by Terraform) says Terraform >= 1.14,
the plan's minimum; `versions.tofu` next to it (read by OpenTofu instead of the .tf file of the same
name) says OpenTofu >= 1.11. `orch --engine terraform` / ORCH_ENGINE=terraform run every command with
Terraform; `orch doctor` lists both engines and Terragrunt.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import hcl2
import pytest

from orchestrator import doctor, tools
from orchestrator.errors import OrchError
from tests.helpers import REPO, run_orch

MODULES = sorted(p.parent for p in (REPO / "terraform/modules").glob("*/versions.tf"))


def _terraform_block(path: Path) -> dict:
    return hcl2.loads(path.read_text())["terraform"][0]


@pytest.mark.parametrize("module", MODULES, ids=lambda p: p.name)
def test_each_engine_has_its_version_constraint(module: Path) -> None:
    tf = _terraform_block(module / "versions.tf")
    tofu_file = module / "versions.tofu"
    assert tofu_file.exists(), f"{module.name}: no versions.tofu (OpenTofu would read versions.tf's >= 1.14)"
    tofu = _terraform_block(tofu_file)
    assert tf["required_version"].strip('"') == ">= 1.14"
    assert tofu["required_version"].strip('"') == ">= 1.11"
    # OpenTofu ignores versions.tf entirely, so the providers must be required in both files alike.
    assert tf.get("required_providers") == tofu.get("required_providers"), module.name


@pytest.mark.engines
def test_opentofu_prefers_the_tofu_file(engine_env: dict[str, str], tmp_path: Path) -> None:
    """The rule the split relies on: a .tofu file replaces the .tf file of the same base name."""
    (tmp_path / "versions.tf").write_text('terraform {\n  required_version = ">= 99.0"\n}\n')
    (tmp_path / "versions.tofu").write_text('terraform {\n  required_version = ">= 1.11"\n}\n')
    (tmp_path / "main.tf").write_text('output "x" {\n  value = 1\n}\n')
    tofu = str(tools.find_tool("tofu"))
    proc = subprocess.run(
        [tofu, "init", "-backend=false", "-no-color"],
        cwd=tmp_path,
        env=engine_env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_engine_name_and_path_follow_the_choice(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("ORCH_ENGINE", "TG_TF_PATH"):
        monkeypatch.delenv(name, raising=False)
    assert tools.engine_name() == "tofu"
    monkeypatch.setenv("ORCH_ENGINE", "terraform")
    assert tools.engine_name() == "terraform"
    # TG_TF_PATH naming OpenTofu does not answer for Terraform.
    monkeypatch.setenv("TG_TF_PATH", "/somewhere/tofu")
    found = tools.find_tool("terraform")
    assert found is None or found.name == "terraform"
    # A path: the binary's name says which engine it is, and engine_env hands that path to Terragrunt.
    binary = tmp_path / "terraform"
    binary.write_text("#!/bin/sh\necho 'Terraform v1.16.4'\n")
    binary.chmod(0o755)
    monkeypatch.setenv("ORCH_ENGINE", str(binary))
    assert tools.engine_name() == "terraform"
    assert tools.engine_path() == binary
    assert tools.engine_env()["TG_TF_PATH"] == str(binary)
    assert tools.require_engine().version == "1.16.4"


def test_require_engine_refuses_unknown_and_old_engines(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("ORCH_ENGINE", raising=False)
    with pytest.raises(OrchError, match="not tofu, terraform or the path"):
        tools.require_engine("tf")
    old = tmp_path / "terraform"
    old.write_text("#!/bin/sh\necho 'Terraform v1.11.4'\n")
    old.chmod(0o755)
    with pytest.raises(OrchError, match=r"terraform 1\.11\.4 .* older than the supported 1\.14\.0"):
        tools.require_engine(str(old))


def test_global_engine_flag_reaches_every_command(tmp_path: Path) -> None:
    """`orch --engine X <command>` sets ORCH_ENGINE for the whole process (doctor reports it)."""
    env = {k: v for k, v in os.environ.items() if k not in ("ORCH_ENGINE", "TG_TF_PATH")}
    fake = tmp_path / "terraform"
    fake.write_text("#!/bin/sh\necho 'Terraform v1.16.4'\n")
    fake.chmod(0o755)
    proc = run_orch("--engine", str(fake), "doctor", "--json", env=env, timeout=120)
    report = json.loads(proc.stdout)
    assert report["engine"] == "terraform"
    assert report["tools"]["terraform"] == {"version": "1.16.4", "path": str(fake)}
    proc = run_orch("doctor", "--json", env={**env, "ORCH_ENGINE": str(fake)}, timeout=120)
    assert json.loads(proc.stdout)["engine"] == "terraform"


def test_doctor_lists_both_engines_and_warns_below_the_pin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ORCH_ENGINE", raising=False)
    monkeypatch.delenv("TG_TF_PATH", raising=False)
    found = {
        "tofu": tools.ToolInfo(name="tofu", path="/v/tofu", version="1.12.5"),
        "terraform": tools.ToolInfo(name="terraform", path="/v/terraform", version="1.16.4"),
        "terragrunt": tools.ToolInfo(name="terragrunt", path="/v/terragrunt", version="1.1.2"),
    }
    monkeypatch.setattr(tools, "tool_info", lambda name: found.get(name))
    pins = {"tofu": "1.12.6", "terraform": "1.16.4", "terragrunt": "1.1.2"}
    monkeypatch.setattr(tools, "pinned_versions", lambda: pins)
    report = doctor.DoctorReport()
    doctor._check_tools(report)
    assert set(report.tools) == {"tofu", "terraform", "terragrunt"}
    assert report.engine == "tofu"
    assert report.missing == []
    assert [w for w in report.warnings if "older than the pinned" in w] == [
        "tofu 1.12.5 at /v/tofu is older than the pinned 1.12.6 (scripts/tools.lock; run ./scripts/setup.sh)"
    ]
    # Terraform absent: a warning while OpenTofu is the engine, missing once Terraform is chosen.
    del found["terraform"]
    report = doctor.DoctorReport()
    doctor._check_tools(report)
    assert report.missing == [] and any(w.startswith("terraform not installed") for w in report.warnings)
    monkeypatch.setenv("ORCH_ENGINE", "terraform")
    report = doctor.DoctorReport()
    doctor._check_tools(report)
    assert report.missing == ["terraform (run ./scripts/setup.sh)"]


def test_pinned_versions_read_tools_lock() -> None:
    pins = tools.pinned_versions()
    assert {"tofu", "terraform", "terragrunt", "tflint"} <= set(pins)
    assert tools.parse_version(pins["terraform"]) >= (1, 14, 0)
    assert not any(":" in name for name in pins)  # providers and overlays are not tools


@pytest.mark.engines
def test_doctor_json_lists_tofu_terraform_and_terragrunt(engine_env: dict[str, str]) -> None:
    if tools.tool_info("terraform") is None:
        pytest.skip("terraform not installed: run ./scripts/setup.sh")
    proc = run_orch("doctor", "--json", env=engine_env, timeout=120)
    report = json.loads(proc.stdout)
    assert set(report["tools"]) == {"tofu", "terraform", "terragrunt"}
    for name, info in report["tools"].items():
        assert tools.parse_version(info["version"]) >= tools.MIN_VERSIONS[name], (name, info)


@pytest.mark.engines
@pytest.mark.parametrize("how", ["ORCH_ENGINE", "--engine"])
def test_terraform_runs_the_commands_end_to_end(how: str, engine_env: dict[str, str], tmp_path: Path) -> None:
    """A fixture stack of terraform_data units, applied then re-planned through orch with Terraform chosen
    by the environment or by the global flag: the saved plans are Terraform's."""
    info = tools.tool_info("terraform")
    if info is None or info.version_tuple < tools.MIN_VERSIONS["terraform"]:
        pytest.skip("terraform >= 1.14 not installed: run ./scripts/setup.sh")
    import shutil

    stack = tmp_path / "dag"
    shutil.copytree(REPO / "tests/fixtures/stacks/dag", stack)
    env = {k: v for k, v in engine_env.items() if k not in ("ORCH_ENGINE", "TG_TF_PATH")}
    env["ORCH_RUNS_DIR"] = str(tmp_path / "runs")
    chosen = ["--engine", "terraform"] if how == "--engine" else []
    if how == "ORCH_ENGINE":
        env["ORCH_ENGINE"] = "terraform"
    for command in (
        ["apply", "--dir", str(stack), "--all", "--auto-approve", "--json"],
        ["plan", "--dir", str(stack), "--all", "--detailed-exitcode", "--json"],  # exit 0: nothing left to do
    ):
        proc = run_orch(*chosen, *command, env=env, timeout=600)
        assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
        report = json.loads(proc.stdout)
        assert report["engine"] == "terraform", command
    runs_dir = tmp_path / "runs"
    plans = sorted([*runs_dir.glob("*/*/plan.json"), *runs_dir.glob("*/*/replan.tfplan.json")])
    # Ten units planned once by the apply (two up front, eight right before their own apply:
    # deferred until their dependencies' outputs existed) and ten by the plan after it.
    assert len(plans) == 20
    for plan in plans:
        assert json.loads(plan.read_text())["terraform_version"] == info.version, plan
