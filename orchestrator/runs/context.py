"""One orch run: its directory and journal, Terragrunt runner, progress, Ctrl-C, schedule and report.

    with RunContext(ws, "drift", opts, ws.selected) as ctx:
        results = ctx.schedule(check_unit, ws.waits_for(), delegate="plan")  # check_unit(ctx, path)
        report = ctx.finish(results, resume=ws.command_line("drift"))

Each run writes `.orch/runs/<run-id>/{report.json,junit.xml,summary.md}` and per unit
`<unit>/{terragrunt.log,tfplan,plan.json}`. Results come from each unit's plan JSON, never
from an engine's aggregated exit code.
"""

from __future__ import annotations

import functools
import os
import signal
import threading
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from types import FrameType
from typing import Any, TextIO, cast

from orchestrator import provider_locks
from orchestrator.runs import store as runs
from orchestrator.runs.delegate import Delegation
from orchestrator.runs.delegated_run import PREPARING, run_delegated
from orchestrator.runs.engine_server import Request
from orchestrator.runs.options import RunOptions
from orchestrator.runs.progress import Progress
from orchestrator.runs.report import write_all
from orchestrator.runs.results import Result, RunReport, UnitResult, now
from orchestrator.runs.scheduler import run_dag, run_unit
from orchestrator.runs.workspace import Workspace
from orchestrator.terragrunt import Terragrunt

#: What a run does for one unit, given the run it is part of.
UnitWork = Callable[["RunContext", str], UnitResult]


class RunContext:
    """State of one orch run: its directory, Terragrunt runner, progress and interruption."""

    def __init__(
        self, ws: Workspace, command: str, opts: RunOptions, units: list[str], run_id: str | None = None
    ) -> None:
        self.ws = ws
        self.opts = opts
        self.command = command
        self.units = units
        self.run_id = run_id or runs.new_run_id()
        self.run_dir = ws.runs_root / self.run_id
        runs.ensure_writable(ws.runs_root)
        self.run_dir.mkdir(parents=True, exist_ok=True)
        self.journal = runs.Journal(self.run_dir)
        self.journal.run(command)
        self._deadlines: dict[str, float] = {}
        #: When each unit started (`begin`).
        self.started: dict[str, datetime] = {}
        self._begin_lock = threading.Lock()
        stream = cast("TextIO | None", opts.progress_stream)  # a TextIO; pydantic cannot check that type
        self._devnull = None
        if opts.quiet:
            stream = self._devnull = open(os.devnull, "w")  # noqa: SIM115 - closed in __exit__
        self.progress = Progress(units, stream=stream, live=opts.live, title=f"orch {command}")
        self.tg = Terragrunt(
            ws.terragrunt,
            ws.env,
            secrets=ws.session.secrets,
            verbose=self.progress.verbose_line if opts.verbose else None,
        )
        self.report = RunReport(
            run_id=self.run_id,
            command=command,
            stack_dir=str(ws.stack_dir),
            env=ws.env_name,
            selection=ws.selection.model_dump(),
            started_at=now(),
            engine=Path(self.tg.engine).name,
            detailed_exitcode=opts.detailed_exitcode,
        )
        self._old_handler: Callable[[int, FrameType | None], Any] | int | None = None
        #: Whether a plan with changes also gets its plan JSON (`show -json`, plan.json): plans a
        #: person reviews do; an auto-approved apply's plans and drift's are summarised from the
        #: engine's stream (plans with drift always get their JSON: drift is read from it).
        self.plan_json_for_changes = command in ("plan", "destroy")
        # Delegated runs: the engine call Terragrunt made for each unit (its directory, its env).
        self.requests: dict[str, Request] = {}
        self.delegation: Delegation | None = None

    def outputs_from_state(self) -> bool:
        """Have Terragrunt read dependency outputs from the state objects when every unit of the run
        and every unit it depends on has one (Workspace.state_objects_exist); whether it will."""
        if not self.ws.state_objects_exist(self.units):
            return False
        self.tg.env = {**self.tg.env, "TG_DEPENDENCY_FETCH_OUTPUT_FROM_STATE": "true"}
        return True

    # paths
    def unit_dir(self, path: str) -> Path:
        return self.ws.stack_dir / path

    def out_dir(self, path: str) -> Path:
        return self.run_dir / runs.unit_slug(path)

    def log(self, path: str) -> Path:
        return self.out_dir(path) / "terragrunt.log"

    def rel(self, p: Path) -> str:
        return p.relative_to(self.run_dir).as_posix()

    # interruption
    def _on_sigint(self, signum: int, frame: FrameType | None) -> None:
        # The handler runs in the main thread between two of its bytecodes, perhaps while that thread
        # holds the runner's or the progress display's lock: the work, which takes both, goes to a
        # thread of its own rather than deadlocking on them.
        threading.Thread(target=self._interrupt, name="orch-interrupt", daemon=True).start()

    def _interrupt(self) -> None:
        if self.tg.interrupt() == 1:
            self.progress.message(
                f"interrupted: no new units start; waiting for {self.tg.running} running engine "
                "process(es) to stop gracefully (Ctrl-C again to force)"
            )
        else:
            self.progress.message("forcing running engine processes to stop")

    def __enter__(self) -> RunContext:
        if threading.current_thread() is threading.main_thread():
            self._old_handler = signal.signal(signal.SIGINT, self._on_sigint)
        self.progress.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.__exit__(*exc)
        if self._old_handler is not None:
            # After an interrupt, a late Ctrl-C (the engines stopped before the user pressed it
            # again) must not kill orch while it writes the report: it is already stopping.
            late = signal.SIG_IGN if self.tg.cancelled.is_set() else self._old_handler
            signal.signal(signal.SIGINT, late)
        if self._devnull is not None:
            self._devnull.close()

    def schedule(
        self,
        work: UnitWork,
        waits_for: dict[str, set[str]],
        order: list[str] | None = None,
        skip_below_failures: bool = True,
        delegate: str | None = None,
        in_any_order: bool = False,
    ) -> dict[str, UnitResult]:
        """Run `work` per unit in dependency order: per unit, or inside one `terragrunt run --all`.

        `delegate` names the Terragrunt command whose engine steps `work` serves (plan, apply);
        without it, or with delegation off, each unit gets its own Terragrunt processes. Either
        way each unit's start and finish go to the journal, and its --timeout clock starts
        when it starts (`begin`). `in_any_order`: units start without waiting for their
        dependencies (plans only, with dependency outputs read from the state objects).
        """
        units = self.units if order is None else order
        if in_any_order:
            waits_for = {}
        if delegate is not None and self.opts.delegating():
            extra = ["--queue-ignore-dag-order"] if in_any_order else []
            return run_delegated(self, work, waits_for, units, delegate, skip_below_failures, extra)
        self.forget_stale_locks(units)

        def journaled(path: str) -> UnitResult:
            self.begin(path)
            return self.end(path, run_unit(functools.partial(work, self), path))

        return run_dag(
            units,
            waits_for,
            journaled,
            parallelism=self.opts.parallelism,
            fail_fast=self.opts.fail_fast,
            cancel=self.tg.cancelled,
            on_event=self.progress.event,
            skip_below_failures=skip_below_failures,
        )

    def begin(self, path: str, *, progress: bool = False) -> None:
        """A unit starts (once): journal entry, its --timeout clock, and (delegated runs) the progress line."""
        with self._begin_lock:
            if path in self.started:
                return
            self.started[path] = now()
            if self.opts.unit_timeout is not None:
                self._deadlines[path] = time.monotonic() + self.opts.unit_timeout
        self.journal.started(path)
        if progress:
            self.progress.event(path, "start", None)

    def end(self, path: str, result: UnitResult) -> UnitResult:
        """A unit finished: journal entry (the report holds the rest)."""
        self.journal.finished(path, result.result.value)
        return result

    def time_left(self, path: str) -> float | None:
        """Seconds this unit may still run (--timeout), at least a moment; None without a limit."""
        deadline = self._deadlines.get(path)
        return None if deadline is None else max(0.5, deadline - time.monotonic())

    def refresh_credentials(self) -> None:
        """Long runs: renew assumed-role credentials before an engine call (no-op otherwise)."""
        session = self.ws.session
        session.refresh_if_needed()
        if any(self.tg.env.get(k) != v for k, v in session.env.items()):
            self.tg.env = {**self.tg.env, **session.env}
            self.tg.secrets = sorted({*self.tg.secrets, *session.secrets})

    def forget_stale_locks(self, units: list[str]) -> None:
        """Forget local lock files recorded for provider versions the mirror does not have (provider_locks.py)."""
        notes = provider_locks.forget_stale_locks(
            {path: self.unit_dir(path) for path in units}, self.tg.env.get("TG_DOWNLOAD_DIR"), env=self.tg.env
        )
        for note in notes:
            self.progress.message(note)

    def finish(self, results: dict[str, UnitResult], resume: str | None = None) -> RunReport:
        """The run's report, with how to resume it or release what it left locked; written to the run directory."""
        report = self.report
        report.units = [results[p] for p in self.units if p in results]
        report.finished_at = now()
        report.interrupted = self.tg.cancelled.is_set()
        if report.interrupted:
            done = [u.path for u in report.units if u.ok]
            report.resume = (
                f"interrupted: {len(done)} of {len(report.units)} units finished; "
                f"no engine process is left running. Resume with: {resume}"
            )
        hard = self._forced_to_stop()
        if hard:
            where = f"orch{' --local' if self.ws.session.local else ''} unlock {self.ws.where}"
            report.resume = (report.resume + "\n" if report.resume else "") + (
                "Engines were forced to stop: if a state lock was left, release it with: "
                + " ".join([where, *(f"--unit {p}" for p in hard)])
            )
        report.exit_code = report.compute_exit_code()
        write_all(report, self.run_dir)
        return report

    def _forced_to_stop(self) -> list[str]:
        """Units whose engine was stopped with SIGTERM/SIGKILL (a second Ctrl-C, a --timeout past
        its grace): it may have left its state lock."""
        return [
            u.path
            for u in self.report.units
            if (u.result == Result.INTERRUPTED and self.tg.forced)
            or (
                "timed out" in (u.error or "")
                and "stopped with SIGINT" not in (u.error or "")
                and PREPARING not in (u.error or "")
            )
        ]
