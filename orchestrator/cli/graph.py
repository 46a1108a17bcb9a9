"""`orch graph`: the unit dependency graph as a tree, JSON, DOT or Mermaid."""

from __future__ import annotations

import typer

from orchestrator.cli import options
from orchestrator.cli.options import EnvName, Format, GraphFormat, StackDir


def graph(
    ctx: typer.Context,
    stack_dir: StackDir = None,
    env: EnvName = None,
    fmt: Format = GraphFormat.TREE,
) -> None:
    """Show the unit dependency graph (units in a valid order, dependencies first)."""
    from orchestrator.graph import RENDERERS

    ws = options.workspace(ctx, stack_dir, env, None, None, None, select=False, guard=False)
    typer.echo(RENDERERS[fmt](ws.graph))
