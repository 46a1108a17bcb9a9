"""Whether the real engines are installed (shared by conftest files and test helpers)."""

from __future__ import annotations

from orchestrator import tools


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
