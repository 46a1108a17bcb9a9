"""A unit whose init lost the shared provider cache race (gruntwork-io/terragrunt#6230) is tried once more.

Units run by a Terragrunt process each (validate, destroy, per-unit mode) share Terragrunt's provider
cache; with OpenTofu 1.12, two of them installing the same provider at the same moment can fail one.
The race cannot be provoked on demand, so a before-hook prints OpenTofu's words for it and fails, the
first time only; real Terragrunt and OpenTofu otherwise.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from orchestrator import runs
from orchestrator.runs import RunOptions
from orchestrator.runs.results import Result
from orchestrator.selection import Selection

pytestmark = pytest.mark.engines

LOST_RACE = (
    "Error: Failed to install provider\\n\\nError while installing hashicorp/aws v6.47.1: after installing\\n"
    "registry.opentofu.org/hashicorp/aws it is still not detected in /cache/providers;\\n"
    "this is a bug in OpenTofu\\n"
)


def _stack(tmp_path: Path, message: str) -> Path:
    stack = tmp_path / "stack"
    (stack / "module").mkdir(parents=True)
    (stack / "module" / "main.tf").write_text('resource "terraform_data" "this" {\n  input = "x"\n}\n')
    unit = stack / "unit"
    unit.mkdir()
    once = unit / "failed-once"
    (unit / "terragrunt.hcl").write_text(
        "terraform {\n"
        '  source = "${get_terragrunt_dir()}/../module"\n'
        '  before_hook "race" {\n'
        '    commands = ["validate"]\n'
        f'    execute  = ["sh", "-c", "[ -e {once} ] || {{ : > {once}; printf \'{message}\' >&2; exit 1; }}"]\n'
        "  }\n"
        "}\n"
    )
    return stack


def _validate(stack: Path) -> runs.RunReport:
    ws = runs.open_workspace(stack_dir=stack, selection=Selection(all=True))
    return runs.validate(ws, RunOptions(quiet=True))


def test_a_unit_that_lost_the_provider_cache_race_is_tried_once_more(tmp_path: Path) -> None:
    stack = _stack(tmp_path, LOST_RACE)
    report = _validate(stack)
    unit = report.unit("unit")
    assert unit.result == Result.VALID, unit.error
    log = (stack / ".orch" / "runs" / report.run_id / "unit" / "terragrunt.log").read_text()
    assert "still not detected in" in log and "filled by another unit at that moment; once more" in log


def test_other_failures_are_not_tried_again(tmp_path: Path) -> None:
    stack = _stack(tmp_path, "Error: Failed to install provider\\n\\nchecksum mismatch\\n")
    unit = _validate(stack).unit("unit")
    assert unit.result == Result.INVALID
    (log,) = (stack / ".orch" / "runs").glob("*/unit/terragrunt.log")
    assert "checksum mismatch" in log.read_text() and "once more" not in log.read_text()
