"""Waits that Ctrl-C can end: for a child process, for a thread.

A SIGINT sent to orch (Jenkins' abort, `kill -INT`, a terminal) is delivered to whichever of its
threads the kernel picks. Python runs the handler in the main thread at its next bytecode, but
a main thread blocked in `waitpid()` or on a lock (`Popen.wait()`, `Thread.join()` without a
timeout) is woken only when the signal landed on it. When a worker thread took it, orch's
handler waited as long as the engine did: a CI run saw an interrupted apply sit out its
unit's 60-second provisioner. These waits return to the interpreter every POLL seconds, so
the handler runs within that time whichever thread the signal reached.
"""

from __future__ import annotations

import subprocess
import threading
import time

#: Longest a pending Ctrl-C waits for the main thread. Popen.wait(timeout) polls in steps of at
#: most 50 ms within it, so a finished process is noticed at once either way.
POLL = 0.2


def wait_process(proc: subprocess.Popen[bytes], timeout: float | None = None) -> int:
    """`proc.wait(timeout)`, interruptible by a signal another thread received.

    Raises subprocess.TimeoutExpired after `timeout` seconds, as Popen.wait does.
    """
    deadline = None if timeout is None else time.monotonic() + timeout
    while True:
        step = POLL if deadline is None else max(0.0, min(POLL, deadline - time.monotonic()))
        try:
            return proc.wait(timeout=step)
        except subprocess.TimeoutExpired:
            if timeout is not None and deadline is not None and time.monotonic() >= deadline:
                raise subprocess.TimeoutExpired(proc.args, timeout) from None


def join_thread(thread: threading.Thread) -> None:
    """`thread.join()`, interruptible by a signal another thread received."""
    while thread.is_alive():
        thread.join(POLL)
