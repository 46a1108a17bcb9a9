"""Each unit's local module directories (its terraform.source), from `terragrunt render --json`.

Rendering costs a Terragrunt process per unit (with an engine that reads no dependency outputs, in a
download directory of its own: orchestrator.workdir.private_download_dir), so the answers are cached
in `.orch/sources.json`, keyed by the content of the files that decide them; only units whose
configuration changed are rendered again.
"""

from __future__ import annotations

import hashlib
import json
import os
import shlex
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from orchestrator.discovery import Discovered
from orchestrator.workdir import private_download_dir


def unit_sources(
    stack_dir: Path, discovered: Discovered, terragrunt: str, env: dict[str, str], cache_file: Path
) -> dict[str, list[Path]]:
    """Local module directories per unit of `discovered` (relative to `stack_dir`)."""
    try:
        cache: dict[str, list[str]] = json.loads(cache_file.read_text())
    except (OSError, ValueError):
        cache = {}
    paths = discovered.graph.paths
    keys = {path: _config_key(stack_dir, discovered, path) for path in paths}
    missing = [path for path, key in keys.items() if key not in cache]
    if not missing:
        return {path: [Path(p) for p in cache[keys[path]]] for path in paths}

    with tempfile.TemporaryDirectory(prefix="orch-sources-") as scratch:
        outputless = _outputless_engine(Path(scratch), env.get("TG_TF_PATH") or "tofu")

        def render(path: str) -> list[Path] | None:
            found = _rendered_source(stack_dir / path, terragrunt, env, outputless)
            # A dependency without mock outputs: its real outputs, read in a directory of our own.
            return found if found is not None else _rendered_source(stack_dir / path, terragrunt, env, None)

        with ThreadPoolExecutor(max_workers=4) as pool:
            fresh = dict(zip(missing, pool.map(render, missing), strict=True))
    for path, found in fresh.items():
        if found is not None:
            cache[keys[path]] = [str(p) for p in found]
    try:
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        cache_file.write_text(json.dumps(cache, indent=1))
    except OSError:
        pass
    return {path: [Path(p) for p in cache.get(keys[path], [])] for path in paths}


def _outputless_engine(scratch: Path, engine: str) -> Path:
    """An engine for `terragrunt render` that reads no dependency outputs.

    Rendering a unit evaluates its dependency blocks, and Terragrunt reads each dependency's outputs
    for them: an `init` and an `output` process per dependency, as much CPU again as the render
    itself, taken from the plan that runs beside it (measured on the 30-unit benchmark stack: 0.24
    CPU-seconds a render this way, 0.48 with outputs read in place, 0.69 in a download directory of
    its own). Only `terraform.source` is wanted here. This engine answers `init` with nothing and
    `output` with no outputs, so a dependency's mock outputs stand in (`render` always takes them for
    a dependency without outputs); the version question goes to the real engine. A source computed
    from a dependency's outputs is therefore its mock outputs' (the plan of an unapplied stack reads
    the same); a unit that fails to render this way is rendered again with the real engine.
    """
    path = scratch / "engine" / Path(engine).name
    path.parent.mkdir()
    path.write_text(
        "#!/bin/sh\n"
        "# Written by orch for `terragrunt render` (orchestrator/sources.py): no dependency outputs.\n"
        'case "$1" in\n'
        "  init) exit 0 ;;\n"
        "  output) echo '{}'; exit 0 ;;\n"
        "esac\n"
        f'exec {shlex.quote(engine)} "$@"\n'
    )
    path.chmod(0o700)
    return path


def _rendered_source(unit_dir: Path, terragrunt: str, env: dict[str, str], engine: Path | None) -> list[Path] | None:
    """The unit's local module directory as a list (empty: a remote source), None when render fails."""
    engine_args = ["--tf-path", str(engine)] if engine is not None else []
    with private_download_dir() as download_args:
        proc = subprocess.run(
            [terragrunt, "render", "--json", "--non-interactive", *download_args, *engine_args],
            cwd=unit_dir,
            env=env,
            capture_output=True,
            text=True,
            check=False,
            stdin=subprocess.DEVNULL,
        )
    if proc.returncode != 0 or "{" not in proc.stdout:
        return None
    try:
        data = json.loads(proc.stdout[proc.stdout.index("{") :])
    except json.JSONDecodeError:
        return None
    source = ((data.get("terraform") or {}).get("source")) or ""
    local = _local_source(source, unit_dir)
    return [local] if local is not None else []


def _local_source(source: str, unit_dir: Path) -> Path | None:
    if not source or "::" in source or source.startswith(("tfr:", "git@", "http://", "https://")):
        return None
    base = source.split("?", 1)[0]
    root = base.split("//", 1)[0] if "//" in base else base
    path = Path(root)
    if not path.is_absolute():
        path = unit_dir / path
    path = Path(os.path.normpath(path))
    return path if path.is_dir() else None


def _config_key(stack_dir: Path, discovered: Discovered, path: str) -> str:
    """Hash of the files deciding a unit's terraform.source: terragrunt.hcl, its includes and reads."""
    digest = hashlib.sha256(str(stack_dir / path).encode())
    files = discovered.files.get(path)
    names = [f"{path}/terragrunt.hcl", *(files.includes if files else []), *(files.reading if files else [])]
    for name in sorted(set(names)):
        digest.update(name.encode())
        try:
            digest.update((stack_dir / name).read_bytes())
        except OSError:
            digest.update(b"-")
    return digest.hexdigest()
