"""Terraform as the engine (issue 17): one layer chain of eks-prod applied to the emulator, then re-planned.

00-foundation -> 10-networking -> 20-security, through `orch --local --engine terraform`, with an
emulator of its own: bootstrap, apply with the dependencies, then `plan --detailed-exitcode` must exit
0 (no changes). The state objects in the emulator's S3 must have been written by Terraform (their
`terraform_version` is the Terraform build's), through Terraform's s3 backend. The rest of the suite
runs OpenTofu (the default engine).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from e2e_platform import APPLY_TIMEOUT, ENV_NAME, failed_units

from orchestrator import tools
from tests.helpers import clean_env, emulator_client, run_orch

pytestmark = [pytest.mark.engines, pytest.mark.emulator, pytest.mark.slow]

LAYERS = ["00-foundation", "10-networking", "20-security"]


@pytest.fixture(scope="module")
def terraform_chain(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    info = tools.tool_info("terraform")
    if info is None or info.version_tuple < tools.MIN_VERSIONS["terraform"]:
        pytest.skip("terraform >= 1.14 not installed: run ./scripts/setup.sh")
    root = tmp_path_factory.mktemp("terraform-chain")
    env = clean_env(root, ORCH_STATE_DIR=str(root / "state"), ORCH_RUNS_DIR=str(root / "runs"))
    up = run_orch("--local", "local", "up", "--json", env=env, timeout=120)
    assert up.returncode == 0, up.stderr
    status = json.loads(up.stdout)
    try:
        boot = run_orch("--local", "bootstrap", "--env", ENV_NAME, "--json", env=env, timeout=300)
        assert boot.returncode == 0, boot.stdout + boot.stderr
        select = ["--env", ENV_NAME, "--layer", LAYERS[-1], "--with-dependencies"]
        terraform = ("--local", "--engine", "terraform")
        applied = run_orch(*terraform, "apply", *select, "--auto-approve", "--json", env=env, timeout=APPLY_TIMEOUT)
        replan = run_orch(*terraform, "plan", *select, "--detailed-exitcode", "--json", env=env, timeout=APPLY_TIMEOUT)
        yield {
            "status": status,
            "bucket": json.loads(boot.stdout)["bucket"],
            "terraform": info,
            "applied": applied,
            "replan": replan,
        }
    finally:
        run_orch("--local", "local", "down", env=env, timeout=60)


def _report(proc) -> dict[str, Any]:
    try:
        return json.loads(proc.stdout)
    except json.JSONDecodeError:
        pytest.fail(f"no JSON report (exit {proc.returncode}):\n{proc.stderr[-4000:]}")


def test_the_chain_applies_with_terraform(terraform_chain: dict[str, Any]) -> None:
    proc = terraform_chain["applied"]
    report = _report(proc)
    assert proc.returncode == 0, failed_units(report) or proc.stderr[-4000:]
    assert report["engine"] == "terraform"
    units = {Path(u["path"]).name: u for u in report["units"]}
    assert sorted(units) == LAYERS, sorted(units)


def test_the_chain_replans_clean_with_terraform(terraform_chain: dict[str, Any]) -> None:
    proc = terraform_chain["replan"]
    report = _report(proc)
    assert report["engine"] == "terraform"
    assert proc.returncode == 0, failed_units(report) or json.dumps(report.get("units"), indent=1)[-4000:]


def test_the_state_was_written_by_terraform(terraform_chain: dict[str, Any]) -> None:
    status = terraform_chain["status"]
    s3 = emulator_client("s3", status["endpoint"], status.get("ca_bundle"))
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=terraform_chain["bucket"]).get("Contents", [])]
    states = {k: k for k in keys if k.endswith("terraform.tfstate") and any(f"/{layer}/" in k for layer in LAYERS)}
    assert len(states) == len(LAYERS), keys
    for key in states:
        body = json.loads(s3.get_object(Bucket=terraform_chain["bucket"], Key=key)["Body"].read())
        assert body["terraform_version"] == terraform_chain["terraform"].version, (key, body["terraform_version"])
        assert body["resources"], key
