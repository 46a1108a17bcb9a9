"""What orch writes under its runs directory is readable by this user only (issue 16, security)."""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import pytest

from tests.helpers import FIXTURES, run_orch


@pytest.mark.engines
def test_run_records_logs_and_plans_are_user_only(tmp_path: Path) -> None:
    stack = shutil.copytree(FIXTURES / "dag", tmp_path / "dag")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "ORCH_"))}
    env.update(ORCH_RUNS_DIR=str(tmp_path / "runs"), ORCH_STATE_DIR=str(tmp_path / "state"))
    os.umask(0o022)  # a permissive caller: orch must not depend on it
    proc = run_orch("plan", "--dir", str(stack), "--layer", "10-a", "--json", env=env)
    assert proc.returncode in (0, 2), proc.stderr
    written = [p for p in (tmp_path / "runs").rglob("*")]
    assert any(p.name == "report.json" for p in written) and any(p.suffix == ".log" for p in written), written
    loose = [str(p) for p in written if stat.S_IMODE(p.stat().st_mode) & 0o077]
    assert not loose, loose
