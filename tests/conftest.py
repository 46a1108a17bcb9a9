"""Shared test helpers: where the real engines are, and skips that say why."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from _engines import engines_missing_reason

from orchestrator import tools

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def engine_env(tmp_path: Path) -> dict[str, str]:
    """Environment for running tofu/terragrunt directly, as orch would (offline mirror, no colour)."""
    reason = engines_missing_reason()
    if reason:
        pytest.skip(reason)
    env = tools.engine_env()
    env["TG_DOWNLOAD_DIR"] = str(tmp_path / "tg-cache")
    env.pop("AWS_PROFILE", None)
    return env


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if os.environ.get("ORCH_TEST_REQUIRE_ENGINES") == "1" and engines_missing_reason():
        raise pytest.UsageError(f"ORCH_TEST_REQUIRE_ENGINES=1 but {engines_missing_reason()}")
