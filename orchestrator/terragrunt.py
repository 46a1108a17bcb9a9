"""Running Terragrunt in one unit directory, or OpenTofu in a working directory Terragrunt
prepared (delegated runs, orchestrator/runs/delegate.py): captured, redacted, interruptible.

Each call runs `terragrunt <args> --non-interactive` in the unit's directory with the
engine environment (orchestrator.tools.engine_env) plus the RunSession's variables. Output
goes to the unit's log file (redacted), never to the terminal, unless a `verbose` sink is
given, which receives the same redacted lines prefixed by the unit.

Interruption: every child runs in its own process group so a terminal Ctrl-C reaches orch
only. `interrupt()` sends one SIGINT to each running process group (Terragrunt and the engine,
as a terminal would; verified with Terragrunt 1.1: OpenTofu reports one "Interrupt received",
stops gracefully and releases its state lock);
`escalate()` sends SIGTERM, then SIGKILL, to the whole process groups.

Timeouts (`orch ... --timeout`): a call that outlives its deadline is stopped the same way,
gracefully first: SIGINT (the engine stops and releases its state lock), then after
ORCH_STOP_GRACE seconds (default 60) SIGTERM, then SIGKILL ten seconds later.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

from pydantic import BaseModel

from orchestrator import settings
from orchestrator.errors import OrchError
from orchestrator.redact import redact
from orchestrator.waits import join_thread, wait_process


class Interrupted(OrchError):
    """The run was interrupted before this engine call started."""

    exit_code = 130


#: Seconds between SIGTERM and SIGKILL when a timed-out call is stopped.
TERM_GRACE = 10.0


class CallResult(BaseModel):
    args: list[str]
    returncode: int
    stdout: str = ""
    duration: float = 0.0
    interrupted: bool = False
    #: Stopped because it ran past its deadline (`timeout` seconds); `stop` says how it ended.
    timed_out: bool = False
    timeout: float | None = None
    stop: str | None = None
    #: For a call run with `approve`: what orch answered at the engine's approval prompt; None
    #: when the engine never asked (it failed first, or had nothing to change).
    approved: bool | None = None

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and not self.interrupted


class Terragrunt:
    """Runs Terragrunt commands for many units at once; one instance per orch run."""

    def __init__(
        self,
        binary: str,
        env: dict[str, str],
        engine: str | None = None,
        secrets: list[str] | None = None,
        verbose: Callable[[str, str], None] | None = None,
    ) -> None:
        self.binary = binary
        self.env = env
        self.engine = engine or env.get("TG_TF_PATH") or "tofu"
        self.secrets = list(secrets or [])
        self.verbose = verbose
        self.cancelled = threading.Event()
        self._lock = threading.Lock()
        self._procs: dict[int, subprocess.Popen[bytes]] = {}
        self._signals_sent = 0

    # ------------------------------------------------------------------ running

    def run(
        self,
        unit_dir: Path,
        args: list[str],
        log: Path,
        *,
        label: str = "",
        capture_stdout: bool = False,
        timeout: float | None = None,
        allow_when_cancelled: bool = False,
    ) -> CallResult:
        """Run `terragrunt ARGS --non-interactive` in unit_dir; log every line to `log`.

        With capture_stdout, stdout is returned (not logged) and only stderr is logged.
        """
        argv = [self.binary, *args, "--non-interactive"]
        return self._exec(
            argv,
            unit_dir,
            log,
            label=label,
            capture_stdout=capture_stdout,
            timeout=timeout,
            allow_when_cancelled=allow_when_cancelled,
        )

    def run_engine(
        self,
        workdir: Path,
        args: list[str],
        log: Path,
        *,
        label: str = "",
        capture_stdout: bool = False,
        timeout: float | None = None,
        env: dict[str, str] | None = None,
        allow_when_cancelled: bool = False,
        approve: Callable[[], bool] | None = None,
    ) -> CallResult:
        """Run OpenTofu/Terraform itself (e.g. `show -json PLAN`) in a Terragrunt working directory.

        `env` replaces the runner's environment (a delegated run passes the one Terragrunt
        computed for the unit, with the session's current credentials on top); `timeout` stops
        the call gracefully as `_stop` does. `approve`: for an `apply` without a plan file or
        -auto-approve, called when the engine asks "Do you want to perform these actions?"
        (its plan is complete then); its answer is typed at the prompt.
        """
        return self._exec(
            [self.engine, *args],
            workdir,
            log,
            label=label,
            capture_stdout=capture_stdout,
            timeout=timeout,
            env=env,
            allow_when_cancelled=allow_when_cancelled,
            approve=approve,
        )

    def track(self, started: subprocess.Popen[bytes] | None, finished: subprocess.Popen[bytes] | None) -> None:
        """Count a process orch started elsewhere (a `terragrunt run --all`) for interrupt()."""
        if started is not None:
            self._register(started)
        if finished is not None:
            with self._lock:
                self._procs.pop(finished.pid, None)

    def _register(self, proc: subprocess.Popen[bytes], allow_when_cancelled: bool = False) -> None:
        """Count a process just started for interrupt(); if a Ctrl-C came while it was being
        started (after the cancelled check, before this), give it the SIGINT the others got.
        interrupt() sets `cancelled` under the same lock, so each process gets exactly one."""
        with self._lock:
            self._procs[proc.pid] = proc
            missed = self.cancelled.is_set() and self._signals_sent == 1 and not allow_when_cancelled
        if missed:
            self._killpg(proc, signal.SIGINT)

    def _exec(
        self,
        argv: list[str],
        unit_dir: Path,
        log: Path,
        *,
        label: str = "",
        capture_stdout: bool = False,
        timeout: float | None = None,
        allow_when_cancelled: bool = False,
        env: dict[str, str] | None = None,
        approve: Callable[[], bool] | None = None,
    ) -> CallResult:
        if self.cancelled.is_set() and not allow_when_cancelled:
            raise Interrupted("interrupted before start")
        args = argv[1:]
        log.parent.mkdir(parents=True, exist_ok=True)
        started = time.monotonic()
        with log.open("a", encoding="utf-8", buffering=1) as handle:  # line-buffered: tail -f works
            header = f"$ {Path(argv[0]).name} {' '.join(args)}   (in {unit_dir})\n"
            handle.write(redact(header, self.secrets))
            handle.flush()
            proc = subprocess.Popen(
                argv,
                cwd=unit_dir,
                env=self.env if env is None else env,
                stdin=subprocess.DEVNULL if approve is None else subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                start_new_session=True,
            )
            self._register(proc, allow_when_cancelled)
            prompted = threading.Event()
            answers: list[bool] = []
            readers, out_chunks = self._pump_output(
                proc, handle, label, capture_stdout, prompted=None if approve is None else prompted, answers=answers
            )
            if approve is not None:
                readers.append(self._answer_prompt(proc, prompted, approve, answers))
            returncode, stop = self._wait(proc, handle, timeout)
            for reader in readers:
                join_thread(reader)
            duration = time.monotonic() - started
            handle.write(f"# exit {returncode} after {duration:.1f}s\n\n")
        interrupted = self.cancelled.is_set() and returncode != 0 and stop is None
        return CallResult(
            args=args,
            returncode=returncode if stop is None or returncode != 0 else 1,
            stdout="".join(out_chunks),
            duration=duration,
            interrupted=interrupted,
            timed_out=stop is not None,
            timeout=timeout,
            stop=stop,
            approved=answers[0] if answers else None,
        )

    def _answer_prompt(
        self, proc: subprocess.Popen[bytes], prompted: threading.Event, approve: Callable[[], bool], answers: list[bool]
    ) -> threading.Thread:
        """Type `approve()`'s answer at the engine's approval prompt: "yes", or "no" (nothing is applied).

        Never "yes" once the run is interrupted. If orch goes away, the engine reads end-of-file
        at its prompt and applies nothing.
        """
        assert proc.stdin is not None  # stdin=PIPE

        def answer() -> None:
            stdin = proc.stdin
            assert stdin is not None
            try:
                while not prompted.wait(0.02):
                    if proc.poll() is not None:
                        return
                approved = not self.cancelled.is_set() and approve() and not self.cancelled.is_set()
                answers.append(approved)
                with contextlib.suppress(OSError):
                    stdin.write(b"yes\n" if approved else b"no\n")
                    stdin.flush()
            finally:
                with contextlib.suppress(OSError):
                    stdin.close()

        thread = threading.Thread(target=answer, daemon=True, name="orch-approve")
        thread.start()
        return thread

    def _pump_output(
        self,
        proc: subprocess.Popen[bytes],
        handle: IO[str],
        label: str,
        capture_stdout: bool,
        prompted: threading.Event | None = None,
        answers: list[bool] | None = None,
    ) -> tuple[list[threading.Thread], list[str]]:
        """Start the threads copying the process's output, redacted, to the log (and to `verbose`).

        With capture_stdout, stdout goes to the returned list instead, complete once the threads end.
        With `prompted`, it is set when stdout ends in the engine's approval prompt (a line the
        engine does not finish until it is answered); the log shows the prompt with `answers`' answer.
        """
        out_chunks: list[str] = []
        write_lock = threading.Lock()

        def pump(stream: IO[bytes], to_log: bool, prompted: threading.Event | None = None) -> None:
            if prompted is None:
                lines: Iterator[bytes] = iter(stream.readline, b"")
            else:
                lines = _lines_watching_prompt(stream, prompted, answers if answers is not None else [])
            for raw in lines:
                line = redact(raw.decode("utf-8", "replace"), self.secrets)
                if not to_log:
                    out_chunks.append(line)
                    continue
                with write_lock:
                    handle.write(line)
                if self.verbose is not None:
                    self.verbose(label, line.rstrip("\n"))
            stream.close()

        readers = [
            threading.Thread(target=pump, args=(proc.stdout, not capture_stdout, prompted), daemon=True),
            threading.Thread(target=pump, args=(proc.stderr, True), daemon=True),
        ]
        for reader in readers:
            reader.start()
        return readers, out_chunks

    def _wait(self, proc: subprocess.Popen[bytes], handle: IO[str], timeout: float | None) -> tuple[int, str | None]:
        """The exit code, and the signal that stopped the process when it outlived `timeout`."""
        stop = None
        try:
            returncode = wait_process(proc, timeout)
        except subprocess.TimeoutExpired:
            handle.write(f"# orch: timed out after {timeout:.0f}s: stopping (SIGINT)\n")
            returncode, stop = self._stop(proc)
            handle.write(f"# orch: stopped with {stop}\n")
        finally:
            with self._lock:
                self._procs.pop(proc.pid, None)
        return returncode, stop

    def _stop(self, proc: subprocess.Popen[bytes]) -> tuple[int, str]:
        """Stop a process group gracefully, then firmly: SIGINT, grace, SIGTERM, 10 s, SIGKILL."""
        for sig, wait in ((signal.SIGINT, settings.stop_grace()), (signal.SIGTERM, TERM_GRACE)):
            self._killpg(proc, sig)
            try:
                return wait_process(proc, wait), signal.Signals(sig).name
            except subprocess.TimeoutExpired:
                continue
        self._killpg(proc, signal.SIGKILL)
        return wait_process(proc), "SIGKILL"

    # ------------------------------------------------------------ interruption

    @property
    def forced(self) -> bool:
        """A second Ctrl-C escalated to SIGTERM/SIGKILL (engines may not have released their locks)."""
        return self._signals_sent >= 2

    @property
    def running(self) -> int:
        with self._lock:
            return len(self._procs)

    def interrupt(self) -> int:
        """First Ctrl-C: no new engine calls, one SIGINT per process group; then SIGTERM, then SIGKILL.

        Returns how many times the run has been interrupted, this one included.
        """
        with self._lock:
            self.cancelled.set()
            self._signals_sent += 1
            sent = self._signals_sent
            procs = list(self._procs.values())
        sig = {1: signal.SIGINT, 2: signal.SIGTERM}.get(sent, signal.SIGKILL)
        for proc in procs:
            self._killpg(proc, sig)
        return sent

    escalate = interrupt

    @staticmethod
    def _killpg(proc: subprocess.Popen[bytes], sig: int) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, sig)


#: How OpenTofu and Terraform ask for the approval of an apply (with or without -no-color).
APPROVAL_PROMPT = b"Enter a value:"


def _lines_watching_prompt(stream: IO[bytes], prompted: threading.Event, answers: list[bool]) -> Iterator[bytes]:
    """The stream's lines, as readline() gives them; sets `prompted` when what follows the last
    newline is the approval prompt, which stays unfinished while the engine waits for the answer.
    The prompt's line, finished once answered, shows the answer typed (the engine echoes nothing)."""
    pending = b""
    while True:
        chunk = stream.read1(65536)  # type: ignore[attr-defined]  # a BufferedReader: what is there
        if not chunk:
            break
        pending += chunk
        *lines, pending = pending.split(b"\n")
        for line in lines:
            if APPROVAL_PROMPT in line and answers:
                line = line.rstrip() + (b" yes (typed by orch)" if answers[0] else b" no (typed by orch)")
            yield line + b"\n"
        if APPROVAL_PROMPT in pending:
            prompted.set()
    if pending:
        yield pending
