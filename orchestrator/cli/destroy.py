"""`orch destroy`: destroy the selected units in reverse dependency order, with the name typed back."""

from __future__ import annotations

from typing import Annotated

import typer

from orchestrator.cli import options, output
from orchestrator.cli.options import (
    DEFAULT_PARALLELISM,
    AllFlag,
    AsJson,
    Engine,
    EnvName,
    FailFast,
    ForceUnlock,
    Layers,
    Parallelism,
    RunsDir,
    StackDir,
    Timeout,
    WithDependents,
    WithDeps,
)

AllowDestroy = Annotated[bool, typer.Option("--allow-destroy", help="Required: destroy really deletes.")]
AutoApprove = Annotated[bool, typer.Option("--auto-approve", help="Do not ask to type the name back.")]


def destroy(
    ctx: typer.Context,
    stack_dir: StackDir = None,
    env: EnvName = None,
    all_: AllFlag = False,
    layer: Layers = None,
    with_deps: WithDeps = False,
    with_dependents: WithDependents = False,
    allow_destroy: AllowDestroy = False,
    auto_approve: AutoApprove = False,
    parallelism: Parallelism = DEFAULT_PARALLELISM,
    fail_fast: FailFast = False,
    as_json: AsJson = False,
    engine: Engine = None,
    runs_dir: RunsDir = None,
    timeout: Timeout = None,
    force_unlock: ForceUnlock = False,
) -> None:
    """Destroy the selected units in reverse dependency order.

    Needs --allow-destroy, and the environment's name typed back unless --auto-approve.
    """
    from orchestrator import runs

    selection = options.selection(all_, layer, with_deps, with_dependents, None)
    ws = options.workspace(ctx, stack_dir, env, selection, engine, runs_dir)
    report = runs.destroy(
        ws,
        options.run_options(ctx, parallelism, fail_fast, engine, timeout=timeout, force_unlock=force_unlock),
        allow_destroy=allow_destroy,
        auto_approve=auto_approve,
        confirm_name=output.confirm_destroy(ws),
    )
    output.emit(ws, report, as_json)
