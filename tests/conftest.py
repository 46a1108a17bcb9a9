"""Fixtures every tier shares, and the one place where a marker becomes a skip that says why."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from orchestrator import tools
from tests.helpers import emulator_missing_reason, engines_missing_reason

#: Marker -> why its tests cannot run here (None: they can). pyproject.toml registers the markers.
NEEDS = {"engines": engines_missing_reason, "emulator": emulator_missing_reason}


def pytest_runtest_setup(item: pytest.Item) -> None:
    for marker, missing in NEEDS.items():
        if item.get_closest_marker(marker) is not None and (reason := missing()):
            pytest.skip(f"{marker}: {reason}")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if os.environ.get("ORCH_TEST_REQUIRE_ENGINES") == "1" and engines_missing_reason():
        raise pytest.UsageError(f"ORCH_TEST_REQUIRE_ENGINES=1 but {engines_missing_reason()}")


@pytest.fixture
def engine_env(tmp_path: Path) -> dict[str, str]:
    """Environment for running tofu/terragrunt directly, as orch would (offline mirror, no colour).

    Its tests carry the `engines` marker, which skips them where the engines are missing.
    """
    env = tools.engine_env()
    env["TG_DOWNLOAD_DIR"] = str(tmp_path / "tg-cache")
    env.pop("AWS_PROFILE", None)
    return env
