"""After an apply: the refreshed state of what it touched, recorded so that drift later means out-of-band."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

from orchestrator.graph import Graph, closures
from orchestrator.runs.results import Result, UnitResult
from orchestrator.runs.steps import engine_call, error_text
from orchestrator.terragrunt import Interrupted

if TYPE_CHECKING:
    from orchestrator.runs.context import RunContext

#: `apply -refresh-only` of a unit: writes what the cloud now holds into the state, changes no object.
REFRESH_ONLY = ["apply", "-refresh-only", "-auto-approve", "-input=false"]


class StateRecorder:
    """After an apply, records the refreshed state of what it touched, so drift later means out-of-band.

    An apply saves each object as it was when the engine created or updated it; other
    resources then fill in its computed attributes (rules into a security group, policies into
    a role, routes into a route table), and dependents may do so for objects their
    dependencies own. Without this step the next refreshed plan reports all of that as
    "changed outside", and the guarded attributes of orchestrator.planfile.drift would call
    rules the configuration made drift. So every applied unit and everything it depends on gets a
    refresh-only apply (`REFRESH_ONLY`: writes what the cloud holds into the state, changes no cloud
    object) if it holds a resource with guarded attributes, the only ones whose stale values are read
    as drift (PlanSummary.guarded, from the unit's last plan in this run; a unit not planned in this
    run, such as a dependency outside the selection, is refreshed). A unit with none is not
    refreshed: a stale value there is at most a note (orchestrator.planfile.drift).

    A unit is refreshed as soon as no unit of this run that depends on it, directly or not,
    is still to finish, so refreshes overlap with the rest of the apply instead of adding a
    phase at its end. The only out-of-band change a refresh could absorb is one made during
    the apply (the apply itself already saved the refreshed values of every object in its
    plan, which was shown). A failed refresh does not undo the apply: it becomes a warning.
    """

    def __init__(self, ctx: RunContext, graph: Graph, units: list[str]) -> None:
        self.ctx = ctx
        self.in_run = set(units)
        self._dependencies, dependents = closures(graph)
        self._waits_for = {p: (dependents[p] & self.in_run) - {p} for p in graph.paths}
        self._order = graph.paths
        self._lock = threading.Lock()
        self._done: set[str] = set()
        self._wanted: set[str] = set()
        self._submitted: set[str] = set()
        self._errors: dict[str, str] = {}
        #: Per unit planned in this run: the resources with guarded attributes its state holds.
        self._guarded: dict[str, list[str]] = {}
        self._nothing_to_record: set[str] = set()
        self._pool = ThreadPoolExecutor(max_workers=ctx.opts.parallelism, thread_name_prefix="refresh")

    def finished(self, path: str, result: UnitResult) -> UnitResult:
        """Called as each unit of the apply finishes (any result); starts the refreshes now due."""
        with self._lock:
            self._done.add(path)
            if result.summary is not None and result.summary.guarded is not None:
                self._guarded[path] = list(result.summary.guarded)
            if result.result == Result.APPLIED:
                self._wanted |= self._dependencies.get(path, {path})
            due = [
                p
                for p in self._order
                if p in self._wanted and p not in self._submitted and self._waits_for.get(p, set()) <= self._done
            ]
            self._submitted.update(due)
        for unit in due:
            self._pool.submit(self._refresh, unit)
        return result

    def _refresh(self, path: str) -> None:
        with self._lock:
            guarded = self._guarded.get(path)
        if guarded == []:
            with self._lock:
                self._nothing_to_record.add(path)
            return
        if self.ctx.tg.cancelled.is_set():
            error: str | None = "interrupted"
        else:
            try:
                call = engine_call(self.ctx, path, REFRESH_ONLY)
                error = None if call.ok else error_text(self.ctx, path, call)
            except Interrupted:
                error = "interrupted"
        with self._lock:
            if error is not None:
                self._errors[path] = error

    def __enter__(self) -> StateRecorder:
        return self

    def __exit__(self, *exc: object) -> None:
        # Units below a failure never finish through `finished`: what still waits is due now.
        if not self.ctx.tg.cancelled.is_set():
            with self._lock:
                rest = [p for p in self._order if p in self._wanted and p not in self._submitted]
                self._submitted.update(rest)
            for unit in rest:
                self._pool.submit(self._refresh, unit)
        self._pool.shutdown(wait=True)
        report = self.ctx.report
        skipped = set(self._errors) | self._nothing_to_record
        report.refreshed = [p for p in self._order if p in self._submitted and p not in skipped]
        missed = sorted((self._wanted - self._submitted) | set(self._errors))
        if missed:
            why = "; ".join(f"{p}: {self._errors[p]}" for p in missed if p in self._errors)
            report.warnings.append(
                "the refreshed state of "
                + ", ".join(missed)
                + " was not recorded after this apply, so their next drift report may show attributes "
                + "the apply filled in (run `terragrunt apply -refresh-only` there)"
                + (f": {why}" if why else "")
            )
