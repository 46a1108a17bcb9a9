"""Each unit's local module directories (its terraform.source), from `terragrunt render --json`.

Rendering costs a Terragrunt process per unit (it also reads dependency outputs, in a download
directory of its own: orchestrator.workdir.private_download_dir), so the answers are cached in
`.orch/sources.json`, keyed by the content of the files that decide them; only units whose
configuration changed are rendered again.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
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

    def render(path: str) -> list[Path] | None:
        return _rendered_source(stack_dir / path, terragrunt, env)

    with ThreadPoolExecutor(max_workers=4) as pool:
        fresh = dict(zip(missing, pool.map(render, missing), strict=True))
    for path, found in fresh.items():
        if found is not None:
            cache[keys[path]] = [str(p) for p in found]
    if fresh:
        try:
            cache_file.parent.mkdir(parents=True, exist_ok=True)
            cache_file.write_text(json.dumps(cache, indent=1))
        except OSError:
            pass
    return {path: [Path(p) for p in cache.get(keys[path], [])] for path in paths}


def _rendered_source(unit_dir: Path, terragrunt: str, env: dict[str, str]) -> list[Path] | None:
    """The unit's local module directory as a list (empty: a remote source), None when render fails."""
    with private_download_dir() as download_args:
        proc = subprocess.run(
            [terragrunt, "render", "--json", "--non-interactive", *download_args],
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
