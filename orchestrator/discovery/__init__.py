"""Discovering the units of a stack directory and their dependencies, with Terragrunt's own evaluation.

One `terragrunt find --json --dependencies --include --reading` process evaluates
`dependency`/`dependencies` blocks, includes, locals and functions for the whole stack.
`find` is lenient by design, and orch must not be: verified with Terragrunt 1.1.2,

- an unparsable terragrunt.hcl (or a file it includes) is still listed, without the blocks
  that did not parse, exit code 0; the HCL diagnostic (file:line) is only logged at debug
  level, as `Suppressed parsing errors <file>:<line>,<col>: <summary>; <detail>`;
- a missing include is logged at debug level (`Suppressing parse error for <file>: Include
  configuration not found: ...`), the unit is listed without the blocks of that include;
- a dependency on a missing directory or on a directory without a unit is listed like any
  other dependency;
- a unit on a dependency cycle is dropped from the output (WARN `Cycle detected`).

So `find` runs with `--log-level debug --log-format json` (one JSON object per stderr line;
no measurable cost on environments/LIVE/eks-prod) and orch turns those debug records into
errors, checks every include and dependency path itself, and compares the units found with
the unit files on disk. Units `find` did not list are rendered one by one with `terragrunt
render --json` (which fails loudly, with the engine's own message) to recover their
dependencies, and a cycle is reported by orchestrator.graph naming every unit on it.

Terragrunt Stacks: a directory holding terragrunt.stack.hcl files is generated first with
`terragrunt stack generate` (it copies each `unit` block's source into
`.terragrunt-stack/<path>`, keeping files it did not write there, such as local state;
verified with 1.1.2). `find` does not generate stacks, and skips `.terragrunt-stack` under
`--no-hidden`, so for such a directory it runs without `--no-hidden` and orch filters out
the hidden directories it does not want. Which catalog directory each generated unit came
from is read from the generator's debug record `Generating: <name> (<source>) to <dest>`.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, Field

from orchestrator.discovery.checks import dependency_line, missing_includes, owned_problems, split_dependencies
from orchestrator.discovery.engine import (
    engine_failure,
    log_problems,
    log_records,
    parse_json,
    render_dependencies,
    run_find,
)
from orchestrator.discovery.paths import (
    UNIT_FILES,
    UnitFiles,
    has_stack_file,
    is_unit_path,
    rel_path,
    rel_up,
    shown,
    walk,
)
from orchestrator.discovery.problems import DiscoveryError, Problem, raise_problems
from orchestrator.discovery.stacks import Generated, generate_stacks
from orchestrator.graph import STACK_DIR, STACK_FILE, Graph, Unit, make_graph, readable_name

__all__ = ["Discovered", "DiscoveryError", "UnitFiles", "discover", "is_unit_path"]


class Discovered(BaseModel):
    graph: Graph
    files: dict[str, UnitFiles] = Field(default_factory=dict)


@dataclass
class _Found:
    """What discovery has gathered so far: units by path, the files they read, their include
    blocks (label → file), and the problems found on the way."""

    units: dict[str, Unit] = field(default_factory=dict)
    files: dict[str, UnitFiles] = field(default_factory=dict)
    labels: dict[str, dict[str, str]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def discover(stack_dir: Path, binary: str, env: dict[str, str]) -> Discovered:
    """All units under stack_dir in topological order.

    Raises DiscoveryError for configuration Terragrunt could not read or that points nowhere,
    and CycleError on a cycle, each naming the file to fix and the unit.
    """
    stack = stack_dir.resolve()
    if not stack.is_dir():
        raise DiscoveryError(f"{stack_dir}: not a directory")
    with_stacks = has_stack_file(stack)
    generated = generate_stacks(stack, binary, env) if with_stacks else Generated()
    found = _find(stack, binary, env, with_stacks)
    _render_lost(found, stack, binary, env, with_stacks)
    found.problems += missing_includes(stack, found.labels)
    found.problems += split_dependencies(stack, found.units, found.files, generated)
    kept = owned_problems(found.problems, stack, found.units, found.files, generated)
    units = _with_origins(found.units, stack, generated)
    names = _unique_names(units)
    raise_problems(kept, names)
    if not units:
        raise DiscoveryError(
            f"{shown(stack)}: no Terragrunt unit under this directory (no terragrunt.hcl or {STACK_FILE})",
            hint="check --dir; orch skips hidden directories and caches",
        )
    units = {rel: unit.model_copy(update={"name": names[rel]}) for rel, unit in units.items()}

    def locate(unit: str, dep: str) -> str:
        file, line = dependency_line(stack, unit, dep, found.files, generated)
        return shown(file) + (f":{line}" if line else "")

    graph = make_graph(stack, list(units.values()), locate)
    return Discovered(graph=graph, files=found.files)


def _find(stack: Path, binary: str, env: dict[str, str], with_stacks: bool) -> _Found:
    """The units `terragrunt find` lists, and the problems it only logs."""
    proc = run_find(binary, stack, with_stacks, env)
    if proc.returncode != 0:
        raise DiscoveryError(f"{shown(stack)}: terragrunt find failed: {engine_failure(proc)}")
    listed = parse_json(proc.stdout or "[]", "terragrunt find")
    assert isinstance(listed, list)
    found = _Found()
    for item in listed:
        if item.get("type", "unit") != "unit" or not is_unit_path(item["path"]):
            continue
        rel = Path(item["path"]).as_posix()
        found.units[rel] = Unit(
            path=rel, dependencies=[rel_path(stack, stack, d) for d in item.get("dependencies") or []]
        )
        found.labels[rel] = dict(item.get("include") or {})
        found.files[rel] = UnitFiles(
            includes=sorted(found.labels[rel].values()), reading=sorted(item.get("reading") or [])
        )
    found.problems = log_problems(log_records(proc.stderr), stack)
    return found


def _render_lost(found: _Found, stack: Path, binary: str, env: dict[str, str], with_stacks: bool) -> None:
    """Units on disk that find did not list (it drops units on a cycle, and units whose
    configuration it could not parse at all): render each, which fails loudly."""
    on_disk = [rel_up(stack, base) for base, names in walk(stack, with_stacks) if any(n in names for n in UNIT_FILES)]
    lost = [rel for rel in on_disk if rel not in found.units]
    if not lost:
        return
    with ThreadPoolExecutor(max_workers=4) as pool:
        rendered = dict(zip(lost, pool.map(lambda r: render_dependencies(binary, stack, r, env), lost), strict=True))
    for rel, deps in rendered.items():
        if isinstance(deps, Problem):
            found.problems.append(deps)
            continue
        found.units[rel] = Unit(path=rel, dependencies=deps)
        found.files.setdefault(rel, UnitFiles())


def _with_origins(units: dict[str, Unit], stack: Path, generated: Generated) -> dict[str, Unit]:
    """Generated units, named readably and marked with the catalog files they came from."""
    marked = dict(units)
    for rel, unit in units.items():
        unit_dir = stack / rel
        if unit_dir in generated.sources or STACK_DIR in Path(rel).parts:
            origins = generated.origins(unit_dir) or [p for p in [generated.stack_file(unit_dir)] if p]
            marked[rel] = unit.model_copy(
                update={"name": readable_name(rel), "generated_from": [rel_up(stack, p) for p in origins]}
            )
    return marked


def _unique_names(units: dict[str, Unit]) -> dict[str, str]:
    """Readable names, falling back to the path where two units would read the same."""
    counts: dict[str, int] = {}
    for unit in units.values():
        counts[unit.name] = counts.get(unit.name, 0) + 1
    return {rel: unit.name if counts[unit.name] == 1 else rel for rel, unit in units.items()}
