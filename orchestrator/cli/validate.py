"""`orch validate`: validate each selected unit offline."""

from __future__ import annotations

from typing import Annotated

import typer

from orchestrator.cli import options, output
from orchestrator.cli.options import (
    DEFAULT_PARALLELISM,
    AllFlag,
    ChangedSince,
    Engine,
    EnvName,
    Layers,
    Parallelism,
    RunsDir,
    StackDir,
    WithDependents,
    WithDeps,
)

ValidateJson = Annotated[bool, typer.Option("--json", help='Print {"units": [{"path", "valid", "diagnostics"}]}.')]


def validate(
    ctx: typer.Context,
    stack_dir: StackDir = None,
    env: EnvName = None,
    all_: AllFlag = False,
    layer: Layers = None,
    with_deps: WithDeps = False,
    with_dependents: WithDependents = False,
    changed: ChangedSince = None,
    parallelism: Parallelism = DEFAULT_PARALLELISM,
    as_json: ValidateJson = False,
    engine: Engine = None,
    runs_dir: RunsDir = None,
) -> None:
    """Validate each selected unit offline (no backend). Exit 0 all valid, 1 otherwise."""
    from orchestrator import runs

    selection = options.selection(all_, layer, with_deps, with_dependents, changed)
    if selection.empty():
        selection = selection.model_copy(update={"all": True})
    ws = options.workspace(ctx, stack_dir, env, selection, engine, runs_dir, guard=False)
    report = runs.validate(ws, options.run_options(ctx, parallelism, False, engine))
    if as_json:
        output.print_json(runs.validate_json(report))
        raise typer.Exit(report.exit_code)
    output.emit(ws, report, False)
