"""Shared test helpers: where the real engines are, and skips that say why."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from orchestrator import tools

REPO = Path(__file__).resolve().parent.parent


def engines_missing_reason() -> str | None:
    """Why the real-engine tests cannot run here, or None when they can."""
    for name in ("tofu", "terragrunt"):
        if tools.find_tool(name) is None:
            return f"{name} not installed: run ./scripts/setup.sh"
    if "hashicorp/aws" not in tools.mirror_providers():
        return "hashicorp/aws not in the provider mirror: run ./scripts/setup.sh"
    if tools.cli_config_file() is None:
        return ".venv/orch.tfrc missing: run ./scripts/setup.sh"
    return None


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
