"""Environment configuration: `environments/LIVE/<env>/env.yaml`, the one source of truth.

root.hcl reads the same file for Terragrunt; here pydantic validates it so a wrong value
fails before any engine runs, with the file and the field named.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import ValidationError

from orchestrator.config.environment import ENV_FILE, LIVE_DIR, EnvConfig
from orchestrator.config.neighbours import refuse_overlapping_environments
from orchestrator.errors import ConfigError
from orchestrator.settings import REPO_ROOT

__all__ = ["ENV_FILE", "LIVE_DIR", "EnvConfig", "available_envs", "env_dir", "load_env", "load_env_file"]


def env_dir(name: str, repo_root: Path = REPO_ROOT) -> Path:
    return repo_root / LIVE_DIR / name


def available_envs(repo_root: Path = REPO_ROOT) -> list[str]:
    live = repo_root / LIVE_DIR
    return sorted(p.parent.name for p in live.glob(f"*/{ENV_FILE}"))


def load_env_file(path: Path) -> EnvConfig:
    """Parse and validate one env.yaml; errors name the file and the field."""
    if not path.is_file():
        raise ConfigError(f"{path}: environment file not found")
    try:
        raw = yaml.safe_load(path.read_text()) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ConfigError(f"{path}: not valid YAML{where}: {problem}") from None
    try:
        config = EnvConfig.model_validate(raw)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(str(p) for p in err['loc']) or '(top)'}: {err['msg']}" for err in exc.errors())
        raise ConfigError(f"{path}: {problems}") from None
    config.path = path
    refuse_overlapping_environments(config, path)
    return config


def load_env(name: str, repo_root: Path = REPO_ROOT) -> EnvConfig:
    """The environment called `name` (a folder under environments/LIVE)."""
    path = env_dir(name, repo_root) / ENV_FILE
    if not path.is_file():
        known = ", ".join(available_envs(repo_root)) or "none"
        raise ConfigError(f"unknown environment {name!r}: {path} not found (known: {known})")
    return load_env_file(path)
