"""`orch apply`: exactly the saved plans of a plan run (planning first when there is none), under the run lock.

Units planned with mock dependency outputs, deferred, or whose dependencies' outputs changed
during this apply are planned again right before they apply; a re-plan that deletes or
replaces without --allow-destroy, or still needs mock outputs, is refused for that unit.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from orchestrator.errors import OrchError
from orchestrator.runs import store as runs
from orchestrator.runs.context import RunContext
from orchestrator.runs.options import RunOptions
from orchestrator.runs.plan import plan
from orchestrator.runs.refresh import StateRecorder
from orchestrator.runs.results import Result, RunReport, UnitResult, finished, now
from orchestrator.runs.runlock import holder_info
from orchestrator.runs.saved_plans import check_plan_files, plan_run_for_apply
from orchestrator.runs.scheduler import run_unit
from orchestrator.runs.steps import apply_saved_plan, error_text, plan_and_apply_unit, plan_unit
from orchestrator.runs.workspace import Workspace


class RefusedError(OrchError):
    """Apply/destroy refused: destroy protection, or the confirmation was not given."""


def destructive_units(report: RunReport) -> list[UnitResult]:
    return [u for u in report.units if u.summary is not None and u.summary.destructive]


def destroy_refusal(units: list[UnitResult]) -> str:
    lines = []
    for unit in units:
        assert unit.summary is not None
        lines += [f"{unit.path}: delete {a}" for a in unit.summary.deletes]
        lines += [f"{unit.path}: replace {a}" for a in unit.summary.replaces]
    return "plans delete or replace resources:\n  " + "\n  ".join(lines)


def apply(
    ws: Workspace,
    opts: RunOptions | None = None,
    *,
    run_id: str | None = None,
    auto_approve: bool = False,
    allow_destroy: bool = False,
    confirm: Callable[[RunReport], bool] | None = None,
    plan_report: RunReport | None = None,
) -> RunReport:
    """Apply exactly the saved plans of a plan run (planning first when there is none).

    Refuses plans that delete or replace unless allow_destroy; asks `confirm(plan_report)`
    unless auto_approve. Units planned with mock dependency outputs are re-planned after
    their dependencies apply, so mock values never reach an apply.
    """
    opts = opts or RunOptions()
    runs.ensure_writable(ws.runs_root)
    # Ids in the order the runs happen (run ids sort by time): the plan made first, if one is needed.
    plan_run_id, apply_run_id = runs.new_run_id(), runs.new_run_id()
    lock = ws.run_lock()
    info = holder_info(apply_run_id, "apply", ws.where, ws.runs_root, related_runs=[plan_run_id])
    with lock.hold(info, force=opts.force_unlock):
        source = plan_report or plan_run_for_apply(ws, run_id)
        if source is None:
            # Nobody reviews this plan before the apply when it is auto-approved: plan each unit once,
            # with real dependency outputs (deferred units are planned during the apply and shown then).
            source = plan(ws, opts, run_id=plan_run_id, defer_dependents=auto_approve)
            if source.exit_code not in (0, 2):  # failed or interrupted: its report says which
                return source
        _refuse_unless_ready(source, auto_approve=auto_approve, allow_destroy=allow_destroy, confirm=confirm)
        source_dir = ws.runs_root / source.run_id
        check_plan_files(source, source_dir)
        return _apply_source(ws, opts, source, source_dir, apply_run_id, lock.store.where, allow_destroy)


def _refuse_unless_ready(
    source: RunReport, *, auto_approve: bool, allow_destroy: bool, confirm: Callable[[RunReport], bool] | None
) -> None:
    """Nothing applies from an unfinished plan run, a destructive one without --allow-destroy, or an unconfirmed one."""
    unfinished = [u for u in source.units if u.failed or u.result in (Result.SKIPPED, Result.NOT_RUN)]
    if source.interrupted or unfinished:
        raise OrchError(f"plan run {source.run_id} did not finish for every unit; nothing applied")
    destructive = destructive_units(source)
    if destructive and not allow_destroy:
        raise RefusedError(destroy_refusal(destructive), hint="review the plan; add --allow-destroy to apply it")
    pending = [u for u in source.units if u.result == Result.CHANGES or u.used_mocks or u.deferred]
    if pending and not auto_approve and (confirm is None or not confirm(source)):
        raise RefusedError("apply not confirmed; nothing applied", hint="use --auto-approve in CI")


def _apply_source(
    ws: Workspace,
    opts: RunOptions,
    source: RunReport,
    source_dir: Path,
    apply_run_id: str,
    lock_where: str,
    allow_destroy: bool,
) -> RunReport:
    units = [u.path for u in source.units]
    job = _ApplyJob({u.path: u for u in source.units}, source_dir, ws.waits_for(), allow_destroy)
    with RunContext(ws, "apply", opts, units, run_id=apply_run_id) as ctx:
        ctx.report.from_run = source.run_id
        ctx.report.run_lock = lock_where
        ctx.journal.run("apply", from_run=source.run_id)
        ctx.report.fingerprint = source.fingerprint
        with StateRecorder(ctx, ws.graph, units) as recorder:
            # A unit applied here writes its state object before its dependents start and read it.
            ctx.outputs_from_state()
            if ctx.opts.delegating():
                results = _apply_delegated(ctx, job, recorder, engine_units(source, job.waits_for), units)
            else:
                results = ctx.schedule(functools.partial(_recorded, recorder, job), job.waits_for, order=units)
        return ctx.finish(results, resume=ws.command_line("apply"))


def _recorded(recorder: StateRecorder, job: _ApplyJob, ctx: RunContext, path: str) -> UnitResult:
    return recorder.finished(path, job.apply_unit(ctx, path))


def _apply_delegated(
    ctx: RunContext, job: _ApplyJob, recorder: StateRecorder, engine: set[str], units: list[str]
) -> dict[str, UnitResult]:
    """Units with nothing to apply and no dependency whose outputs may change are settled here,
    without any engine process; the rest go to Terragrunt."""
    results: dict[str, UnitResult] = {}
    for path in units:
        if path not in engine:
            ctx.begin(path, progress=True)
            result = run_unit(functools.partial(job.apply_unit, ctx), path)
            results[path] = recorder.finished(path, ctx.end(path, result))
            ctx.progress.event(path, "finish", results[path])
    served = ctx.schedule(
        functools.partial(_recorded, recorder, job),
        job.waits_for,
        order=[p for p in units if p in engine],
        delegate="apply",
    )
    results.update(served)
    return {p: results[p] for p in units if p in results}


def engine_units(source: RunReport, waits_for: dict[str, set[str]]) -> set[str]:
    """Units of an apply that may need the engine: planned changes, mock outputs, or a dependency
    whose outputs may change during this apply (then the unit is re-planned)."""
    planned = {u.path: u for u in source.units}
    needed: set[str] = set()
    may_change: set[str] = set()
    for unit in source.units:  # dependency order
        summary = unit.summary
        deps_may_change = any(d in may_change for d in waits_for.get(unit.path, ()))
        unknown = unit.used_mocks or unit.deferred or deps_may_change
        if unknown or (summary is not None and summary.has_changes):
            needed.add(unit.path)
            if unknown or (summary is not None and summary.output_changes):
                may_change.add(unit.path)
    return {p for p in needed if p in planned}


@dataclass
class _ApplyJob:
    """What every unit of one apply shares: the saved plans, and whose outputs the apply changed so far."""

    planned: dict[str, UnitResult]
    source_dir: Path
    waits_for: dict[str, set[str]]
    allow_destroy: bool
    changed_outputs: set[str] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def apply_unit(self, ctx: RunContext, path: str) -> UnitResult:
        """Apply the unit's saved plan, or a fresh one when its dependencies' outputs were not known then."""
        planned_unit = self.planned[path]
        started = now()
        deps_changed = [d for d in self.waits_for.get(path, ()) if d in self.changed_outputs]
        if planned_unit.used_mocks or planned_unit.deferred or deps_changed:
            # Mock (or outdated) dependency outputs, or not planned yet: plan now that the
            # dependencies applied; where orch runs OpenTofu itself, in the process that applies.
            if ctx.ws.engine_streams and path in ctx.requests:
                done = plan_and_apply_unit(ctx, path, functools.partial(_usable, allow_destroy=self.allow_destroy))
                if done is not None:
                    done.started_at, done.replanned = started, True
                    done.reason = _replan_reason(planned_unit, deps_changed)
                    if done.result == Result.APPLIED and done.summary is not None and done.summary.output_changes:
                        with self.lock:
                            self.changed_outputs.add(path)
                    return finished(done)
            current = _replan(ctx, path, planned_unit, deps_changed)
            current.started_at = started
            if not _usable(current, allow_destroy=self.allow_destroy):
                return finished(current)
            planfile = ctx.out_dir(path) / "replan.tfplan"
        else:
            current = planned_unit.model_copy(deep=True)
            current.started_at, current.reason, current.error = started, None, None
            current.log = ctx.rel(ctx.log(path))
            planfile = self.source_dir / (planned_unit.plan_file or "")
        assert current.summary is not None
        if not current.summary.has_changes:
            current.result = Result.NO_CHANGES
            return finished(current)
        call = apply_saved_plan(ctx, path, planfile)
        if not call.ok:
            current.result = Result.INTERRUPTED if call.interrupted else Result.FAILED
            current.error = error_text(ctx, path, call)
            return finished(current)
        current.result = Result.APPLIED
        if current.summary.output_changes:
            with self.lock:
                self.changed_outputs.add(path)
        return finished(current)


def _replan(ctx: RunContext, path: str, planned_unit: UnitResult, deps_changed: list[str]) -> UnitResult:
    fresh = plan_unit(ctx, path, name="replan.tfplan")
    fresh.replanned = True
    fresh.reason = _replan_reason(planned_unit, deps_changed)
    return fresh


def _replan_reason(planned_unit: UnitResult, deps_changed: list[str]) -> str:
    if planned_unit.deferred:
        return "planned right before its apply, once its dependencies had applied"
    if planned_unit.used_mocks:
        return "re-planned: the saved plan used mock dependency outputs"
    return f"re-planned: outputs of {', '.join(sorted(deps_changed))} changed"


def _usable(fresh: UnitResult, *, allow_destroy: bool) -> bool:
    """Whether a fresh plan may be applied; if not, `fresh` says why (failed, or refused)."""
    if fresh.result not in (Result.CHANGES, Result.NO_CHANGES):
        return False
    if fresh.used_mocks:
        fresh.result = Result.REFUSED
        fresh.error = "dependencies still have no outputs; mock outputs are never applied"
        return False
    assert fresh.summary is not None
    if fresh.summary.destructive and not allow_destroy:
        fresh.result = Result.REFUSED
        fresh.error = destroy_refusal([fresh])
        return False
    return True
