"""Progress while units run: a live rich table on a TTY, plain prefixed lines otherwise.

Plain mode (Jenkins, pipes) prints one line per event with no control codes:
    [orch] 10-network: started
    [orch] 10-network: changes +2 ~0 -0 ±0 (3.1s)
"""

from __future__ import annotations

import sys
import threading
import time
from typing import TextIO

from rich.console import Console
from rich.live import Live
from rich.table import Table
from rich.text import Text

from orchestrator.runs.results import Result, UnitResult


def _line(path: str, result: UnitResult) -> str:
    text = f"{path}: {result.result.value}"
    if result.summary is not None:
        text += f" {result.summary.counts()}"
    if result.used_mocks:
        text += " (mock dependency outputs)"
    if result.deferred:
        text += " (planned before its apply)"
    if result.reason and result.result in (Result.SKIPPED, Result.NOT_RUN, Result.REFUSED):
        text += f" ({result.reason.splitlines()[0]})"
    if result.error:
        text += f": {result.error.splitlines()[0][:200]}"
    return text + f" ({result.duration:.1f}s)"


class Progress:
    """Receives scheduler events; thread-safe."""

    def __init__(
        self, units: list[str], *, stream: TextIO | None = None, live: bool | None = None, title: str = "orch"
    ) -> None:
        self.stream = stream or sys.stderr
        self.units = units
        self.title = title
        self.live_mode = self.stream.isatty() if live is None else live
        self._lock = threading.Lock()
        self._status: dict[str, str] = {u: "waiting" for u in units}
        self._started: dict[str, float] = {}
        self._elapsed: dict[str, float] = {}
        self._live: Live | None = None

    # -------------------------------------------------------------- lifecycle
    def __enter__(self) -> Progress:
        if self.live_mode:
            console = Console(file=self.stream)
            self._live = Live(get_renderable=self._table, console=console, refresh_per_second=4, transient=False)
            self._live.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._live is not None:
            self._live.__exit__(None, None, None)
            self._live = None

    # ----------------------------------------------------------------- events
    def event(self, path: str, kind: str, result: UnitResult | None) -> None:
        with self._lock:
            if kind == "start":
                self._status[path] = "running"
                self._started[path] = time.monotonic()
                line = f"{path}: started"
            else:
                assert result is not None
                self._status[path] = result.result.value
                self._elapsed[path] = result.duration
                line = _line(path, result)
            if self._live is None:
                self.stream.write(f"[{self.title}] {line}\n")
                self.stream.flush()

    def message(self, text: str) -> None:
        with self._lock:
            if self._live is not None:
                self._live.console.print(Text(text))
            else:
                self.stream.write(f"[{self.title}] {text}\n")
                self.stream.flush()

    def verbose_line(self, path: str, line: str) -> None:
        """An engine output line (--verbose), prefixed by its unit."""
        with self._lock:
            if self._live is not None:
                self._live.console.print(Text(f"{path} | {line}"))
            else:
                self.stream.write(f"{path} | {line}\n")
                self.stream.flush()

    # -------------------------------------------------------------- rendering
    def _table(self) -> Table:
        table = Table(title=self.title, title_justify="left", expand=False)
        table.add_column("unit")
        table.add_column("status")
        table.add_column("elapsed", justify="right")
        now = time.monotonic()
        with self._lock:
            for unit in self.units:
                status = self._status[unit]
                if status == "running":
                    elapsed = now - self._started[unit]
                    style = "cyan"
                else:
                    elapsed = self._elapsed.get(unit, 0.0)
                    style = {"failed": "red", "skipped": "dim", "waiting": "dim", "not-run": "dim"}.get(status, "green")
                table.add_row(unit, Text(status, style=style), f"{elapsed:.1f}s" if elapsed else "")
        return table
