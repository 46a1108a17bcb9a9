"""`orch destroy`: the selected units in reverse dependency order (plan -destroy, then apply that plan)."""

from __future__ import annotations

from collections.abc import Callable

from orchestrator.runs import store as runs
from orchestrator.runs.apply import RefusedError
from orchestrator.runs.context import RunContext
from orchestrator.runs.options import RunOptions
from orchestrator.runs.results import Result, RunReport, UnitResult, finished
from orchestrator.runs.runlock import holder_info
from orchestrator.runs.steps import apply_saved_plan, error_text, plan_unit
from orchestrator.runs.workspace import Workspace


def destroy(
    ws: Workspace,
    opts: RunOptions | None = None,
    *,
    allow_destroy: bool = False,
    auto_approve: bool = False,
    confirm_name: Callable[[str], str] | None = None,
) -> RunReport:
    """Destroy the selected units in reverse dependency order (plan -destroy, then apply that plan)."""
    opts = opts or RunOptions()
    if not allow_destroy:
        raise RefusedError("destroy needs --allow-destroy")
    if not auto_approve:
        typed = confirm_name(ws.name) if confirm_name else ""
        if typed.strip() != ws.name:
            raise RefusedError(f"destroy not confirmed: type the environment name {ws.name!r} to confirm")
    dependents = ws.dependents()
    order = list(reversed(ws.selected))
    runs.ensure_writable(ws.runs_root)
    run_id = runs.new_run_id()
    lock = ws.run_lock()
    info = holder_info(run_id, "destroy", ws.where, ws.runs_root)
    with lock.hold(info, force=opts.force_unlock), RunContext(ws, "destroy", opts, order, run_id=run_id) as ctx:
        ctx.report.run_lock = lock.store.where
        results = ctx.schedule(_destroy_unit, dependents, order=order)
        return ctx.finish(results, resume=ws.command_line("destroy"))


def _destroy_unit(ctx: RunContext, path: str) -> UnitResult:
    result = plan_unit(ctx, path, extra=["-destroy"])
    if result.result not in (Result.CHANGES, Result.NO_CHANGES):
        return finished(result)
    assert result.summary is not None
    if result.summary.has_changes:
        call = apply_saved_plan(ctx, path, ctx.out_dir(path) / "tfplan")
        if not call.ok:
            result.result = Result.INTERRUPTED if call.interrupted else Result.FAILED
            result.error = error_text(ctx, path, call)
            return finished(result)
    result.result = Result.DESTROYED
    return finished(result)
