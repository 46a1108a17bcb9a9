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
    notify = on_event or (lambda *_: None)
    selected = set(order)
    waits = {p: {d for d in waits_for.get(p, set()) if d in selected} for p in order}
    pending = list(order)
    results: dict[str, UnitResult] = {}
    running: dict[Future[UnitResult], str] = {}
    stop_reason: str | None = None

    def guarded(path: str) -> UnitResult:
        return run_unit(work, path)

    def finish(path: str, result: UnitResult) -> None:
        results[path] = result
        notify(path, "finish", result)

    with ThreadPoolExecutor(max_workers=max(1, parallelism), thread_name_prefix="orch-unit") as pool:
        while pending or running:
            if cancel.is_set() and stop_reason is None:
                stop_reason = "interrupted"
            if stop_reason is None:
                for path in list(pending):
                    if len(running) >= max(1, parallelism):
                        break
                    bad = [d for d in waits[path] if d in results and not results[d].ok and skip_below_failures]
                    if bad:
                        pending.remove(path)
                        first = bad[0]
                        finish(
                            path,
                            UnitResult(
                                path=path,
                                result=Result.SKIPPED,
                                reason=f"{first} {results[first].result.value}",
                            ),
                        )
                        continue
                    if all(d in results for d in waits[path]):
                        pending.remove(path)
                        notify(path, "start", None)
                        running[pool.submit(guarded, path)] = path
            if not running:
                if stop_reason is not None or not pending:
                    break
                # Nothing runs and nothing can start: only possible if waits_for had a cycle.
                for path in pending:
                    finish(path, UnitResult(path=path, result=Result.FAILED, error="dependency cycle"))
                pending.clear()
                break
            done, _ = wait(list(running), timeout=poll, return_when=FIRST_COMPLETED)
            for future in done:
                path = running.pop(future)
                result = future.result()
                finish(path, result)
                if result.failed and fail_fast and stop_reason is None:
                    stop_reason = f"--fail-fast: stopped after {path} failed"
        for path in pending:
            finish(path, UnitResult(path=path, result=Result.NOT_RUN, reason=stop_reason or "not started"))
    return {p: results[p] for p in order if p in results}
