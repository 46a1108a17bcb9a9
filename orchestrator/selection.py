"""Which units a run command acts on: --all, --layer, --with-dependencies/-dependents, --changed-since.

`select_units` and `units_for_files` are pure; `changed_files` asks git.
"""

from __future__ import annotations

import subprocess
from pathlib import Path, PurePosixPath

from pydantic import BaseModel, Field

from orchestrator.errors import OrchError
from orchestrator.graph import STACK_DIR, STACK_FILE, Graph, dependencies_closure, dependents_closure


class SelectionError(OrchError):
    """The selection flags name no unit or a unit that does not exist."""


class Selection(BaseModel):
    """The selection flags as given (recorded in every run's report)."""

    all: bool = False
    layers: list[str] = Field(default_factory=list)
    with_dependencies: bool = False
    with_dependents: bool = False
    changed_since: str | None = None

    def empty(self) -> bool:
        return not (self.all or self.layers or self.changed_since)

    def describe(self) -> str:
        parts = []
        if self.all:
            parts.append("--all")
        parts += [f"--layer {name}" for name in self.layers]
        if self.changed_since:
            parts.append(f"--changed-since {self.changed_since}")
        if self.with_dependencies:
            parts.append("--with-dependencies")
        if self.with_dependents:
            parts.append("--with-dependents")
        return " ".join(parts)


def layer_names(graph: Graph) -> list[str]:
    return sorted({u.layer for u in graph.units})


def resolve_layer(graph: Graph, name: str) -> set[str]:
    """Units of a layer: exact unit path or name, exact top directory, or a unique prefix of a layer name.

    Layers come from unit names, so a unit generated into `.terragrunt-stack/vpc` is layer `vpc`.
    """
    name = name.strip().rstrip("/")
    paths = set(graph.paths)
    if name in paths:
        return {name}
    named = {u.path for u in graph.units if u.name == name}
    if named:
        return named
    layers = layer_names(graph)
    if name in layers:
        chosen = name
    else:
        matches = [layer for layer in layers if layer.startswith(name)]
        if len(matches) != 1:
            what = "ambiguous layer" if matches else "unknown layer"
            options = matches or layers
            raise SelectionError(f"{what} {name!r}; valid layers: {', '.join(options) or '(none)'}")
        chosen = matches[0]
    return {u.path for u in graph.units if u.layer == chosen}


def select_units(graph: Graph, selection: Selection, changed: set[str] | None = None) -> list[str]:
    """Selected unit paths in the graph's topological order.

    `changed` holds the units whose files changed (for --changed-since); their dependents
    are always added.
    """
    if selection.empty():
        raise SelectionError(
            "no units selected",
            hint="use --all, --layer NAME (repeatable) or --changed-since GIT_REF",
        )
    chosen: set[str] = set()
    if selection.all:
        chosen |= set(graph.paths)
    for name in selection.layers:
        chosen |= resolve_layer(graph, name)
    if selection.changed_since is not None:
        chosen |= dependents_closure(graph, set(changed or ()))
    if selection.with_dependencies:
        chosen = dependencies_closure(graph, chosen)
    if selection.with_dependents:
        chosen = dependents_closure(graph, chosen)
    return [p for p in graph.paths if p in chosen]


def units_for_files(
    graph: Graph,
    files: list[str],
    sources: dict[str, list[str]] | None = None,
    reads: dict[str, list[str]] | None = None,
) -> set[str]:
    """Units touched by changed files (paths relative to the stack directory, posix).

    A file belongs to the deepest unit directory containing it; a file in a directory
    above units (root.hcl, env.yaml, shared .hcl) touches every unit below it; a file in a
    unit's local module directory (`sources`: unit → module dirs relative to the stack
    directory, may start with ../) touches that unit, and so does a file the unit includes or
    reads (`reads`: from `terragrunt find --include --reading`).

    A unit generated from a terragrunt.stack.hcl is touched by a change in its catalog unit
    directory or in that stack file (`Unit.generated_from`). Files inside `.terragrunt-stack`
    are `terragrunt stack generate`'s copies (untracked unless someone commits them, and
    rewritten on every run), so they touch nothing by themselves.
    """
    unit_paths = sorted(graph.paths, key=lambda p: -len(p))
    sources = sources or {}
    readers: dict[str, set[str]] = {}
    for unit, read in (reads or {}).items():
        for item in read:
            readers.setdefault(PurePosixPath(item).as_posix(), set()).add(unit)
    hit: set[str] = set()
    origins = {u.path: [PurePosixPath(p) for p in u.generated_from] for u in graph.units if u.generated_from}
    for name in files:
        file = PurePosixPath(name)
        if STACK_DIR in file.parts:
            continue
        hit |= readers.get(file.as_posix(), set())
        hit |= {unit for unit, paths in origins.items() if any(_under(file, p) for p in paths)}
        if file.parts and file.parts[0] != "..":
            owner = next((u for u in unit_paths if u == "." or _under(file, PurePosixPath(u))), None)
            if owner is not None:
                hit.add(owner)
                continue
            parent = file.parent
            below = {u for u in graph.paths if _under(PurePosixPath(u), parent)}
            # A terragrunt.stack.hcl touches the units it generates (above), not its neighbours.
            if file.suffix in (".hcl", ".yaml", ".yml", ".json", ".tfvars") and file.name != STACK_FILE:
                hit |= below
        for unit, dirs in sources.items():
            if any(_under(file, PurePosixPath(d)) for d in dirs):
                hit.add(unit)
    return hit


def _under(path: PurePosixPath, directory: PurePosixPath) -> bool:
    if str(directory) in ("", "."):
        return True
    return path == directory or directory in path.parents


def changed_files(stack_dir: Path, ref: str) -> list[str]:
    """Files changed since `ref` (committed, staged, unstaged and untracked), relative to stack_dir."""
    stack_dir = stack_dir.resolve()

    def git(*args: str) -> str:
        proc = subprocess.run(["git", *args], cwd=stack_dir, capture_output=True, text=True, check=False)
        if proc.returncode != 0:
            raise SelectionError(f"git {' '.join(args)} failed: {proc.stderr.strip() or proc.stdout.strip()}")
        return proc.stdout

    top = Path(git("rev-parse", "--show-toplevel").strip()).resolve()
    try:
        git("rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    except SelectionError:
        raise SelectionError(f"--changed-since {ref}: not a commit in {top} (try a branch, tag or SHA)") from None
    names = git("diff", "--name-only", "--no-renames", ref).splitlines()
    names += git("ls-files", "--others", "--exclude-standard", "--full-name", str(top)).splitlines()
    result = []
    for name in names:
        if not name.strip():
            continue
        absolute = top / name
        try:
            result.append(absolute.relative_to(stack_dir).as_posix())
        except ValueError:
            result.append(Path(_relpath(absolute, stack_dir)).as_posix())
    return sorted(set(result))


def _relpath(path: Path, start: Path) -> str:
    import os

    return os.path.relpath(path, start)
