"""The unit dependency graph: pydantic models plus pure functions over networkx.

Edges point from a unit to the units it depends on (`dependency`/`dependencies` blocks).
"""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
from pydantic import BaseModel, Field

from orchestrator.errors import OrchError


class CycleError(OrchError):
    """The units' dependencies form a cycle."""


class Unit(BaseModel):
    """A directory with a terragrunt.hcl; `path` is relative to the stack directory (posix)."""

    path: str
    dependencies: list[str] = Field(default_factory=list)
    #: Dependencies outside the stack directory (absolute paths), never run by orch.
    external: list[str] = Field(default_factory=list)

    @property
    def layer(self) -> str:
        """The first path component: `30-eks-cluster` for `30-eks-cluster` or `30-eks-cluster/x`."""
        return self.path.split("/", 1)[0]


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

    def digraph(self) -> nx.DiGraph:
        return to_digraph(self.units)

    def to_json(self) -> dict:
        return {"units": [{"path": u.path, "dependencies": list(u.dependencies)} for u in self.units]}


def to_digraph(units: list[Unit]) -> nx.DiGraph:
    """unit → dependency edges; dependencies outside `units` are ignored."""
    graph = nx.DiGraph()
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
    graph = to_digraph(units)
    found = []
    for component in nx.strongly_connected_components(graph):
        if len(component) > 1 or any(graph.has_edge(n, n) for n in component):
            found.append(sorted(component))
    return sorted(found)


def describe_cycle(units: list[Unit], members: list[str]) -> str:
    """`a -> b -> c -> a` for one cycle through the members."""
    graph = to_digraph(units).subgraph(members)
    try:
        edges = nx.find_cycle(graph, source=members[0])
        path = [edges[0][0], *[e[1] for e in edges]]
    except nx.NetworkXNoCycle:  # pragma: no cover - members come from an SCC
        path = [*members, members[0]]
    return " -> ".join(path)


def check_acyclic(units: list[Unit]) -> None:
    found = cycles(units)
    if found:
        parts = []
        for members in found:
            parts.append(f"{describe_cycle(units, members)} (units: {', '.join(members)})")
        raise CycleError(
            "dependency cycle: " + "; ".join(parts),
            hint="remove one of these dependency or dependencies blocks",
        )


def topological(units: list[Unit]) -> list[Unit]:
    """Units with dependencies first; ties broken by path so the order is stable."""
    check_acyclic(units)
    graph = to_digraph(units)
    by_path = {u.path: u for u in units}
    # Reverse so that dependencies come before dependents.
    order = nx.lexicographical_topological_sort(graph.reverse(copy=True))
    return [by_path[p] for p in order]


def make_graph(root: Path, units: list[Unit]) -> Graph:
    normalized = [u.model_copy(update={"dependencies": sorted(set(u.dependencies))}) for u in units]
    return Graph(root=root, units=topological(normalized))


def dependencies_closure(graph: Graph, paths: set[str]) -> set[str]:
    dg = graph.digraph()
    found = set(paths)
    for path in paths:
        found |= nx.descendants(dg, path)
    return found


def dependents_closure(graph: Graph, paths: set[str]) -> set[str]:
    dg = graph.digraph()
    found = set(paths)
    for path in paths:
        found |= nx.ancestors(dg, path)
    return found


# ---------------------------------------------------------------- rendering


def render_json(graph: Graph) -> str:
    return json.dumps(graph.to_json(), indent=2)


def _quote(text: str) -> str:
    return '"' + text.replace('"', '\\"') + '"'


def render_dot(graph: Graph) -> str:
    lines = ["digraph units {", "  rankdir=LR;"]
    for unit in graph.units:
        lines.append(f"  {_quote(unit.path)};")
    for unit in graph.units:
        for dep in unit.dependencies:
            lines.append(f"  {_quote(unit.path)} -> {_quote(dep)};")
    lines.append("}")
    return "\n".join(lines)


def render_mermaid(graph: Graph) -> str:
    ids = {u.path: f"u{i}" for i, u in enumerate(graph.units)}
    lines = ["graph LR"]
    for unit in graph.units:
        lines.append(f'  {ids[unit.path]}["{unit.path}"]')
    for unit in graph.units:
        for dep in unit.dependencies:
            if dep in ids:
                lines.append(f"  {ids[unit.path]} --> {ids[dep]}")
    return "\n".join(lines)


def render_tree(graph: Graph) -> str:
    """Units in order, each with the units it depends on (plain text, no control codes)."""
    lines = []
    for unit in graph.units:
        lines.append(unit.path)
        deps = unit.dependencies + [f"{e} (external)" for e in unit.external]
        for i, dep in enumerate(deps):
            branch = "└── " if i == len(deps) - 1 else "├── "
            lines.append(f"  {branch}{dep}")
    return "\n".join(lines)


RENDERERS = {"json": render_json, "dot": render_dot, "mermaid": render_mermaid, "tree": render_tree}
