"""Discovering the units of a stack directory and their dependencies, with Terragrunt's own evaluation.

`terragrunt find --json --dependencies --include --reading --no-hidden` evaluates
`dependency`/`dependencies` blocks, includes, locals and functions. Terragrunt silently
drops units that sit on a dependency cycle, so units it lost are evaluated one by one with
`terragrunt render --json` and the cycle is reported by orchestrator.graph (naming every
unit in it).
"""

from __future__ import annotations

import json
import os
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from pydantic import BaseModel, Field

from orchestrator.errors import OrchError
from orchestrator.graph import Graph, Unit, make_graph

SKIP_DIRS = {".terragrunt-cache", ".terraform", ".orch", ".git"}


class DiscoveryError(OrchError):
    """Terragrunt could not read the units' configuration."""


class UnitFiles(BaseModel):
    """Files a unit reads besides its own directory (relative to the stack directory)."""

    includes: list[str] = Field(default_factory=list)
    reading: list[str] = Field(default_factory=list)


class Discovered(BaseModel):
    graph: Graph
    files: dict[str, UnitFiles] = Field(default_factory=dict)


def is_unit_path(rel: str) -> bool:
    """False for anything inside a hidden directory, a Terragrunt/Terraform cache or .orch."""
    return not any(part.startswith(".") or part in SKIP_DIRS for part in Path(rel).parts)


def _terragrunt(binary: str, cwd: Path, args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [binary, *args, "--non-interactive"],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        stdin=subprocess.DEVNULL,
    )


def _parse_json(text: str, what: str) -> object:
    start = min((i for i in (text.find("["), text.find("{")) if i >= 0), default=-1)
    if start < 0:
        raise DiscoveryError(f"{what}: no JSON in Terragrunt's output")
    try:
        return json.loads(text[start:])
    except json.JSONDecodeError as exc:
        raise DiscoveryError(f"{what}: Terragrunt printed invalid JSON ({exc})") from None


def _rel(stack: Path, unit_dir: Path, target: str) -> str:
    path = Path(target)
    if not path.is_absolute():
        path = unit_dir / path
    absolute = Path(os.path.normpath(path))
    try:
        return absolute.relative_to(stack).as_posix() or "."
    except ValueError:
        return str(absolute)


def _render_dependencies(binary: str, stack: Path, rel: str, env: dict[str, str]) -> list[str]:
    """Dependencies of one unit from `terragrunt render --json` (used for units on a cycle)."""
    unit_dir = stack / rel
    proc = _terragrunt(binary, unit_dir, ["render", "--json"], env)
    if proc.returncode != 0:
        raise DiscoveryError(f"{rel}: terragrunt render failed:\n{proc.stderr.strip()[-2000:]}")
    data = _parse_json(proc.stdout, f"{rel}: terragrunt render")
    assert isinstance(data, dict)
    deps: list[str] = []
    for block in (data.get("dependency") or {}).values():
        if block and block.get("config_path"):
            deps.append(_rel(stack, unit_dir, block["config_path"]))
    for path in (data.get("dependencies") or {}).get("paths") or []:
        deps.append(_rel(stack, unit_dir, path))
    return deps


def discover(stack_dir: Path, binary: str, env: dict[str, str]) -> Discovered:
    """All units under stack_dir in topological order; raises CycleError on a cycle."""
    stack = stack_dir.resolve()
    if not stack.is_dir():
        raise DiscoveryError(f"{stack_dir}: not a directory")
    proc = _terragrunt(
        binary, stack, ["find", "--json", "--dependencies", "--include", "--reading", "--no-hidden"], env
    )
    if proc.returncode != 0:
        raise DiscoveryError(f"terragrunt find failed in {stack}:\n{proc.stderr.strip()[-3000:]}")
    found = _parse_json(proc.stdout or "[]", "terragrunt find")
    assert isinstance(found, list)
    units: dict[str, Unit] = {}
    files: dict[str, UnitFiles] = {}
    for item in found:
        if item.get("type", "unit") != "unit" or not is_unit_path(item["path"]):
            continue
        rel = Path(item["path"]).as_posix()
        deps, external = [], []
        for dep in item.get("dependencies") or []:
            resolved = _rel(stack, stack, dep)
            (external if Path(resolved).is_absolute() else deps).append(resolved)
        units[rel] = Unit(path=rel, dependencies=deps, external=external)
        files[rel] = UnitFiles(
            includes=sorted((item.get("include") or {}).values()), reading=sorted(item.get("reading") or [])
        )
    if "Cycle detected" in proc.stderr or "cycle" in proc.stderr.lower():
        # Terragrunt dropped the units on the cycle: list them all, then read their blocks.
        plain = _terragrunt(binary, stack, ["find", "--json", "--no-hidden"], env)
        listed = _parse_json(plain.stdout or "[]", "terragrunt find")
        assert isinstance(listed, list)
        lost = [
            Path(i["path"]).as_posix()
            for i in listed
            if i.get("type", "unit") == "unit" and is_unit_path(i["path"]) and i["path"] not in units
        ]
        with ThreadPoolExecutor(max_workers=4) as pool:
            rendered = dict(
                zip(lost, pool.map(lambda r: _render_dependencies(binary, stack, r, env), lost), strict=True)
            )
        for rel, deps in rendered.items():
            units[rel] = Unit(
                path=rel,
                dependencies=[d for d in deps if not Path(d).is_absolute()],
                external=[d for d in deps if Path(d).is_absolute()],
            )
            files.setdefault(rel, UnitFiles())
    # Dependencies on hidden/cache directories or on directories without a unit are external.
    for rel, unit in list(units.items()):
        inside = [d for d in unit.dependencies if d in units]
        outside = [d for d in unit.dependencies if d not in units]
        units[rel] = unit.model_copy(update={"dependencies": inside, "external": sorted({*unit.external, *outside})})
    graph = make_graph(stack, list(units.values()))
    return Discovered(graph=graph, files=files)
