"""The processes Terragrunt runs for each unit of a delegated run (from /proc), and --timeout for them.

While Terragrunt prepares a unit (dependency outputs, init, hooks), no engine step of orch's
runs yet, so orch finds the unit's processes by their working directory and stops them itself
when the unit's time is up: SIGINT, grace, SIGTERM, SIGKILL, as terragrunt.py stops an engine
step. Where there is no /proc (not Linux) none of this works: `can_watch_units` says so.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from orchestrator.settings import stop_grace
from orchestrator.terragrunt import TERM_GRACE

#: Seconds between two looks at Terragrunt's processes while --timeout is on.
WATCH_INTERVAL = 1.0


def can_watch_units() -> bool:
    """Whether a delegated run can find the processes Terragrunt runs for a unit (/proc: Linux)."""
    return os.path.isdir(f"/proc/{os.getpid()}/cwd") or os.path.islink(f"/proc/{os.getpid()}/cwd")


def process_tree(root: int) -> list[int]:
    """Every live descendant of `root` (from /proc; zombies left out)."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", encoding="utf-8", errors="replace") as handle:
                text = handle.read()
        except OSError:
            continue
        fields = text[text.rindex(")") + 2 :].split()
        if fields[0] == "Z":
            continue
        children.setdefault(int(fields[1]), []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def unit_processes(root: int, unit_for: Callable[[str], str | None], shims: Sequence[Path]) -> dict[str, list[int]]:
    """The processes under `root` per unit (`unit_for` their working directory), the engine shims
    (any of `shims` in their command line) left out: those wait for orch, which stops their engine
    steps itself."""
    markers = [str(shim).encode() for shim in shims]
    found: dict[str, list[int]] = {}
    for pid in process_tree(root):
        try:
            cwd = os.readlink(f"/proc/{pid}/cwd")
            with open(f"/proc/{pid}/cmdline", "rb") as handle:
                cmdline = handle.read()
        except OSError:
            continue
        if any(marker in cmdline for marker in markers):
            continue
        unit = unit_for(cwd)
        if unit is not None:
            found.setdefault(unit, []).append(pid)
    return found


class PreparationTimeout:
    """--timeout for the units Terragrunt is still preparing, before their engine step reaches orch.

    `watch` runs until `done` is set: it tells `begin` about every unit it sees a process for,
    and stops the processes of a unit whose time (from `begun`) is up unless orch already
    serves its engine step (`served`). `timed_out` says which units it stopped, with the
    signal that stopped them; `note(unit, text)` writes to the unit's log.
    """

    def __init__(
        self,
        *,
        timeout: float,
        processes: Callable[[int], dict[str, list[int]]],
        begun: dict[str, float],
        served: set[str],
        begin: Callable[[str], None],
        note: Callable[[str, str], None],
        done: threading.Event,
    ) -> None:
        self.timeout = timeout
        self.processes = processes
        self.begun = begun
        self.served = served
        self.begin = begin
        self.note = note
        self.done = done
        #: unit -> the signal that stopped it
        self.timed_out: dict[str, str] = {}

    def watch(self, root: int) -> None:
        stopping: set[str] = set()
        while not self.done.wait(WATCH_INTERVAL):
            try:
                owned = self.processes(root)
            except OSError:
                continue
            for unit in owned:
                self.begin(unit)
            now = time.monotonic()
            for unit, began in list(self.begun.items()):
                if unit in self.served or unit in stopping or unit not in owned:
                    continue
                if now - began >= self.timeout:
                    stopping.add(unit)
                    threading.Thread(target=self._stop, args=(root, unit), daemon=True, name="orch-timeout").start()

    def _stop(self, root: int, unit: str) -> None:
        for sig, wait in ((signal.SIGINT, stop_grace()), (signal.SIGTERM, TERM_GRACE), (signal.SIGKILL, 0.0)):
            pids = [] if unit in self.served else self.processes(root).get(unit, [])
            if not pids:
                return
            name = signal.Signals(sig).name
            self.timed_out[unit] = name
            self.note(
                unit,
                f"# orch: timed out after {self.timeout:g}s (--timeout) while Terragrunt prepared the unit: "
                f"stopping (sending {name} to {' '.join(map(str, pids))})\n",
            )
            for pid in pids:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.kill(pid, sig)
            deadline = time.monotonic() + wait
            while time.monotonic() < deadline and not self.done.is_set():
                alive = set(process_tree(root))
                if not any(p in alive for p in pids):
                    return
                time.sleep(0.2)
