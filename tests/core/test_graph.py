"""Graph functions: order, cycles (every unit named), closures, renderers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from orchestrator.graph import (
    CycleError,
    Unit,
    dependencies_closure,
    dependents_closure,
    make_graph,
    render_dot,
    render_json,
    render_mermaid,
    render_tree,
)


def units(**deps: list[str]) -> list[Unit]:
    return [Unit(path=name.replace("_", "/"), dependencies=d) for name, d in deps.items()]


def test_topological_order_dependencies_first() -> None:
    g = make_graph(Path("/s"), units(c=["b"], b=["a"], a=[], d=["a"]))
    order = g.paths
    assert order.index("a") < order.index("b") < order.index("c")
    assert order.index("a") < order.index("d")
    assert json.loads(render_json(g)) == {"units": [{"path": p, "dependencies": g.unit(p).dependencies} for p in order]}


def test_cycle_names_every_unit() -> None:
    with pytest.raises(CycleError) as info:
        make_graph(Path("/s"), units(a=["c"], b=["a"], c=["b"], d=["a"]))
    message = str(info.value)
    for name in ("a", "b", "c"):
        assert name in message
    assert "units: a, b, c" in message
    assert "units: a, b, c)" in message  # d depends on the cycle but is not on it


def test_closures() -> None:
    g = make_graph(Path("/s"), units(a=[], b=["a"], c=["b"], x=[]))
    assert dependencies_closure(g, {"c"}) == {"a", "b", "c"}
    assert dependents_closure(g, {"a"}) == {"a", "b", "c"}


def test_renderers_mention_every_edge() -> None:
    g = make_graph(Path("/s"), units(a=[], apps_api=["a"]))
    assert '"apps/api" -> "a"' in render_dot(g)
    assert "-->" in render_mermaid(g)
    assert "apps/api\n  └── a" in render_tree(g)
