"""`orch plan`: plan the selected units and keep the plans for `orch apply`."""

from __future__ import annotations

from typing import Annotated

import typer

from orchestrator.cli import options, output
from orchestrator.cli.options import (
    DEFAULT_PARALLELISM,
    AllFlag,
    AsJson,
    ChangedSince,
    Engine,
    EnvName,
    FailFast,
    Layers,
    Parallelism,
    RunsDir,
    StackDir,
    Timeout,
    WithDependents,
    WithDeps,
)

DetailedExitcode = Annotated[bool, typer.Option("--detailed-exitcode", help="Exit 2 when any unit has changes.")]


def plan(
    ctx: typer.Context,
    stack_dir: StackDir = None,
    env: EnvName = None,
    all_: AllFlag = False,
    layer: Layers = None,
    with_deps: WithDeps = False,
    with_dependents: WithDependents = False,
    changed: ChangedSince = None,
    parallelism: Parallelism = DEFAULT_PARALLELISM,
    fail_fast: FailFast = False,
    detailed: DetailedExitcode = False,
    as_json: AsJson = False,
    engine: Engine = None,
    runs_dir: RunsDir = None,
    timeout: Timeout = None,
) -> None:
    """Plan the selected units in dependency order; save plans for `orch apply`.

    Keeps plan file, plan JSON and log per unit under .orch/runs/RUN_ID/. Exit 0 ok, 1 error,
    2 changes present (with --detailed-exitcode).
    """
    from orchestrator import runs

    selection = options.selection(all_, layer, with_deps, with_dependents, changed)
    ws = options.workspace(ctx, stack_dir, env, selection, engine, runs_dir)
    report = runs.plan(ws, options.run_options(ctx, parallelism, fail_fast, engine, detailed, timeout))
    output.emit(ws, report, as_json)
