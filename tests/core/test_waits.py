"""orchestrator.waits: a signal taken by a worker thread still reaches the waiting main thread."""

from __future__ import annotations

import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from types import FrameType

import pytest

from orchestrator.waits import join_thread, wait_process


class _Signalled(Exception):
    pass


@pytest.fixture
def raising_sigusr1() -> Iterator[None]:
    def handler(signum: int, frame: FrameType | None) -> None:
        raise _Signalled

    old = signal.signal(signal.SIGUSR1, handler)
    yield
    signal.signal(signal.SIGUSR1, old)


def _signal_from_a_worker_thread(after: float) -> None:
    """The worker signals itself: the kernel delivers to it, not to the main thread."""

    def worker() -> None:
        time.sleep(after)
        signal.pthread_kill(threading.get_ident(), signal.SIGUSR1)

    threading.Thread(target=worker, daemon=True).start()


@pytest.mark.usefixtures("raising_sigusr1")
def test_the_handler_runs_while_the_main_thread_waits_for_a_process() -> None:
    proc = subprocess.Popen(["sleep", "30"])
    try:
        started = time.monotonic()
        _signal_from_a_worker_thread(0.3)
        with pytest.raises(_Signalled):
            wait_process(proc)
        assert time.monotonic() - started < 5
    finally:
        proc.kill()
        proc.wait()


@pytest.mark.usefixtures("raising_sigusr1")
def test_the_handler_runs_while_the_main_thread_joins_a_thread() -> None:
    release = threading.Event()
    busy = threading.Thread(target=release.wait, args=(30,), daemon=True)
    busy.start()
    started = time.monotonic()
    _signal_from_a_worker_thread(0.3)
    with pytest.raises(_Signalled):
        join_thread(busy)
    assert time.monotonic() - started < 5
    release.set()


def test_wait_process_returns_the_exit_code_and_times_out_like_popen_wait() -> None:
    assert wait_process(subprocess.Popen(["sh", "-c", "exit 3"])) == 3
    proc = subprocess.Popen(["sleep", "30"])
    try:
        started = time.monotonic()
        with pytest.raises(subprocess.TimeoutExpired):
            wait_process(proc, 0.5)
        assert 0.5 <= time.monotonic() - started < 5
    finally:
        proc.kill()
        proc.wait()
