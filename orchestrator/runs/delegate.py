"""One `terragrunt run --all` per run, with orch serving each unit's engine steps.

Why: a Terragrunt process per unit re-parses the stack and re-reads every dependency's
outputs (about 0.25 CPU-seconds a unit before the engine even starts, and up to three
`tofu output` processes); `terragrunt run --all` parses once and reads each dependency's
outputs once. So plan, drift and apply start one `terragrunt run --all` for the units that
need the engine, and keep per-unit control by being the engine Terragrunt runs:

- `--tf-path` is a tiny `sh` wrapper. `version`, `init`, `output` and everything else go
  straight to OpenTofu; the unit's main command (`plan`, `apply`) runs
  orchestrator/runs/engine_shim.py, which hands the working directory Terragrunt prepared (source
  copy, generated files, init done) and the environment it computed (inputs as TF_VAR_*,
  dependency outputs already read) to this process over a unix socket;
- orch then runs the unit's steps itself with OpenTofu in that directory (plan -out, show
  -json, apply of a saved plan, re-plan, refusals), logs them to the unit's log, and answers
  with an exit code. Terragrunt orders the units (a unit starts the moment its last
  dependency finishes, bounded by --parallelism) and skips the dependents of a failed unit;
- Terragrunt's own records (`--log-format json`) are routed by their `working-dir` to the
  unit's log, so mock-output warnings and configuration errors stay per unit; hooks' output,
  which Terragrunt prints without naming its unit, goes to the unit whose hook runs (`_raw`);
- a unit starts (journal entry, --timeout clock: `on_begin`) when orch first learns Terragrunt
  began it: a record naming it, a process Terragrunt runs for it, or its engine step;
- --timeout: the engine steps orch runs are stopped like per-unit calls (terragrunt.py); while
  Terragrunt still prepares a unit (dependency outputs, init, hooks), `_watch` finds the processes
  Terragrunt runs for it in /proc and stops them (SIGINT, grace, SIGTERM, SIGKILL);
- Ctrl-C: orch interrupts the engine processes it started (one SIGINT per process group)
  and Terragrunt's process group; the shim waits for orch's answer, so nothing is left running;
  `run` returns only when every engine step orch was serving has answered;
- credentials: every engine step gets the session's current (refreshed) credentials on top of
  Terragrunt's environment; when the session assumed a role, Terragrunt's own AWS calls get
  them from `--auth-provider-cmd` (the same shim, answered from this process, nothing on disk).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shlex
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from orchestrator.settings import stop_grace
from orchestrator.terragrunt import TERM_GRACE

SHIM = Path(__file__).resolve().parent / "engine_shim.py"
#: Engine subcommands the shim hands to orch; anything else goes to the engine directly.
SERVED = ("plan", "apply", "destroy")
CREDENTIALS = "__orch_credentials"
#: Seconds between two looks at Terragrunt's processes while --timeout is on.
WATCH_INTERVAL = 1.0
#: Seconds after a unit's `Executing hook` record during which unattributed output is taken as its hook's.
HOOK_RECENT = 1.0


def can_watch_units() -> bool:
    """Whether a delegated run can find the processes Terragrunt runs for a unit (/proc: Linux)."""
    return os.path.isdir(f"/proc/{os.getpid()}/cwd") or os.path.islink(f"/proc/{os.getpid()}/cwd")


def _process_tree(root: int) -> list[int]:
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


@dataclass
class Request:
    """One engine call Terragrunt made for a unit: where, with which arguments and environment."""

    cwd: Path
    args: list[str]
    env: dict[str, str]


def wrapper_script(engine: str, python: str = sys.executable) -> str:
    q = shlex.quote
    served = "|".join((*SERVED, CREDENTIALS))
    return (
        "#!/bin/sh\n"
        "# Written by orch for one `terragrunt run --all` (orchestrator/runs/delegate.py).\n"
        f'case "$1" in\n  {served}) exec {q(python)} -S -E {q(str(SHIM))} "$@" ;;\nesac\n'
        f'exec {q(engine)} "$@"\n'
    )


def _pending_bytes(fd: int) -> int:
    try:
        pending: int = struct.unpack("i", fcntl.ioctl(fd, termios.FIONREAD, b"\0\0\0\0"))[0]
        return pending
    except OSError:
        return 0


class Delegation:
    """Runs `terragrunt run --all -- COMMAND` for `units`, serving their engine steps with `serve`.

    `serve(unit, request)` runs in a thread per unit and returns the exit code Terragrunt
    sees (non-zero: Terragrunt skips the unit's dependents). `unit_dirs` maps every unit
    (path relative to the stack) to its directory; `copies_dir(unit_dir)` is where
    Terragrunt keeps its source copies.
    """

    def __init__(
        self,
        *,
        terragrunt: str,
        engine: str,
        stack_dir: Path,
        env: dict[str, str],
        unit_dirs: dict[str, Path],
        copies_dir: Callable[[Path], Path],
        serve: Callable[[str, Request], int],
        log_for: Callable[[str | None], Path],
        redact: Callable[[str], str],
        register: Callable[[subprocess.Popen[bytes] | None, subprocess.Popen[bytes] | None], None],
        verbose: Callable[[str, str], None] | None = None,
        credentials: Callable[[], dict[str, str]] | None = None,
        on_begin: Callable[[str], None] | None = None,
        unit_timeout: float | None = None,
    ) -> None:
        self.terragrunt = terragrunt
        self.engine = engine
        self.stack_dir = stack_dir
        self.env = env
        self.serve = serve
        self.log_for = log_for
        self.redact = redact
        self.register = register
        self.verbose = verbose
        self.credentials = credentials
        self._dirs: dict[str, str] = {}
        for unit, directory in unit_dirs.items():
            self._dirs[os.path.realpath(copies_dir(directory))] = unit
            self._dirs.setdefault(os.path.realpath(directory), unit)
        self._by_rel = {
            os.path.normpath(str(d.relative_to(stack_dir))) if d.is_relative_to(stack_dir) else str(d): u
            for u, d in unit_dirs.items()
        }
        self._logs: dict[Path, TextIO] = {}
        self._log_lock = threading.Lock()
        self._demux_lock = threading.Lock()
        self._stderr_fd: int | None = None
        self._stdout_fd: int | None = None
        self._root_pid: int | None = None
        #: Units whose last record was `Executing hook` (when): whose raw output may come now.
        self._hooks: dict[str, float] = {}
        self.on_begin = on_begin
        self.unit_timeout = unit_timeout
        self.served: set[str] = set()
        #: Units of this run Terragrunt began (a record of theirs, a process working for them, or
        #: their engine step), with when orch learned it (time.monotonic()).
        self.begun: dict[str, float] = {}
        #: Units stopped by --timeout while Terragrunt prepared them: unit -> the signal that stopped them.
        self.timed_out: dict[str, str] = {}
        self.report: dict[str, dict[str, Any]] = {}
        self.returncode: int | None = None
        self._wanted: set[str] = set()
        self._begin_lock = threading.Lock()
        self._handlers: set[threading.Thread] = set()
        self._handlers_lock = threading.Lock()
        self._done = threading.Event()

    # ------------------------------------------------------------ unit mapping

    def unit_for(self, cwd: str) -> str | None:
        path = os.path.realpath(cwd)
        while True:
            if path in self._dirs:
                return self._dirs[path]
            parent = os.path.dirname(path)
            if parent == path:
                return None
            path = parent

    def begin(self, unit: str) -> None:
        """Orch learned that Terragrunt began `unit` (once per unit of this run; `on_begin` is told)."""
        with self._begin_lock:
            if unit not in self._wanted or unit in self.begun:
                return
            self.begun[unit] = time.monotonic()
        if self.on_begin is not None:
            self.on_begin(unit)

    def _unit_of_record(self, working_dir: str | None) -> str | None:
        if not working_dir:
            return None
        if os.path.isabs(working_dir):
            found = self.unit_for(working_dir)
            if found is not None:
                return found
            try:
                working_dir = os.path.relpath(working_dir, self.stack_dir)
            except ValueError:
                return None
        return self._by_rel.get(os.path.normpath(working_dir))

    # ------------------------------------------------------------ logs

    def _write(self, unit: str | None, text: str) -> None:
        path = self.log_for(unit)
        with self._log_lock:
            handle = self._logs.get(path)
            if handle is None:
                path.parent.mkdir(parents=True, exist_ok=True)
                handle = self._logs[path] = path.open("a", encoding="utf-8", buffering=1)
            handle.write(text)

    def _record(self, raw: str) -> None:
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
        unit = self._unit_of_record(record.get("working-dir"))
        if unit is not None:
            self.begin(unit)
            if str(record.get("msg", "")).startswith("Executing hook"):
                self._hooks[unit] = time.monotonic()
            else:
                self._hooks.pop(unit, None)
        level = str(record.get("level", "")).upper()
        message = self.redact(str(record.get("msg", "")))
        prefix = "" if level in ("STDOUT", "STDERR") else f"{level} "
        lines = [ln for ln in message.splitlines()] or [""]
        self._write(unit, "".join(f"{prefix}{ln}\n" for ln in lines))
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
            self._write(None, f"RAW {text}\n")
        elif len(units) == 1:
            self._write(units[0], f"{text}\n")
        else:
            for unit in units:
                self._write(unit, f"(hook output of one of {', '.join(units)}) {text}\n")
        if self.verbose is not None:
            self.verbose(",".join(units) or "terragrunt", text)

    def _hook_units(self) -> list[str]:
        """Units that may be running a hook now: an `Executing hook` record of theirs came last and
        is recent, or Terragrunt still runs a process for them (/proc); with several recent ones,
        those with a process running, when that narrows it down."""
        if not self._hooks:
            return []
        now = time.monotonic()
        recent = sorted(u for u, at in self._hooks.items() if now - at < HOOK_RECENT)
        if len(recent) == 1:
            return recent
        alive = self._busy_units()
        if recent:
            return [u for u in recent if u in alive] or recent
        return sorted(u for u in self._hooks if u in alive)

    def _busy_units(self) -> set[str]:
        """Units Terragrunt runs a process for (hooks, init; not the shims), from /proc; empty elsewhere."""
        root = self._root_pid
        if root is None or not can_watch_units():
            return set()
        try:
            return set(self._unit_processes(root))
        except OSError:
            return set()

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
                while _pending_bytes(after) > 0 and time.monotonic() < deadline:
                    time.sleep(0.002)
            with self._demux_lock:
                buffered += chunk
                *lines, buffered = buffered.split(b"\n")
                for line in lines:
                    self._record(line.decode("utf-8", "replace"))
        if buffered:
            with self._demux_lock:
                self._record(buffered.decode("utf-8", "replace"))
        os.close(fd)

    def sync(self, timeout: float = 2.0) -> None:
        """Wait until Terragrunt's records written so far are in the units' logs.

        Called when a unit's engine step arrives: Terragrunt logged everything about that
        unit (mock outputs used, for one) before it started the engine.
        """
        fds = [fd for fd in (self._stderr_fd, self._stdout_fd) if fd is not None]
        if not fds:
            return
        deadline = time.monotonic() + timeout
        while any(_pending_bytes(fd) > 0 for fd in fds) and time.monotonic() < deadline:
            time.sleep(0.002)
        time.sleep(0.005)  # the reader may hold a chunk it has not taken the lock for yet
        with self._demux_lock:
            pass

    # ------------------------------------------------------------ the server

    def _handle(self, conn: socket.socket) -> None:
        with conn:
            data = b""
            while not data.endswith(b"\n"):
                chunk = conn.recv(65536)
                if not chunk:
                    return
                data += chunk
            request = json.loads(data)
            args = list(request.get("args") or [])
            answer: dict[str, Any] = {"rc": 1}
            if args and args[0] == CREDENTIALS:
                envs = self.credentials() if self.credentials else {}
                answer = {"rc": 0, "stdout": json.dumps({"envs": envs})}
            else:
                unit = self.unit_for(request.get("cwd", ""))
                if unit is None:
                    answer = {"rc": 1, "stderr": f"orch: no unit of this run in {request.get('cwd')}\n"}
                else:
                    self.sync()
                    self.begin(unit)
                    self.served.add(unit)
                    self._hooks.pop(unit, None)  # its before-hooks are over
                    req = Request(cwd=Path(request["cwd"]), args=args, env=dict(request.get("env") or {}))
                    try:
                        answer = {"rc": int(self.serve(unit, req))}
                    except Exception as exc:
                        answer = {"rc": 1, "stderr": f"orch: {type(exc).__name__}: {exc}\n"}
            with contextlib.suppress(OSError):
                conn.sendall(json.dumps(answer).encode() + b"\n")

    def _accept(self, server: socket.socket) -> None:
        while True:
            try:
                conn, _ = server.accept()
            except OSError:
                return
            thread = threading.Thread(target=self._handle_tracked, args=(conn,), daemon=True, name="orch-engine")
            with self._handlers_lock:
                self._handlers.add(thread)
            thread.start()

    def _handle_tracked(self, conn: socket.socket) -> None:
        try:
            self._handle(conn)
        finally:
            with self._handlers_lock:
                self._handlers.discard(threading.current_thread())

    def _join_handlers(self) -> None:
        """Wait for the engine steps orch is still running for Terragrunt (when Terragrunt ended
        first: killed by a second Ctrl-C), so every served unit has its result."""
        while True:
            with self._handlers_lock:
                pending = list(self._handlers)
            if not pending:
                return
            for thread in pending:
                thread.join()

    # ------------------------------------------------------------ --timeout before the engine step

    def _unit_processes(self, root: int) -> dict[str, list[int]]:
        """Terragrunt's processes (hooks, init, output) per unit of this run, by working directory;
        the shims waiting for orch are left out (orch stops their engine steps itself)."""
        found: dict[str, list[int]] = {}
        for pid in _process_tree(root):
            try:
                cwd = os.readlink(f"/proc/{pid}/cwd")
                with open(f"/proc/{pid}/cmdline", "rb") as handle:
                    cmdline = handle.read()
            except OSError:
                continue
            if str(SHIM).encode() in cmdline:
                continue
            unit = self.unit_for(cwd)
            if unit is not None and unit in self._wanted:
                found.setdefault(unit, []).append(pid)
        return found

    def _watch(self, proc: subprocess.Popen[bytes]) -> None:
        """--timeout while Terragrunt prepares a unit (dependency outputs, init, hooks), before its
        engine step reaches orch: a unit whose time is up has the processes Terragrunt runs for it
        stopped as orch stops an engine step (SIGINT, grace, SIGTERM, SIGKILL). Also notes the
        units Terragrunt began from the processes it runs for them."""
        assert self.unit_timeout is not None
        stopping: set[str] = set()
        while not self._done.wait(WATCH_INTERVAL):
            try:
                owned = self._unit_processes(proc.pid)
            except OSError:
                continue
            for unit in owned:
                self.begin(unit)
            now = time.monotonic()
            for unit, began in list(self.begun.items()):
                if unit in self.served or unit in stopping or unit not in owned:
                    continue
                if now - began >= self.unit_timeout:
                    stopping.add(unit)
                    threading.Thread(
                        target=self._stop_unit, args=(proc.pid, unit), daemon=True, name="orch-timeout"
                    ).start()

    def _stop_unit(self, root: int, unit: str) -> None:
        for sig, wait in ((signal.SIGINT, stop_grace()), (signal.SIGTERM, TERM_GRACE), (signal.SIGKILL, 0.0)):
            pids = [] if unit in self.served else self._unit_processes(root).get(unit, [])
            if not pids:
                return
            name = signal.Signals(sig).name
            self.timed_out[unit] = name
            self._write(
                unit,
                f"# orch: timed out after {self.unit_timeout:g}s (--timeout) while Terragrunt prepared the unit: "
                f"stopping (sending {name} to {' '.join(map(str, pids))})\n",
            )
            for pid in pids:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.kill(pid, sig)
            deadline = time.monotonic() + wait
            while time.monotonic() < deadline and not self._done.is_set():
                alive = set(_process_tree(root))
                if not any(p in alive for p in pids):
                    return
                time.sleep(0.2)

    # ------------------------------------------------------------ the run

    def run(
        self,
        command: str,
        units: list[str],
        *,
        parallelism: int,
        fail_fast: bool = False,
        ignore_errors: bool = False,
        extra_args: list[str] | None = None,
    ) -> int:
        """Run `terragrunt run --all -- COMMAND` for `units`; returns Terragrunt's exit code.

        Returns when Terragrunt has ended and every engine step orch was serving has answered.
        """
        self._wanted = set(units)
        self._done.clear()
        tmp = Path(tempfile.mkdtemp(prefix="orch-"))  # 0700; short enough for a socket path
        server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock_path = tmp / "engine.sock"
            server.bind(str(sock_path))
            server.listen(128)
            threading.Thread(target=self._accept, args=(server,), daemon=True, name="orch-engine-accept").start()
            wrapper = tmp / Path(self.engine).name
            wrapper.write_text(wrapper_script(self.engine))
            wrapper.chmod(0o700)
            report_file = tmp / "report.json"
            argv = [
                self.terragrunt,
                "run",
                "--all",
                "--non-interactive",
                "--log-format",
                "json",
                "--parallelism",
                str(max(1, parallelism)),
                "--tf-path",
                str(wrapper),
                "--report-file",
                str(report_file),
                "--report-format",
                "json",
                "--no-stack-generate",
            ]
            if fail_fast:
                argv.append("--fail-fast")
            if ignore_errors:
                argv.append("--queue-ignore-errors")
            if self.credentials is not None:
                argv += ["--auth-provider-cmd", f"{wrapper} {CREDENTIALS}"]
            for unit in units:
                argv += ["--queue-include-dir", unit]
            argv += [*(extra_args or []), "--", command, "-input=false"]
            env = {
                k: v
                for k, v in self.env.items()
                if k not in ("TG_LOG_CUSTOM_FORMAT", "TG_LOG_DISABLE", "TG_LOG_FORMAT")
            }
            env.update({"TG_TF_PATH": str(wrapper), "ORCH_ENGINE_SOCKET": str(sock_path)})
            self._write(None, self.redact(f"$ terragrunt {' '.join(argv[1:])}   (in {self.stack_dir})\n"))
            started = time.monotonic()
            proc = subprocess.Popen(
                argv,
                cwd=self.stack_dir,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                start_new_session=True,
            )
            self.register(proc, None)
            assert proc.stdout is not None and proc.stderr is not None  # stdout=PIPE, stderr=PIPE
            out_fd, err_fd = os.dup(proc.stdout.fileno()), os.dup(proc.stderr.fileno())
            proc.stdout.close()
            proc.stderr.close()
            self._stderr_fd, self._stdout_fd, self._root_pid = err_fd, out_fd, proc.pid
            readers = [
                threading.Thread(target=self._pump, args=(out_fd, err_fd), daemon=True),
                threading.Thread(target=self._pump, args=(err_fd,), daemon=True),
            ]
            for reader in readers:
                reader.start()
            if self.unit_timeout is not None:
                threading.Thread(target=self._watch, args=(proc,), daemon=True, name="orch-watch").start()
            try:
                self.returncode = proc.wait()
            finally:
                self._done.set()
                self.register(None, proc)
            for reader in readers:
                reader.join()
            self._join_handlers()
            self._stderr_fd = self._stdout_fd = None
            self._write(None, f"# exit {self.returncode} after {time.monotonic() - started:.1f}s\n\n")
            try:
                entries = json.loads(report_file.read_text())
            except (OSError, ValueError):
                entries = []
            for entry in entries if isinstance(entries, list) else []:
                name = os.path.normpath(str(entry.get("Name", "")))
                owner = self._by_rel.get(name) or self._unit_of_record(name)
                if owner is not None:
                    self.report[owner] = entry
            return self.returncode
        finally:
            server.close()
            with self._log_lock:
                for handle in self._logs.values():
                    handle.close()
                self._logs.clear()
            shutil.rmtree(tmp, ignore_errors=True)
