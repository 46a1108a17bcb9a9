"""Terragrunt's `-version` probes, answered without starting the engine.

Every Terragrunt process starts by running `tofu -version`, found on PATH, to choose a default
engine, even when TG_TF_PATH names one (Terragrunt 1.1: pkg/options/options.go,
`identifyDefaultWrappedExecutable`, a package variable). A `run` then asks its `--tf-path` engine
for `-version` once more (internal/runner/run/version_check.go). On 2 cores each probe costs 0.05
to 0.15 s of a start-up that orch waits for: once for discovery's `terragrunt find`, once for each
run. The answer never changes for one build of the engine, so orch asks each build once, keeps
what it printed in its cache (keyed by the binary's path, size and mtime, and by the CLI configuration,
which adds a warning when the engine cannot read it) and answers from there:

- `engine_env` puts a directory first on PATH whose `tofu` is a small `sh` script (`probe_dir`);
- the engine wrapper of a delegated run answers the same way (`sh_answer`, engine_server.py).

The answer is given only where it is exactly what the engine prints: for the single argument
`-version`, with the CLI configuration it was made with, in a directory that is not initialised (an
initialised one adds its providers' versions: no `.terraform`, no TF_DATA_DIR). Every other call,
a hook's `tofu plan` included, runs the engine itself (`exec`). Without a writable cache, or when the
engine cannot answer, nothing changes.

Standard library only: orchestrator/early_find.py builds the same environment before the rest of
orch is imported.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shlex
import shutil
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path

from orchestrator import settings

#: The engine Terragrunt probes on PATH at start-up.
PROBED = "tofu"


def _probes_root() -> Path:
    return settings.cache_dir() / "engine-probes"


#: The engine's CLI configuration: a file it cannot read adds a warning to its `-version` output.
CONFIG_VARS = ("TF_CLI_CONFIG_FILE", "TERRAFORM_CONFIG")


def _key(engine: Path, env: Mapping[str, str]) -> str | None:
    """One build of the engine (real path, size, mtime) under one CLI configuration (the variables,
    and the file's size and mtime); None if the engine is not a file."""
    try:
        real = os.path.realpath(engine)
        stat = os.stat(real)
    except OSError:
        return None
    parts = [real, str(stat.st_size), str(stat.st_mtime_ns)]
    for name in CONFIG_VARS:
        value = env.get(name)
        parts.append(f"{name}={value}")
        if value:
            with contextlib.suppress(OSError):
                config = os.stat(value)
                parts.append(f"{config.st_size}:{config.st_mtime_ns}")
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:16]


def version_text(engine: Path, env: Mapping[str, str]) -> str | None:
    """What `ENGINE -version` prints (stdout) with `env`, outside an initialised directory; None if it fails.

    Asked once per build of the engine and CLI configuration, then read from orch's cache.
    """
    key = _key(engine, env)
    if key is None:
        return None
    cached = _probes_root() / key / "version.txt"
    with contextlib.suppress(OSError, UnicodeDecodeError):
        return cached.read_text(encoding="utf-8")
    call_env = {k: v for k, v in env.items() if not k.startswith("TF_CLI_ARGS") and k != "TF_DATA_DIR"}
    call_env["CHECKPOINT_DISABLE"] = "1"  # no "your version is out of date" line from the network
    try:
        with tempfile.TemporaryDirectory(prefix="orch-probe-") as empty:
            proc = subprocess.run(
                [str(engine), "-version"],
                cwd=empty,
                env=call_env,
                capture_output=True,
                text=True,
                timeout=60,
                stdin=subprocess.DEVNULL,
                check=False,
            )
    except (OSError, subprocess.SubprocessError):
        return None
    if proc.returncode != 0 or not proc.stdout.strip():
        return None
    _write(cached, proc.stdout)
    return proc.stdout


def sh_answer(engine: Path, env: Mapping[str, str]) -> str:
    """`sh` lines that print ENGINE's `-version` answer and exit where it is exact: the single argument
    `-version`, no initialised directory, `env`'s CLI configuration. "" without an answer."""
    text = version_text(engine, env)
    if text is None:
        return ""
    same_config = " && ".join(f'[ "${{{name}-}}" = {shlex.quote(env.get(name, ""))} ]' for name in CONFIG_VARS)
    return (
        "# Terragrunt's `-version` probe, answered with what this engine printed (orchestrator/engine_probe.py).\n"
        'if [ "$#" = 1 ] && [ "$1" = -version ] && [ -z "${TF_DATA_DIR-}" ] && ! [ -e .terraform ] \\\n'
        f"   && {same_config}; then\n"
        f"  printf '%s' {shlex.quote(text)}\n"
        "  exit 0\n"
        "fi\n"
    )


def without_probes(search_path: str) -> str:
    """`search_path` without the probe directories of orch's cache."""
    root = str(_probes_root())
    kept = [d for d in search_path.split(os.pathsep) if os.path.dirname(d.rstrip(os.sep)) != root]
    return os.pathsep.join(kept)


def probe_dir(env: Mapping[str, str]) -> Path | None:
    """A directory to put first on `env`'s PATH whose `tofu` answers Terragrunt's start-up probe and
    runs the `tofu` that PATH finds for anything else; None when there is no `tofu`, or when the
    directory cannot be written."""
    found = shutil.which(PROBED, path=env.get("PATH", ""))
    if found is None:
        return None
    root = _probes_root()
    if Path(found).parent.parent == root:
        return Path(found).parent  # PATH finds a probe first already
    key = _key(Path(found), env)
    if key is None:
        return None
    script = root / key / PROBED
    if os.access(script, os.X_OK):
        return script.parent
    answer = sh_answer(Path(found), env)
    if not answer:
        return None
    body = (
        "#!/bin/sh\n"
        f"# Written by orch for the `{PROBED}` Terragrunt finds on PATH: {found}\n"
        f'{answer}exec {shlex.quote(os.path.realpath(found))} "$@"\n'
    )
    return script.parent if _write(script, body, mode=0o755) else None


def _write(path: Path, text: str, mode: int = 0o644) -> bool:
    """Write atomically (another orch may be writing the same file); False if the cache is not writable."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except OSError:
        return False
    return True
