"""`orch validate` of every eks-prod layer: offline (no emulator, no credentials, no state), real engines.

Apart from the whole-platform file (test_platform_local.py) because it needs no platform: under
`--dist loadfile` it runs on another worker while the platform is applied.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from e2e_platform import ENV_NAME, LAYERS

from tests.helpers import clean_env, run_orch

pytestmark = [pytest.mark.engines, pytest.mark.slow]


def test_validate_is_offline_and_passes_for_every_layer(tmp_path: Path) -> None:
    env = clean_env(tmp_path, ORCH_RUNS_DIR=str(tmp_path / "runs"))
    proc = run_orch("validate", "--env", ENV_NAME, "--all", "--json", env=env, timeout=1800)
    report = json.loads(proc.stdout)
    invalid = {u["path"]: u["diagnostics"] for u in report["units"] if not u["valid"]}
    assert proc.returncode == 0 and not invalid, invalid or proc.stderr
    assert {u["path"] for u in report["units"]} == set(LAYERS)
