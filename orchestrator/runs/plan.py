"""`orch plan`: a saved plan, its JSON and its log per selected unit, dependencies first."""

from __future__ import annotations

import functools
import json
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from orchestrator.runs import store as runs
from orchestrator.runs.context import RunContext
from orchestrator.runs.options import RunOptions
from orchestrator.runs.results import Result, RunReport, UnitResult, finished, now
from orchestrator.runs.scheduler import run_unit
from orchestrator.runs.steps import plan_unit, publish_prepared_outputs
from orchestrator.runs.workspace import Workspace

#: In a plan run's directory: sha256 of every file the plans were made from (Workspace.file_hashes).
PLANNED_FILES = "planned-files.json"


def plan(
    ws: Workspace, opts: RunOptions | None = None, *, run_id: str | None = None, defer_dependents: bool = False
) -> RunReport:
    """Plan every selected unit (dependencies first); keep plan file, plan JSON and log per unit.

    `defer_dependents` (the plan of `apply --auto-approve`): a unit whose dependency's outputs change
    is not planned now but right before its own apply, when those outputs exist; planning it now
    would only be thrown away (apply re-plans it anyway). On a new environment that is every unit
    but the first: the plan phase shrinks to the units whose inputs are already known.
    """
    opts = opts or RunOptions()
    waits_for = ws.waits_for()
    # The fingerprint of the files as they were when planning started, computed alongside.
    with ThreadPoolExecutor(max_workers=1) as side, RunContext(ws, "plan", opts, ws.selected, run_id=run_id) as ctx:
        hashes = side.submit(ws.file_hashes)
        # Nobody reviews the plans of an auto-approved apply before they are applied.
        ctx.plan_json_for_changes = not defer_dependents
        from_state = ctx.outputs_from_state()
        if defer_dependents:
            results = _plan_in_stages(ctx, waits_for)
        else:
            # With every output in a state object, a plan (it changes no state) need not wait for
            # the units it depends on.
            results = ctx.schedule(_plan_one_now, waits_for, delegate="plan", in_any_order=from_state)
        ctx.report.fingerprint = runs.fingerprint_of(hashes.result())
        # Which files a later apply must find unchanged (so a refusal can name the one that changed).
        (ctx.run_dir / PLANNED_FILES).write_text(json.dumps(hashes.result(), indent=0, sort_keys=True))
        return ctx.finish(results, resume=ws.command_line("plan"))


class _Deferral:
    """The units whose outputs this apply changes, or may (deferred ones): their dependents wait."""

    def __init__(self, waits_for: dict[str, set[str]]) -> None:
        self.waits_for = waits_for
        self.moving: set[str] = set()
        self.lock = threading.Lock()

    def changing(self, path: str) -> list[str]:
        with self.lock:
            return sorted(d for d in self.waits_for.get(path, ()) if d in self.moving)

    def moves(self, path: str) -> None:
        with self.lock:
            self.moving.add(path)


def _plan_in_stages(ctx: RunContext, waits_for: dict[str, set[str]]) -> dict[str, UnitResult]:
    """The deferring plan, without Terragrunt preparing units whose plan is deferred anyway.

    First the units that depend on no other selected unit. Every unit below one whose outputs change
    is then deferred right here, with no engine (on a new environment, or when every root changes:
    all the rest). The units left, below roots whose outputs stay, are planned in one more run that
    defers as it goes. The same units are planned up front as in a single run over all of them.
    """
    deferral = _Deferral(waits_for)
    work = functools.partial(_plan_one, deferral)
    selected = set(ctx.units)
    roots = [u for u in ctx.units if not (waits_for.get(u, set()) & selected)]
    results = ctx.schedule(work, waits_for, order=roots, delegate="plan")
    left: list[str] = []
    for path in ctx.units:  # dependency order
        if path in results:
            continue
        settled = _settled_without_engine(ctx, deferral, work, waits_for, results, path)
        if settled is None:
            left.append(path)
        else:
            results[path] = finished(settled)
            ctx.progress.event(path, "finish", settled)
    if left:
        results.update(ctx.schedule(work, waits_for, order=left, delegate="plan"))
    return {p: results[p] for p in ctx.units if p in results}


def _settled_without_engine(
    ctx: RunContext,
    deferral: _Deferral,
    work: Callable[[RunContext, str], UnitResult],
    waits_for: dict[str, set[str]],
    results: dict[str, UnitResult],
    path: str,
) -> UnitResult | None:
    """A unit's result known without planning it (deferred, below a failure, or the run stopped), else None."""
    bad = sorted(d for d in waits_for.get(path, ()) if d in results and not results[d].ok)
    failed = [u for u in results.values() if u.failed]
    if ctx.tg.cancelled.is_set():
        return UnitResult(path=path, result=Result.NOT_RUN, reason="interrupted before it started")
    if bad:
        return UnitResult(path=path, result=Result.SKIPPED, reason=f"{bad[0]} {results[bad[0]].result.value}")
    if ctx.opts.fail_fast and failed:
        return UnitResult(
            path=path, result=Result.NOT_RUN, reason=f"--fail-fast: stopped after {failed[0].path} failed"
        )
    if not deferral.changing(path):
        return None
    ctx.begin(path, progress=True)
    return ctx.end(path, run_unit(functools.partial(work, ctx), path))


def _plan_one_now(ctx: RunContext, path: str) -> UnitResult:
    return finished(plan_unit(ctx, path))


def _plan_one(deferral: _Deferral, ctx: RunContext, path: str) -> UnitResult:
    """Plan the unit, unless a dependency's outputs change first (then its plan waits for its apply)."""
    changing = deferral.changing(path)
    if changing:
        deferral.moves(path)
        # Its dependents are deferred too, but Terragrunt still reads its outputs for them.
        publish_prepared_outputs(ctx, path)
        return UnitResult(
            path=path,
            result=Result.CHANGES,
            deferred=True,
            started_at=now(),
            finished_at=now(),
            reason=f"planned right before its apply: outputs of {', '.join(changing)} change first",
        )
    result = finished(plan_unit(ctx, path))
    summary = result.summary
    if result.used_mocks or (summary is not None and summary.output_changes):
        deferral.moves(path)
    return result
