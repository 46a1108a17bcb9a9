"""Broken configuration stops every command with one line naming the file to fix (real Terragrunt).

`terragrunt find` accepts each of these cases with exit code 0 (verified with 1.1.2):
orch must not.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.helpers import FIXTURES, run_orch

pytestmark = pytest.mark.engines


def broken(name: str, tmp_path: Path) -> Path:
    target = tmp_path / name
    shutil.copytree(FIXTURES / name, target)
    return target


def single_error(stderr: str) -> str:
    """The `error:` line; there is exactly one, and no traceback."""
    assert "Traceback" not in stderr, stderr
    lines = [line for line in stderr.splitlines() if line.startswith("error: ")]
    assert len(lines) == 1, stderr
    return lines[0]


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        (
            "broken-parse",
            "broken-parse/b/terragrunt.hcl:6: Unclosed configuration block: There is no closing brace",
        ),
        ("broken-missing-dir", "broken-missing-dir/b/terragrunt.hcl:7: depends on "),
        ("broken-no-unit", "broken-no-unit/b/terragrunt.hcl:7: depends on "),
        ("broken-include", 'broken-include/b/terragrunt.hcl:6: include "common": '),
    ],
)
def test_broken_unit_is_an_error_naming_file_line_and_unit(fixture: str, expected: str, tmp_path: Path) -> None:
    stack = broken(fixture, tmp_path)
    proc = run_orch("graph", "--dir", str(stack), "--format", "json")
    assert proc.returncode == 1, proc.stdout
    line = single_error(proc.stderr)
    assert expected in line, line
    assert line.endswith("(unit b)"), line
    assert proc.stdout == ""


def test_what_the_dependency_and_include_errors_say(tmp_path: Path) -> None:
    missing = single_error(run_orch("graph", "--dir", str(broken("broken-missing-dir", tmp_path))).stderr)
    assert "broken-missing-dir/aa, which does not exist" in missing
    no_unit = single_error(run_orch("graph", "--dir", str(broken("broken-no-unit", tmp_path))).stderr)
    assert "broken-no-unit/docs, which holds no terragrunt.hcl" in no_unit
    include = single_error(run_orch("graph", "--dir", str(broken("broken-include", tmp_path))).stderr)
    assert "broken-include/_common/missing.hcl does not exist" in include


def test_empty_stack_directory_is_an_error(tmp_path: Path) -> None:
    stack = broken("broken-empty", tmp_path)
    # A unit in a hidden directory or a cache is not a unit of the stack.
    (stack / ".hidden" / "x").mkdir(parents=True)
    (stack / ".hidden" / "x" / "terragrunt.hcl").write_text("")
    proc = run_orch("graph", "--dir", str(stack))
    assert proc.returncode == 1
    line = single_error(proc.stderr)
    assert "broken-empty: no Terragrunt unit under this directory" in line, line
    assert "hint: check --dir" in proc.stderr


def test_every_command_stops_before_running_anything(tmp_path: Path) -> None:
    stack = broken("broken-parse", tmp_path)
    for args in (["plan", "--all"], ["validate"], ["apply", "--all", "--auto-approve"]):
        proc = run_orch(*args, "--dir", str(stack))
        assert proc.returncode == 1, (args, proc.stdout)
        line = single_error(proc.stderr)
        assert "broken-parse/b/terragrunt.hcl:6: Unclosed configuration block" in line, (args, line)
    # Nothing ran: no run directory, no engine working copy.
    assert not (stack / ".orch").exists()
    assert not list(stack.rglob(".terragrunt-cache"))


def test_broken_shared_file_names_the_units_including_it(graph_stack: Path) -> None:
    (graph_stack / "_common" / "network-dep.hcl").write_text('dependency "network" {\n  config_path = \n}\n')
    proc = run_orch("graph", "--dir", str(graph_stack))
    assert proc.returncode == 1
    line = single_error(proc.stderr)
    assert "_common/network-dep.hcl:2: " in line, line
    assert line.endswith("(units 20-apps/api, 20-apps/worker)"), line


def test_external_dependency_that_is_a_unit_still_works(graph_stack: Path) -> None:
    # From 20-apps, 10-network and 00-base are outside the stack directory, and real units.
    proc = run_orch("graph", "--dir", str(graph_stack / "20-apps"))
    assert proc.returncode == 0, proc.stderr
    assert f"api\n  └── {graph_stack / '10-network'} (external)" in proc.stdout


def test_caller_log_settings_do_not_hide_problems(tmp_path: Path) -> None:
    # Terragrunt honours these over --log-format json and would print no record at all.
    env = {**os.environ, "TG_LOG_DISABLE": "true", "TG_LOG_CUSTOM_FORMAT": "%msg"}
    proc = run_orch("graph", "--dir", str(broken("broken-parse", tmp_path)), env=env)
    assert proc.returncode == 1
    assert "broken-parse/b/terragrunt.hcl:6: Unclosed configuration block" in single_error(proc.stderr)
