"""Every module's own `tofu test` files (plan-only, mock providers) pass with the real engine."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from orchestrator import tools

pytestmark = pytest.mark.engines

REPO = Path(__file__).resolve().parents[2]
MODULES = sorted(p.parent.name for p in (REPO / "terraform/modules").glob("*/tests") if any(p.glob("*.tftest.hcl")))


@pytest.mark.parametrize("module", MODULES)
def test_module_tftests_pass(module: str, engine_env: dict[str, str]) -> None:
    tofu = str(tools.find_tool("tofu"))
    workdir = REPO / "terraform/modules" / module
    init = subprocess.run(
        [tofu, "init", "-backend=false", "-input=false", "-no-color"],
        cwd=workdir,
        env=engine_env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert init.returncode == 0, init.stdout + init.stderr
    proc = subprocess.run(
        [tofu, "test", "-no-color"],
        cwd=workdir,
        env=engine_env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout[-6000:] + proc.stderr[-3000:]
    assert " passed, 0 failed" in proc.stdout
