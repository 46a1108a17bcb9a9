"""A DAG scheduler: each unit starts as soon as the units it waits for have finished.

At most `parallelism` units run at once (threads; each runs engine subprocesses). A unit
whose prerequisite did not succeed is skipped (and so are units below it); `fail_fast`
stops scheduling after the first failure; the `cancel` event (SIGINT) stops scheduling and
lets running units finish. Units never started are reported as not-run with the reason.
"""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field

from orchestrator.runs.results import Result, UnitResult, now
from orchestrator.terragrunt import Interrupted

Work = Callable[[str], UnitResult]
Event = Callable[[str, str, UnitResult | None], None]  # (path, "start"|"finish", result)


def run_unit(work: Work, path: str) -> UnitResult:
    """`work(path)` with its timing filled in; an exception fails this unit only."""
    started = now()
    try:
        result = work(path)
    except Interrupted:
        result = UnitResult(path=path, result=Result.NOT_RUN, reason="interrupted before it started")
    except Exception as exc:  # a bug or an I/O error in one unit must not stop the others
        result = UnitResult(
            path=path,
            result=Result.FAILED,
            error=f"{type(exc).__name__}: {exc}",
            reason=traceback.format_exc(limit=3),
        )
    if result.started_at is None:
        result.started_at = started
    if result.finished_at is None:
        result.finished_at = now()
    if not result.duration:
        result.duration = (result.finished_at - result.started_at).total_seconds()
    return result


def run_dag(
    order: list[str],
    waits_for: dict[str, set[str]],
    work: Work,
    *,
    parallelism: int = 4,
    fail_fast: bool = False,
    cancel: threading.Event | None = None,
    on_event: Event | None = None,
    poll: float = 0.2,
    skip_below_failures: bool = True,
) -> dict[str, UnitResult]:
    """Run `work(path)` for every path in `order`, respecting `waits_for` (within `order`).

    With skip_below_failures false (drift, validate), a unit still waits for its
    prerequisites but runs whatever their result.
    """
    cancel = cancel or threading.Event()
    selected = set(order)
    schedule = _Schedule(
        waits={p: {d for d in waits_for.get(p, set()) if d in selected} for p in order},
        work=work,
        notify=on_event or (lambda *_: None),
        skip_below_failures=skip_below_failures,
        pending=list(order),
    )
    limit = max(1, parallelism)
    with ThreadPoolExecutor(max_workers=limit, thread_name_prefix="orch-unit") as pool:
        while schedule.pending or schedule.running:
            if cancel.is_set() and schedule.stop_reason is None:
                schedule.stop_reason = "interrupted"
            if schedule.stop_reason is None:
                schedule.start_ready(pool, limit)
            if not schedule.running:
                if schedule.stop_reason is not None or not schedule.pending:
                    break
                # Nothing runs and nothing can start: only possible if waits_for had a cycle.
                for path in schedule.pending:
                    schedule.finish(path, UnitResult(path=path, result=Result.FAILED, error="dependency cycle"))
                schedule.pending.clear()
                break
            done, _ = wait(list(schedule.running), timeout=poll, return_when=FIRST_COMPLETED)
            schedule.collect(done, fail_fast)
        for path in schedule.pending:
            reason = schedule.stop_reason or "not started"
            schedule.finish(path, UnitResult(path=path, result=Result.NOT_RUN, reason=reason))
    return {p: schedule.results[p] for p in order if p in schedule.results}


@dataclass
class _Schedule:
    """One run_dag call's state: what still waits, what runs, what finished, and why it stopped."""

    waits: dict[str, set[str]]
    work: Work
    notify: Event
    skip_below_failures: bool
    pending: list[str]
    results: dict[str, UnitResult] = field(default_factory=dict)
    running: dict[Future[UnitResult], str] = field(default_factory=dict)
    stop_reason: str | None = None

    def finish(self, path: str, result: UnitResult) -> None:
        self.results[path] = result
        self.notify(path, "finish", result)

    def start_ready(self, pool: ThreadPoolExecutor, limit: int) -> None:
        """Start the pending units whose prerequisites finished (up to `limit` running); skip
        those below a failure."""
        for path in list(self.pending):
            if len(self.running) >= limit:
                break
            results = self.results
            bad = [d for d in self.waits[path] if d in results and not results[d].ok and self.skip_below_failures]
            if bad:
                self.pending.remove(path)
                first = bad[0]
                self.finish(
                    path, UnitResult(path=path, result=Result.SKIPPED, reason=f"{first} {results[first].result.value}")
                )
                continue
            if all(d in results for d in self.waits[path]):
                self.pending.remove(path)
                self.notify(path, "start", None)
                self.running[pool.submit(run_unit, self.work, path)] = path

    def collect(self, done: set[Future[UnitResult]], fail_fast: bool) -> None:
        for future in done:
            path = self.running.pop(future)
            result = future.result()
            self.finish(path, result)
            if result.failed and fail_fast and self.stop_reason is None:
                self.stop_reason = f"--fail-fast: stopped after {path} failed"
