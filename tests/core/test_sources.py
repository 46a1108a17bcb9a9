"""Each unit's local module directories (orchestrator/sources.py), found by `terragrunt render` while
the plan of the same stack runs: real Terragrunt and OpenTofu against a moto S3 server.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from orchestrator import runs, tools
from orchestrator.selection import Selection
from tests.helpers import copy_stack, emulator_client, run_orch

pytestmark = [pytest.mark.engines, pytest.mark.emulator]

BUCKET = "orch-test-state"


def test_finding_module_sources_leaves_every_units_working_directory_to_the_runs(
    tmp_path: Path, moto_endpoint: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rendering b reads a's outputs. a has a generated backend (no remote_state block), so Terragrunt
    runs `init` and `output` in a copy of a's source; made in a's own .terragrunt-cache, that is the
    directory a's plan initialises at the same moment, and one of the two failed with "Error
    acquiring the state lock" on .terraform/terraform.tfstate (CI, stops 26 and 27). The copies
    must be made elsewhere and nothing may be left behind."""
    emulator_client("s3", moto_endpoint, region="us-east-1").create_bucket(Bucket=BUCKET)
    stack = copy_stack("s3-locked", tmp_path)
    monkeypatch.setenv("ORCH_TEST_AWS_ENDPOINT", moto_endpoint)
    monkeypatch.setenv("ORCH_TEST_STATE_BUCKET", BUCKET)
    monkeypatch.setenv("TMPDIR", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()

    ws = runs.open_workspace(stack_dir=stack, selection=Selection(all=True))
    found = ws.sources()

    module = (stack / "modules").resolve()  # source "modules//data": Terragrunt copies all of modules/
    assert found == {"a": [module], "b": [module]}
    assert not list(stack.rglob(".terragrunt-cache")), sorted(stack.rglob(".terragrunt-cache"))
    assert not list((tmp_path / "tmp").iterdir())


def test_finding_module_sources_starts_no_engine_for_dependency_outputs(
    tmp_path: Path, moto_endpoint: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On an applied stack, where b's dependency a has real outputs, rendering b for its source still
    runs no `init` or `output` of the engine: those processes would cost as much CPU as the render,
    taken from the plan that runs beside it. Only the engine's version is asked."""
    emulator_client("s3", moto_endpoint, region="us-east-1").create_bucket(Bucket=BUCKET)
    stack = copy_stack("s3-locked", tmp_path)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "ORCH_FIXTURE", "ORCH_RUNS"))}
    env.update(ORCH_TEST_AWS_ENDPOINT=moto_endpoint, ORCH_TEST_STATE_BUCKET=BUCKET)
    applied = run_orch("apply", "--dir", str(stack), "--all", "--auto-approve", env=env)
    assert applied.returncode == 0, applied.stderr
    (stack / ".orch" / "sources.json").unlink()
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    calls = tmp_path / "calls"
    engine = tmp_path / "logged-engine" / "tofu"
    engine.parent.mkdir()
    engine.write_text(f'#!/bin/sh\necho "$1" >> {calls}\nexec {tools.find_tool("tofu")} "$@"\n')
    engine.chmod(0o755)
    monkeypatch.setenv("ORCH_ENGINE", str(engine))

    found = runs.open_workspace(stack_dir=stack, selection=Selection(all=True)).sources()

    module = (stack / "modules").resolve()
    assert found == {"a": [module], "b": [module]}
    made = calls.read_text().split() if calls.exists() else []
    assert "init" not in made and "output" not in made, made
