"""The unit dependency graph: pydantic models plus pure functions (networkx for cycles).

Edges point from a unit to the units it depends on (`dependency`/`dependencies` blocks).
"""

from __future__ import annotations

import heapq
import itertools
import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, Field

from orchestrator.errors import OrchError

if TYPE_CHECKING:
    import networkx as nx


class CycleError(OrchError):
    """The units' dependencies form a cycle."""


#: Where `terragrunt stack generate` writes the units of a terragrunt.stack.hcl.
STACK_DIR = ".terragrunt-stack"
STACK_FILE = "terragrunt.stack.hcl"


def readable_name(path: str) -> str:
    """A unit path without its `.terragrunt-stack` components: `prod/.terragrunt-stack/vpc` → `prod/vpc`."""
    parts = [p for p in path.split("/") if p != STACK_DIR]
    return "/".join(parts) or "."


class Unit(BaseModel):
    """A directory with a terragrunt.hcl; `path` is relative to the stack directory (posix).

    `path` is the real directory (run directories, logs and the engine use it); `name` is
    what people read and select: the path without `.terragrunt-stack` components for units
    generated from a terragrunt.stack.hcl, else the path itself.
    """

    path: str
    name: str = ""
    dependencies: list[str] = Field(default_factory=list)
    #: Dependencies outside the stack directory (absolute paths), never run by orch.
    external: list[str] = Field(default_factory=list)
    #: For a generated unit: the catalog unit directory it was copied from and the
    #: terragrunt.stack.hcl that generated it (relative to the stack directory, may start
    #: with ../), so that --changed-since maps a change there to this unit.
    generated_from: list[str] = Field(default_factory=list)

    def model_post_init(self, context: object, /) -> None:
        if not self.name:
            self.name = self.path

    @property
    def layer(self) -> str:
        """The first component of the name: `30-eks-cluster` for `30-eks-cluster` or `30-eks-cluster/x`."""
        return self.name.split("/", 1)[0]


class Graph(BaseModel):
    """All units of a stack directory, in a valid topological order (dependencies first)."""

    root: Path
    units: list[Unit]

    def unit(self, path: str) -> Unit:
        for unit in self.units:
            if unit.path == path:
                return unit
        raise KeyError(path)

    @property
    def paths(self) -> list[str]:
        return [u.path for u in self.units]

    def digraph(self) -> nx.DiGraph[str]:
        return to_digraph(self.units)

    def names(self) -> dict[str, str]:
        """Unit path → readable name."""
        return {u.path: u.name for u in self.units}

    def to_json(self) -> dict[str, list[dict[str, object]]]:
        # "name" only where it differs from "path", so graphs without stacks keep their shape.
        units = []
        for unit in self.units:
            entry: dict[str, object] = {"path": unit.path}
            if unit.name != unit.path:
                entry["name"] = unit.name
            entry["dependencies"] = list(unit.dependencies)
            units.append(entry)
        return {"units": units}


def to_digraph(units: list[Unit]) -> nx.DiGraph[str]:
    """unit → dependency edges; dependencies outside `units` are ignored."""
    import networkx as nx  # imported when needed: it costs a third of a second

    graph: nx.DiGraph[str] = nx.DiGraph()
    names = {u.path for u in units}
    for unit in units:
        graph.add_node(unit.path)
    for unit in units:
        for dep in unit.dependencies:
            if dep in names:
                graph.add_edge(unit.path, dep)
    return graph


def cycles(units: list[Unit]) -> list[list[str]]:
    """Every group of units that depend on each other in a cycle (strongly connected components)."""
    import networkx as nx

    graph = to_digraph(units)
    found = []
    for component in nx.strongly_connected_components(graph):
        if len(component) > 1 or any(graph.has_edge(n, n) for n in component):
            found.append(sorted(component))
    return sorted(found)


#: Where a unit declares its dependency on another: (unit path, dependency path) → "file:line".
Locator = Callable[[str, str], str]


def cycle_path(units: list[Unit], members: list[str]) -> list[str]:
    """Unit paths along one cycle through the members, the first repeated at the end."""
    import networkx as nx

    graph = to_digraph(units).subgraph(members)
    try:
        edges = nx.find_cycle(graph, source=members[0])
        return [edges[0][0], *[e[1] for e in edges]]
    except nx.NetworkXNoCycle:  # pragma: no cover - members come from an SCC
        return [*members, members[0]]


def describe_cycle(units: list[Unit], members: list[str]) -> str:
    """`a -> b -> c -> a` for one cycle through the members (readable names)."""
    names = {u.path: u.name for u in units}
    return " -> ".join(names.get(p, p) for p in cycle_path(units, members))


def check_acyclic(units: list[Unit], locate: Locator | None = None) -> None:
    """Raise CycleError naming every unit on a cycle and, with `locate`, the file declaring each edge."""
    found = cycles(units)
    if not found:
        return
    names = {u.path: u.name for u in units}
    parts, places = [], []
    for members in found:
        parts.append(f"{describe_cycle(units, members)} (units: {', '.join(names.get(m, m) for m in members)})")
        if locate is not None:
            path = cycle_path(units, members)
            places += [f"{locate(a, b)} ({names.get(a, a)} -> {names.get(b, b)})" for a, b in itertools.pairwise(path)]
    message = "dependency cycle: " + "; ".join(parts)
    if places:
        message += f"; declared in {places[0]}"
    hint = "remove one of these dependency or dependencies blocks"
    raise CycleError(message, hint=f"{hint}: {', '.join(places)}" if places else hint)


def topological(units: list[Unit], locate: Locator | None = None) -> list[Unit]:
    """Units with dependencies first; ties broken by path so the order is stable.

    Kahn's algorithm, always taking the smallest path that is ready (the order of
    networkx's lexicographical_topological_sort); a cycle leaves units unordered, and
    check_acyclic names it.
    """
    by_path = {u.path: u for u in units}
    dependents: dict[str, list[str]] = {p: [] for p in by_path}
    waiting: dict[str, int] = {}
    for unit in units:
        deps = {d for d in unit.dependencies if d in by_path}
        waiting[unit.path] = len(deps)
        for dep in deps:
            dependents[dep].append(unit.path)
    ready = [p for p, n in waiting.items() if n == 0]
    heapq.heapify(ready)
    order: list[str] = []
    while ready:
        path = heapq.heappop(ready)
        order.append(path)
        for dependent in dependents[path]:
            waiting[dependent] -= 1
            if waiting[dependent] == 0:
                heapq.heappush(ready, dependent)
    if len(order) != len(by_path):
        check_acyclic(units, locate)
    return [by_path[p] for p in order]


def make_graph(root: Path, units: list[Unit], locate: Locator | None = None) -> Graph:
    normalized = [u.model_copy(update={"dependencies": sorted(set(u.dependencies))}) for u in units]
    return Graph(root=root, units=topological(normalized, locate))


def _closure(edges: dict[str, list[str]], paths: set[str]) -> set[str]:
    found = set(paths)
    stack = list(paths)
    while stack:
        for nxt in edges.get(stack.pop(), ()):
            if nxt not in found:
                found.add(nxt)
                stack.append(nxt)
    return found


def _dependency_edges(graph: Graph) -> dict[str, list[str]]:
    names = set(graph.paths)
    return {u.path: [d for d in u.dependencies if d in names] for u in graph.units}


def _dependent_edges(graph: Graph) -> dict[str, list[str]]:
    edges: dict[str, list[str]] = {p: [] for p in graph.paths}
    for unit in graph.units:
        for dep in unit.dependencies:
            if dep in edges:
                edges[dep].append(unit.path)
    return edges


def dependencies_closure(graph: Graph, paths: set[str]) -> set[str]:
    """The paths and everything they depend on, directly or not (within the graph)."""
    return _closure(_dependency_edges(graph), paths)


def dependents_closure(graph: Graph, paths: set[str]) -> set[str]:
    """The paths and everything that depends on them, directly or not (within the graph)."""
    return _closure(_dependent_edges(graph), paths)


def closures(graph: Graph) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """Per unit: its dependencies closure and its dependents closure (each including itself)."""
    down, up = _dependency_edges(graph), _dependent_edges(graph)
    return {p: _closure(down, {p}) for p in graph.paths}, {p: _closure(up, {p}) for p in graph.paths}


# ---------------------------------------------------------------- rendering


def render_json(graph: Graph) -> str:
    return json.dumps(graph.to_json(), indent=2)


def _quote(text: str) -> str:
    return '"' + text.replace('"', '\\"') + '"'


def render_dot(graph: Graph) -> str:
    names = graph.names()
    lines = ["digraph units {", "  rankdir=LR;"]
    for unit in graph.units:
        lines.append(f"  {_quote(unit.name)};")
    for unit in graph.units:
        for dep in unit.dependencies:
            lines.append(f"  {_quote(unit.name)} -> {_quote(names.get(dep, dep))};")
    lines.append("}")
    return "\n".join(lines)


def render_mermaid(graph: Graph) -> str:
    ids = {u.path: f"u{i}" for i, u in enumerate(graph.units)}
    lines = ["graph LR"]
    for unit in graph.units:
        lines.append(f'  {ids[unit.path]}["{unit.name}"]')
    for unit in graph.units:
        for dep in unit.dependencies:
            if dep in ids:
                lines.append(f"  {ids[unit.path]} --> {ids[dep]}")
    return "\n".join(lines)


def render_tree(graph: Graph) -> str:
    """Units in order, each with the units it depends on (plain text, no control codes)."""
    names = graph.names()
    lines = []
    for unit in graph.units:
        lines.append(unit.name)
        deps = [names.get(d, d) for d in unit.dependencies] + [f"{e} (external)" for e in unit.external]
        for i, dep in enumerate(deps):
            branch = "└── " if i == len(deps) - 1 else "├── "
            lines.append(f"  {branch}{dep}")
    return "\n".join(lines)


RENDERERS = {"json": render_json, "dot": render_dot, "mermaid": render_mermaid, "tree": render_tree}
