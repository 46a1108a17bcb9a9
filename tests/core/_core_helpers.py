"""Helpers for the core tests (imported by the test modules and conftest)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from orchestrator.tools import find_tool

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "stacks"
ORCH_BIN = Path(sys.executable).parent / "orch"

HAVE_ENGINES = find_tool("terragrunt") is not None and find_tool("tofu") is not None
needs_engines = pytest.mark.skipif(not HAVE_ENGINES, reason="needs tofu and terragrunt (scripts/setup.sh)")


def copy_stack(name: str, dest: Path) -> Path:
    target = dest / name
    shutil.copytree(FIXTURES / name, target)
    return target


def orch(*args: str, env: dict[str, str] | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    """`orch ARGS` as a subprocess with pipes (not a TTY), like Jenkins runs it."""
    return subprocess.run(
        [str(ORCH_BIN), *args],
        capture_output=True,
        text=True,
        check=False,
        stdin=subprocess.DEVNULL,
        env=env,
        timeout=timeout,
    )
