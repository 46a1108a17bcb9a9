"""orch finds the directory where Terragrunt ran the engine (for `show -json`), under the unit's
.terragrunt-cache or under TG_DOWNLOAD_DIR (local runs use their own), with the real Terragrunt."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from orchestrator import tools
from orchestrator.workdir import latest_initialised_dir, terragrunt_copies_dir

pytestmark = pytest.mark.engines


def make_unit(root: Path) -> Path:
    module = root / "modules" / "noop"
    module.mkdir(parents=True)
    # A module call, so `init` has something to install and creates .terraform/.
    (module / "main.tf").write_text('module "inner" {\n  source = "./inner"\n}\n')
    (module / "inner").mkdir()
    (module / "inner" / "main.tf").write_text('output "answer" {\n  value = 42\n}\n')
    unit = root / "live" / "unit"
    unit.mkdir(parents=True)
    (unit / "terragrunt.hcl").write_text(f'terraform {{\n  source = "{root / "modules"}//noop"\n}}\n')
    return unit


def init(unit: Path, env: dict[str, str]) -> None:
    proc = subprocess.run(
        [str(tools.find_tool("terragrunt")), "init", "--non-interactive"],
        cwd=unit,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_copy_under_the_download_dir_is_found(engine_env: dict[str, str], tmp_path: Path) -> None:
    unit = make_unit(tmp_path)
    download = engine_env["TG_DOWNLOAD_DIR"]
    init(unit, engine_env)
    found = latest_initialised_dir(unit, download)
    assert (found / ".terraform").is_dir() and (found / "main.tf").is_file()
    assert found.is_relative_to(terragrunt_copies_dir(unit, download))
    assert not (unit / ".terragrunt-cache").exists()
    assert latest_initialised_dir(unit) == unit  # not where the unit's own cache would be


def test_copy_under_the_units_cache_is_found(engine_env: dict[str, str], tmp_path: Path) -> None:
    unit = make_unit(tmp_path)
    env = {k: v for k, v in engine_env.items() if k != "TG_DOWNLOAD_DIR"}
    init(unit, env)
    found = latest_initialised_dir(unit)
    assert (found / ".terraform").is_dir() and found.is_relative_to(unit / ".terragrunt-cache")
