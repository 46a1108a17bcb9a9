"""`orch apply`: apply the saved plans of a plan run, asking first unless --auto-approve."""

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
    ForceUnlock,
    Layers,
    Parallelism,
    RunsDir,
    StackDir,
    Timeout,
    WithDependents,
    WithDeps,
)

RunId = Annotated[str | None, typer.Option("--run-id", help="Apply the saved plans of this plan run.")]
AutoApprove = Annotated[bool, typer.Option("--auto-approve", help="Do not ask for confirmation.")]
AllowDestroy = Annotated[bool, typer.Option("--allow-destroy", help="Allow plans that delete or replace.")]


def apply(
    ctx: typer.Context,
    stack_dir: StackDir = None,
    env: EnvName = None,
    all_: AllFlag = False,
    layer: Layers = None,
    with_deps: WithDeps = False,
    with_dependents: WithDependents = False,
    changed: ChangedSince = None,
    run_id: RunId = None,
    auto_approve: AutoApprove = False,
    allow_destroy: AllowDestroy = False,
    parallelism: Parallelism = DEFAULT_PARALLELISM,
    fail_fast: FailFast = False,
    as_json: AsJson = False,
    engine: Engine = None,
    runs_dir: RunsDir = None,
    timeout: Timeout = None,
    force_unlock: ForceUnlock = False,
) -> None:
    """Apply exactly the saved plans of a plan run (by default the latest unchanged one, else plan first).

    Plans that delete or replace are refused without --allow-destroy. Units planned with mock
    dependency outputs are re-planned after their dependencies apply.
    """
    from orchestrator import runs

    selection = options.selection(all_, layer, with_deps, with_dependents, changed)
    if run_id is not None and selection.empty():
        selection = selection.model_copy(update={"all": True})  # a run id names its units
    ws = options.workspace(ctx, stack_dir, env, selection, engine, runs_dir)
    opts = options.run_options(ctx, parallelism, fail_fast, engine, timeout=timeout, force_unlock=force_unlock)
    report = runs.apply(
        ws,
        opts,
        run_id=run_id,
        auto_approve=auto_approve,
        allow_destroy=allow_destroy,
        confirm=output.confirm_apply(ws),
    )
    output.emit(ws, report, as_json)
