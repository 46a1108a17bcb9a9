"""Terragrunt's output in a delegated run, routed to the log of the unit it is about.

Terragrunt writes JSON records (`--log-format json`) naming the unit's `working-dir`; those go
to that unit's log. Hooks' output comes as raw lines that name no unit: it goes to the unit
whose `Executing hook` record came last, to each candidate's log (saying so) when several are
running hooks, and to the run's log when none is (Terragrunt's closing summary).
"""

from __future__ import annotations

import fcntl
import json
import os
import struct
import termios
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

#: Seconds after a unit's `Executing hook` record during which unattributed output is taken as its hook's.
HOOK_RECENT = 1.0


def pending_bytes(fd: int) -> int:
    """How much the pipe `fd` holds that nobody has read yet."""
    try:
        pending: int = struct.unpack("i", fcntl.ioctl(fd, termios.FIONREAD, b"\0\0\0\0"))[0]
        return pending
    except OSError:
        return 0


class LogRouter:
    """Writes Terragrunt's records and raw lines to `log_for(unit)` (None: the run's own log), redacted.

    `unit_of_record(working_dir)` names the unit a record is about, and `on_unit(unit)` is told
    of every such record (the unit has begun); `busy_units()` names the units Terragrunt runs
    a process for, which narrows down whose hook printed a raw line; `verbose(unit, line)`,
    when given, echoes every line.
    """

    def __init__(
        self,
        *,
        log_for: Callable[[str | None], Path],
        redact: Callable[[str], str],
        unit_of_record: Callable[[str | None], str | None],
        on_unit: Callable[[str], None],
        busy_units: Callable[[], set[str]],
        verbose: Callable[[str, str], None] | None = None,
    ) -> None:
        self.log_for = log_for
        self.redact = redact
        self.unit_of_record = unit_of_record
        self.on_unit = on_unit
        self.busy_units = busy_units
        self.verbose = verbose
        self.handles: dict[Path, TextIO] = {}
        self._log_lock = threading.Lock()
        self._demux_lock = threading.Lock()
        self._fds: list[int] = []
        #: Units whose last record was `Executing hook` (when): whose raw output may come now.
        self.hooks: dict[str, float] = {}

    def write(self, unit: str | None, text: str) -> None:
        path = self.log_for(unit)
        with self._log_lock:
            handle = self.handles.get(path)
            if handle is None:
                path.parent.mkdir(parents=True, exist_ok=True)
                handle = self.handles[path] = path.open("a", encoding="utf-8", buffering=1)
            handle.write(text)

    def close(self) -> None:
        with self._log_lock:
            for handle in self.handles.values():
                handle.close()
            self.handles.clear()

    def hook_over(self, unit: str) -> None:
        """The unit's engine step arrived: its before-hooks are over."""
        self.hooks.pop(unit, None)

    def record(self, raw: str) -> None:
        """One line of Terragrunt's output: a JSON record, else a raw line."""
        line = raw.rstrip("\n")
        if not line.strip():
            return
        try:
            record = json.loads(line)
            if not isinstance(record, dict):
                raise ValueError
        except ValueError:
            self._raw(line)
            return
        unit = self.unit_of_record(record.get("working-dir"))
        if unit is not None:
            self.on_unit(unit)
            if str(record.get("msg", "")).startswith("Executing hook"):
                self.hooks[unit] = time.monotonic()
            else:
                self.hooks.pop(unit, None)
        level = str(record.get("level", "")).upper()
        message = self.redact(str(record.get("msg", "")))
        prefix = "" if level in ("STDOUT", "STDERR") else f"{level} "
        lines = [ln for ln in message.splitlines()] or [""]
        self.write(unit, "".join(f"{prefix}{ln}\n" for ln in lines))
        if self.verbose is not None:
            for ln in lines:
                self.verbose(unit or "terragrunt", ln)

    def _raw(self, line: str) -> None:
        """A line Terragrunt did not wrap in a record: a hook's output (Terragrunt does not say whose),
        or its closing summary. It goes to the log of the unit running a hook, or, when several
        could have printed it, to each of their logs saying so; otherwise to the run's log."""
        text = self.redact(line)
        units = self._hook_units()
        if not units:
            self.write(None, f"RAW {text}\n")
        elif len(units) == 1:
            self.write(units[0], f"{text}\n")
        else:
            for unit in units:
                self.write(unit, f"(hook output of one of {', '.join(units)}) {text}\n")
        if self.verbose is not None:
            self.verbose(",".join(units) or "terragrunt", text)

    def _hook_units(self) -> list[str]:
        """Units that may be running a hook now: an `Executing hook` record of theirs came last and
        is recent, or Terragrunt still runs a process for them (/proc); with several recent ones,
        those with a process running, when that narrows it down."""
        if not self.hooks:
            return []
        now = time.monotonic()
        recent = sorted(u for u, at in self.hooks.items() if now - at < HOOK_RECENT)
        if len(recent) == 1:
            return recent
        alive = self.busy_units()
        if recent:
            return [u for u in recent if u in alive] or recent
        return sorted(u for u in self.hooks if u in alive)

    def read(self, stdout: int, stderr: int) -> list[threading.Thread]:
        """Start reading Terragrunt's stdout (raw hook output) and stderr (records) into the logs."""
        self._fds = [stderr, stdout]
        readers = [
            threading.Thread(target=self._pump, args=(stdout, stderr), daemon=True),
            threading.Thread(target=self._pump, args=(stderr,), daemon=True),
        ]
        for reader in readers:
            reader.start()
        return readers

    def done_reading(self) -> None:
        self._fds = []

    def _pump(self, fd: int, after: int | None = None) -> None:
        """Read Terragrunt's stdout or stderr into the logs. With `after` (stdout: raw hook output),
        each chunk waits for what the other stream (records) already holds: the `Executing hook`
        record comes before the hook's output."""
        buffered = b""
        while True:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                chunk = b""
            if not chunk:
                break
            if after is not None:
                deadline = time.monotonic() + 0.05
                while pending_bytes(after) > 0 and time.monotonic() < deadline:
                    time.sleep(0.002)
            with self._demux_lock:
                buffered += chunk
                *lines, buffered = buffered.split(b"\n")
                for line in lines:
                    self.record(line.decode("utf-8", "replace"))
        if buffered:
            with self._demux_lock:
                self.record(buffered.decode("utf-8", "replace"))
        os.close(fd)

    def sync(self, timeout: float = 2.0) -> None:
        """Wait until Terragrunt's records written so far are in the units' logs.

        Called when a unit's engine step arrives: Terragrunt logged everything about that
        unit (mock outputs used, for one) before it started the engine.
        """
        fds = list(self._fds)
        if not fds:
            return
        deadline = time.monotonic() + timeout
        while any(pending_bytes(fd) > 0 for fd in fds) and time.monotonic() < deadline:
            time.sleep(0.002)
        time.sleep(0.005)  # the reader may hold a chunk it has not taken the lock for yet
        with self._demux_lock:
            pass
