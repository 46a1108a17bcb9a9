"""`orch drift`: a refreshed plan per unit, read as in-sync, drifted, pending changes or failed."""

from __future__ import annotations

from orchestrator.runs.context import RunContext
from orchestrator.runs.options import RunOptions
from orchestrator.runs.results import Result, RunReport, UnitResult, finished
from orchestrator.runs.steps import plan_unit
from orchestrator.runs.workspace import Workspace


def drift(ws: Workspace, opts: RunOptions | None = None) -> RunReport:
    """Plan with refresh; per unit in-sync / drifted / pending-changes / failed from the plan JSON."""
    opts = opts or RunOptions()
    with RunContext(ws, "drift", opts, ws.selected) as ctx:
        # A plan changes no state, so units need not wait for their dependencies, as long as those
        # outputs come from the state objects: `tofu output` in a dependency's working directory
        # could meet that dependency's own run there. Otherwise dependencies first. Either way every
        # unit is checked, even when one below it fails.
        from_state = ctx.outputs_from_state()
        results = ctx.schedule(
            _check_unit, ws.waits_for(), skip_below_failures=False, delegate="plan", in_any_order=from_state
        )
        return ctx.finish(results, resume=ws.command_line("drift"))


def _check_unit(ctx: RunContext, path: str) -> UnitResult:
    result = plan_unit(ctx, path, extra=["-refresh=true"])
    if result.summary is not None and result.result != Result.FAILED:
        if result.summary.drift:
            result.result = Result.DRIFTED
        elif result.summary.has_changes:
            result.result = Result.PENDING
        else:
            result.result = Result.IN_SYNC
    return finished(result)
