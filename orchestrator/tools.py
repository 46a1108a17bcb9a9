"""Where the engines live, which versions they are, and the environment every engine run gets
(where they live and that environment come from orchestrator/toolpaths.py, which imports nothing heavy).

Engines are built by scripts/install-tools.sh into a cache outside the repository and
linked into `.venv/bin`; providers sit in a filesystem mirror named by `.venv/orch.tfrc`.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel

from orchestrator import settings
from orchestrator.errors import OrchError, ToolMissingError

# Re-exported: where each tool is and the engines' environment.
from orchestrator.toolpaths import ENGINES as ENGINES
from orchestrator.toolpaths import _engine_kind
from orchestrator.toolpaths import cli_config_file as cli_config_file
from orchestrator.toolpaths import engine_env as engine_env
from orchestrator.toolpaths import engine_name as engine_name
from orchestrator.toolpaths import engine_path as engine_path
from orchestrator.toolpaths import find_tool as find_tool
from orchestrator.toolpaths import venv_bin as venv_bin

# The oldest engine versions orch supports. The plan's tool table says OpenTofu >= 1.10, but the
# elasticache-redis module keeps the AUTH token out of state with an ephemeral resource and a
# write-only argument, which OpenTofu has from 1.11.
MIN_VERSIONS = {"tofu": (1, 11, 0), "terraform": (1, 14, 0), "terragrunt": (0, 96, 0)}

_VERSION_RE = re.compile(r"v?(\d+)\.(\d+)\.(\d+)")


class ToolInfo(BaseModel):
    name: str
    path: str
    version: str

    @property
    def version_tuple(self) -> tuple[int, int, int]:
        return parse_version(self.version)


def parse_version(text: str) -> tuple[int, int, int]:
    match = _VERSION_RE.search(text)
    if not match:
        raise ValueError(f"no version number in {text!r}")
    major, minor, patch = (int(g) for g in match.groups())
    return major, minor, patch


def pinned_versions(lock: Path | None = None) -> dict[str, str]:
    """The release versions scripts/tools.lock pins for the engines and linters: {"tofu": "1.12.6", ...}."""
    path = lock or settings.REPO_ROOT / "scripts" / "tools.lock"
    pins: dict[str, str] = {}
    try:
        lines = path.read_text().splitlines()
    except OSError:
        return pins
    for line in lines:
        fields = line.split()
        if len(fields) >= 5 and not fields[0].startswith("#") and ":" not in fields[0]:
            pins[fields[0]] = fields[4]
    return pins


@lru_cache(maxsize=16)
def _version_of(path: str) -> str:
    """The tool's version: `TOOL --version` once per binary (path, size, mtime), then from a cache file."""
    try:
        st = os.stat(path)
        key = f"{os.path.realpath(path)}:{st.st_size}:{st.st_mtime_ns}"
    except OSError:
        key = None
    cache_file = settings.cache_dir() / "tool-versions.json"
    cached: dict[str, str] = {}
    if key is not None:
        try:
            cached = json.loads(cache_file.read_text())
            if isinstance(cached, dict) and isinstance(cached.get(key), str):
                return cached[key]
        except (OSError, ValueError):
            cached = {}
    out = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=60, check=False)
    text = out.stdout + out.stderr
    version = ".".join(str(p) for p in parse_version(text))
    if key is not None and out.returncode == 0:
        try:
            cached = (
                {k: v for k, v in cached.items() if not k.startswith(os.path.realpath(path) + ":")}
                if isinstance(cached, dict)
                else {}
            )
            cached[key] = version
            cache_file.parent.mkdir(parents=True, exist_ok=True)
            tmp = cache_file.with_name(f".{cache_file.name}.{os.getpid()}")
            tmp.write_text(json.dumps(cached, indent=1))
            os.replace(tmp, cache_file)
        except OSError:
            pass
    return version


def tool_info(name: str) -> ToolInfo | None:
    path = find_tool(name)
    if path is None:
        return None
    return tool_info_at(name, path)


def tool_info_at(name: str, path: Path) -> ToolInfo | None:
    try:
        version = _version_of(str(path))
    except (OSError, ValueError, subprocess.TimeoutExpired):
        return None
    return ToolInfo(name=name, path=str(path), version=version)


def require_tool(name: str) -> ToolInfo:
    """The tool, or a ToolMissingError that says how to get it."""
    info = tool_info(name)
    if info is None:
        raise ToolMissingError(
            f"{name} is not installed (looked in {venv_bin()} and on PATH)",
            hint="run ./scripts/setup.sh, or install it from its official release and put it on PATH",
        )
    minimum = MIN_VERSIONS.get(name)
    if minimum and info.version_tuple < minimum:
        raise ToolMissingError(
            f"{name} {info.version} at {info.path} is older than the supported {'.'.join(map(str, minimum))}",
            hint="run ./scripts/setup.sh to build the pinned version",
        )
    return info


def require_engine(choice: str | None = None) -> ToolInfo:
    """The engine a run uses, checked: `choice` (`--engine`), else ORCH_ENGINE/TG_TF_PATH, else tofu.

    A choice is `tofu`, `terraform` or a path to a binary (whose name says which engine it is).
    """
    choice = choice or settings.engine()
    if choice is None or choice in ENGINES:
        return require_tool(choice or engine_name())
    path = Path(choice)
    if os.sep not in choice or not path.is_file():
        raise OrchError(
            f"engine {choice!r}: not tofu, terraform or the path of an existing binary",
            hint="use --engine tofu, --engine terraform or --engine /path/to/terraform (also ORCH_ENGINE)",
        )
    name = _engine_kind(choice)
    try:
        info = ToolInfo(name=name, path=str(path), version=_version_of(str(path)))
    except (OSError, ValueError, subprocess.TimeoutExpired) as exc:
        raise ToolMissingError(f"{choice}: cannot read its version ({exc})") from exc
    minimum = MIN_VERSIONS[name]
    if info.version_tuple < minimum:
        raise ToolMissingError(
            f"{name} {info.version} at {info.path} is older than the supported {'.'.join(map(str, minimum))}",
            hint="run ./scripts/setup.sh to build the pinned version",
        )
    return info


def mirror_providers(mirror: Path | None = None) -> dict[str, dict[str, str]]:
    """Providers in the filesystem mirror: {"hashicorp/aws": {"version": "6.47.1", "path": ...}}."""
    root = mirror or settings.cache_dir() / "plugins"
    found: dict[str, dict[str, str]] = {}
    host = root / "registry.opentofu.org"
    if not host.is_dir():
        return found
    for version_dir in sorted(host.glob("*/*/*")):
        binaries = list(version_dir.glob("*/terraform-provider-*"))
        if not binaries:
            continue
        namespace, ptype, version = version_dir.parts[-3:]
        key = f"{namespace}/{ptype}"
        previous = found.get(key)
        if previous is None or parse_version(version) > parse_version(previous["version"]):
            found[key] = {"version": version, "path": str(binaries[0])}
    return found
