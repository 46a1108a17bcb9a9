"""Whether the real engines and the emulator can run here, and if not, why (the skip reasons)."""

from __future__ import annotations

import functools
import importlib.util

from orchestrator import tools

SETUP = "run ./scripts/setup.sh"


@functools.cache
def engines_missing_reason() -> str | None:
    """Why the `engines` tests cannot run here (the first thing missing), or None when they can."""
    for name in ("tofu", "terragrunt"):
        if tools.find_tool(name) is None:
            return f"{name} not installed: {SETUP}"
    if "hashicorp/aws" not in tools.mirror_providers():
        return f"hashicorp/aws not in the provider mirror: {SETUP}"
    if tools.cli_config_file() is None:
        return f".venv/orch.tfrc missing: {SETUP}"
    return None


@functools.cache
def emulator_missing_reason() -> str | None:
    """Why the `emulator` tests cannot run here (moto and its server's flask are orch's dependencies), or None."""
    for module in ("moto", "flask"):
        if importlib.util.find_spec(module) is None:
            return f"{module} not installed: {SETUP}"
    return None
