"""HCL formatting, generated module docs and checkov stay clean (CI keeps them at zero)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from orchestrator import tools
from tests.helpers import REPO

HCL_DIRS = [d for d in ("terraform", "environments", "bootstrap") if (REPO / d).exists()]


@pytest.mark.engines
def test_hcl_is_formatted() -> None:
    tofu = tools.find_tool("tofu")
    proc = subprocess.run(
        [str(tofu), "fmt", "-check", "-recursive", "-list=true", *HCL_DIRS],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, f"not formatted (run make fmt):\n{proc.stdout}{proc.stderr}"


def test_python_is_linted_and_formatted() -> None:
    ruff = REPO / ".venv/bin/ruff"
    if not ruff.exists():
        pytest.skip("ruff not installed: run ./scripts/setup.sh")
    paths = ["orchestrator", "tests", "scripts", "benchmarks"]
    for args in (["check", *paths], ["format", "--check", *paths]):
        proc = subprocess.run([str(ruff), *args], cwd=REPO, capture_output=True, text=True, check=False)
        assert proc.returncode == 0, f"ruff {args[0]} (run make fmt):\n{proc.stdout}{proc.stderr}"


def test_module_readmes_are_generated_and_fresh() -> None:
    proc = subprocess.run(
        [sys.executable, "scripts/gen_module_docs.py", "--check"], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stderr


@pytest.mark.slow
def test_checkov_reports_no_failed_checks() -> None:
    if not (REPO / ".venv/bin/checkov").exists():
        pytest.skip("checkov not installed: run ./scripts/setup.sh")
    proc = subprocess.run(
        [sys.executable, "scripts/run_checkov.py"], cwd=REPO, capture_output=True, text=True, timeout=900, check=False
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert " 0 failed" in proc.stdout


@pytest.mark.engines
def test_terragrunt_files_are_formatted() -> None:
    """`tofu fmt` skips .hcl files; Terragrunt's own formatter checks root.hcl and the units."""
    terragrunt = tools.find_tool("terragrunt")
    for folder in ("environments", "bootstrap"):
        proc = subprocess.run(
            [str(terragrunt), "hcl", "format", "--check", "--working-dir", folder],
            cwd=REPO,
            capture_output=True,
            text=True,
            check=False,
            env=tools.engine_env(),
        )
        assert proc.returncode == 0, f"{folder}: run `terragrunt hcl format` there:\n{proc.stdout}{proc.stderr}"
