"""Where orch's tools are and the environment every Terragrunt and engine process gets.

Standard library only (with orchestrator.settings): `orch` starts Terragrunt's discovery while
Python is still importing the rest of orch (orchestrator/early_find.py), with this same environment.
orchestrator.tools re-exports all of it.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from orchestrator import engine_probe, settings

__all__ = [
    "ENGINES",
    "cli_config_file",
    "engine_env",
    "engine_name",
    "engine_path",
    "find_tool",
    "venv_bin",
]


def venv_bin() -> Path:
    """The bin directory of the venv orch runs from (or the repository's .venv)."""
    here = Path(sys.executable).parent
    if (here / "orch").exists() or (here / "tofu").exists():
        return here
    return settings.REPO_ROOT / ".venv" / "bin"


def cli_config_file() -> Path | None:
    """The CLI configuration (provider_installation) written by install-tools.sh, if any."""
    explicit = settings.tf_cli_config_file()
    if explicit:
        return explicit
    candidate = venv_bin().parent / "orch.tfrc"
    return candidate if candidate.exists() else None


ENGINES = ("tofu", "terraform")


def _engine_kind(choice: str) -> str:
    """`terraform` for a choice naming Terraform (`terraform`, `/opt/terraform-1.16/terraform`), else `tofu`."""
    return "terraform" if Path(choice).name.startswith("terraform") else "tofu"


def engine_name() -> str:
    """`tofu` by default; `terraform` when the user chose it (`orch --engine`/ORCH_ENGINE, or TG_TF_PATH)."""
    chosen = settings.engine() or os.environ.get("TG_TF_PATH") or "tofu"
    return _engine_kind(chosen)


def engine_path() -> Path | None:
    """The binary of the chosen engine: ORCH_ENGINE as a path, else the named engine (find_tool)."""
    chosen = settings.engine() or ""
    if os.sep in chosen:
        return Path(chosen) if Path(chosen).is_file() else None
    return find_tool(engine_name())


def find_tool(name: str) -> Path | None:
    """The venv's linked binary first, then PATH; TG_TF_PATH may name the engine explicitly.

    TG_TF_PATH counts only for the engine it names: with TG_TF_PATH=/x/tofu, `find_tool("terraform")`
    still looks for Terraform (so `--engine terraform` is not silently served by OpenTofu).
    """
    if name in ENGINES and os.environ.get("TG_TF_PATH"):
        explicit = Path(os.environ["TG_TF_PATH"])
        if _engine_kind(str(explicit)) == name:
            resolved = explicit if explicit.is_absolute() else shutil.which(str(explicit))
            if resolved and Path(resolved).exists():
                return Path(resolved)
    candidate = venv_bin() / name
    if candidate.exists():
        return candidate
    found = shutil.which(name)
    return Path(found) if found else None


def engine_env(base: dict[str, str] | None = None) -> dict[str, str]:
    """The environment for every Terragrunt/OpenTofu subprocess orch starts.

    Puts the venv's engines first on PATH (behind the answer to Terragrunt's start-up probe of
    `tofu`: engine_probe.py), tells Terragrunt which engine to run and
    points the engine at the offline provider mirror. Secrets are added by the caller.
    """
    env = dict(os.environ if base is None else base)
    env["PATH"] = f"{venv_bin()}{os.pathsep}{env.get('PATH', '')}"
    engine = engine_path()
    if engine is not None:
        env["TG_TF_PATH"] = str(engine)
    # Always ours (offline mirror): an inherited TF_CLI_CONFIG_FILE may name a file that does
    # not exist or a registry this machine cannot reach. ORCH_TF_CLI_CONFIG_FILE overrides it.
    config = cli_config_file()
    if config is not None:
        env["TF_CLI_CONFIG_FILE"] = str(config)
    env.setdefault("TF_IN_AUTOMATION", "1")
    env.setdefault("TF_INPUT", "0")
    env.setdefault("CHECKPOINT_DISABLE", "1")
    # Terragrunt: no colour codes in captured logs, no update checks, no telemetry.
    env.setdefault("TG_NO_COLOR", "true")
    env.setdefault("TG_NON_INTERACTIVE", "true")
    env.setdefault("TG_TELEMETRY_DISABLE", "1")
    # Terragrunt's start-up `tofu -version`, answered without starting OpenTofu (engine_probe.py).
    env["PATH"] = engine_probe.without_probes(env["PATH"])  # an environment orch built, given back to it
    probes = engine_probe.probe_dir(env)
    if probes is not None:
        env["PATH"] = f"{probes}{os.pathsep}{env['PATH']}"
    return env
