"""The DAG scheduler with fake work: order, overlap, skips, --fail-fast, cancellation."""

from __future__ import annotations

import threading
import time

from orchestrator.runs.results import Result, UnitResult, now
from orchestrator.runs.scheduler import run_dag

ORDER = ["a", "b", "c", "d", "e"]
WAITS = {"a": set(), "b": set(), "c": {"a"}, "d": {"c"}, "e": {"b"}}


def worker(fail: set[str] = frozenset(), delay: float = 0.05, log: list | None = None):
    def work(path: str) -> UnitResult:
        started = now()
        if log is not None:
            log.append(("start", path, time.monotonic()))
        time.sleep(delay)
        if log is not None:
            log.append(("end", path, time.monotonic()))
        result = Result.FAILED if path in fail else Result.APPLIED
        return UnitResult(path=path, result=result, started_at=started, finished_at=now())

    return work


def test_order_respected_and_independent_units_overlap() -> None:
    log: list = []
    results = run_dag(ORDER, WAITS, worker(log=log), parallelism=4, poll=0.01)
    assert all(r.result == Result.APPLIED for r in results.values())
    t = {(kind, p): ts for kind, p, ts in log}
    assert t[("end", "a")] <= t[("start", "c")] and t[("end", "c")] <= t[("start", "d")]
    assert t[("end", "b")] <= t[("start", "e")]
    # a and b are independent: they overlap.
    assert t[("start", "b")] < t[("end", "a")] and t[("start", "a")] < t[("end", "b")]


def test_failure_skips_only_its_dependents() -> None:
    results = run_dag(ORDER, WAITS, worker(fail={"a"}), parallelism=2, poll=0.01)
    assert results["a"].result == Result.FAILED
    assert results["c"].result == Result.SKIPPED and results["c"].reason == "a failed"
    assert results["d"].result == Result.SKIPPED and results["d"].reason == "c skipped"
    assert results["b"].result == Result.APPLIED and results["e"].result == Result.APPLIED


def test_no_skips_when_asked_but_order_kept() -> None:
    log: list = []
    results = run_dag(ORDER, WAITS, worker(fail={"a"}, log=log), poll=0.01, skip_below_failures=False)
    assert results["a"].result == Result.FAILED and results["c"].result == Result.APPLIED
    t = {(kind, p): ts for kind, p, ts in log}
    assert t[("end", "a")] <= t[("start", "c")]


def test_parallelism_bound() -> None:
    running, peak, lock = 0, 0, threading.Lock()

    def work(path: str) -> UnitResult:
        nonlocal running, peak
        with lock:
            running += 1
            peak = max(peak, running)
        time.sleep(0.03)
        with lock:
            running -= 1
        return UnitResult(path=path, result=Result.APPLIED)

    run_dag([f"u{i}" for i in range(8)], {}, work, parallelism=3, poll=0.01)
    assert peak == 3


def test_fail_fast_stops_scheduling() -> None:
    results = run_dag(["a", "b", "c"], {}, worker(fail={"a"}, delay=0.02), parallelism=1, fail_fast=True, poll=0.01)
    assert results["a"].result == Result.FAILED
    assert {results["b"].result, results["c"].result} == {Result.NOT_RUN}
    assert "fail-fast" in results["b"].reason


def test_cancel_lets_running_units_finish_and_reports_the_rest() -> None:
    cancel = threading.Event()

    def work(path: str) -> UnitResult:
        cancel.set()  # "Ctrl-C" while the first unit runs
        time.sleep(0.05)
        return UnitResult(path=path, result=Result.APPLIED)

    results = run_dag(["a", "b", "c"], {"b": {"a"}}, work, parallelism=1, cancel=cancel, poll=0.01)
    assert results["a"].result == Result.APPLIED
    assert results["b"].result == Result.NOT_RUN and results["b"].reason == "interrupted"


def test_exception_in_work_is_a_failed_unit() -> None:
    def work(path: str) -> UnitResult:
        raise RuntimeError("boom")

    results = run_dag(["a", "b"], {"b": {"a"}}, work, poll=0.01)
    assert results["a"].result == Result.FAILED and "boom" in results["a"].error
    assert results["b"].result == Result.SKIPPED
