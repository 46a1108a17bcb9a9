"""`orch plan`: a saved plan, its JSON and its log per selected unit, dependencies first."""

from __future__ import annotations

import functools
import json
import threading
from concurrent.futures import ThreadPoolExecutor

from orchestrator.runs import store as runs
from orchestrator.runs.context import RunContext
from orchestrator.runs.options import RunOptions
from orchestrator.runs.results import Result, RunReport, UnitResult, finished, now
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
    work = functools.partial(_plan_one, _Deferral(waits_for)) if defer_dependents else _plan_one_now
    # The fingerprint of the files as they were when planning started, computed alongside.
    with ThreadPoolExecutor(max_workers=1) as side, RunContext(ws, "plan", opts, ws.selected, run_id=run_id) as ctx:
        hashes = side.submit(ws.file_hashes)
        # Nobody reviews the plans of an auto-approved apply before they are applied.
        ctx.plan_json_for_changes = not defer_dependents
        # With every output in a state object, a plan (it changes no state) need not wait for the
        # units it depends on; a deferring plan does, as it learns whose outputs change.
        in_any_order = ctx.outputs_from_state() and not defer_dependents
        results = ctx.schedule(work, waits_for, delegate="plan", in_any_order=in_any_order)
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
