"""One `terragrunt run --all` per run, with orch serving each unit's engine steps.

Why: a Terragrunt process per unit re-parses the stack and re-reads every dependency's
outputs (about 0.25 CPU-seconds a unit before the engine even starts, and up to three
`tofu output` processes); `terragrunt run --all` parses once and reads each dependency's
outputs once. So plan, drift and apply start one `terragrunt run --all` for the units that
need the engine, and keep per-unit control by being the engine Terragrunt runs:

- `--tf-path` is a tiny `sh` wrapper. `version`, `init`, `output` and everything else go
  straight to OpenTofu; the unit's main command (`plan`, `apply`) runs
  orchestrator/engine_shim.py, which hands the working directory Terragrunt prepared (source
  copy, generated files, init done) and the environment it computed (inputs as TF_VAR_*,
  dependency outputs already read) to this process over a unix socket;
- orch then runs the unit's steps itself with OpenTofu in that directory (plan -out, show
  -json, apply of a saved plan, re-plan, refusals), logs them to the unit's log, and answers
  with an exit code. Terragrunt orders the units (a unit starts the moment its last
  dependency finishes, bounded by --parallelism) and skips the dependents of a failed unit;
- Terragrunt's own records (`--log-format json`) are routed by their `working-dir` to the
  unit's log, so mock-output warnings and configuration errors stay per unit;
- Ctrl-C: orch interrupts the engine processes it started (one SIGINT per process group)
  and Terragrunt's process group; the shim waits for orch's answer, so nothing is left running;
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

SHIM = Path(__file__).resolve().parent / "engine_shim.py"
#: Engine subcommands the shim hands to orch; anything else goes to the engine directly.
SERVED = ("plan", "apply", "destroy")
CREDENTIALS = "__orch_credentials"


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
        "# Written by orch for one `terragrunt run --all` (orchestrator/delegate.py).\n"
        f'case "$1" in\n  {served}) exec {q(python)} -S -E {q(str(SHIM))} "$@" ;;\nesac\n'
        f'exec {q(engine)} "$@"\n'
    )


def _pending_bytes(fd: int) -> int:
    try:
        return struct.unpack("i", fcntl.ioctl(fd, termios.FIONREAD, b"\0\0\0\0"))[0]
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
        register: Callable[[subprocess.Popen | None, subprocess.Popen | None], None],
        verbose: Callable[[str, str], None] | None = None,
        credentials: Callable[[], dict[str, str]] | None = None,
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
        self._logs: dict[Path, object] = {}
        self._log_lock = threading.Lock()
        self._demux_lock = threading.Lock()
        self._stderr_fd: int | None = None
        self.served: set[str] = set()
        self.report: dict[str, dict] = {}
        self.returncode: int | None = None

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
            handle.write(text)  # type: ignore[attr-defined]

    def _record(self, raw: str) -> None:
        line = raw.rstrip("\n")
        if not line.strip():
            return
        try:
            record = json.loads(line)
            if not isinstance(record, dict):
                raise ValueError
        except ValueError:
            record = {"level": "raw", "msg": line}
        unit = self._unit_of_record(record.get("working-dir"))
        level = str(record.get("level", "")).upper()
        message = self.redact(str(record.get("msg", "")))
        prefix = "" if level in ("STDOUT", "STDERR") else f"{level} "
        lines = [ln for ln in message.splitlines()] or [""]
        self._write(unit, "".join(f"{prefix}{ln}\n" for ln in lines))
        if self.verbose is not None:
            for ln in lines:
                self.verbose(unit or "terragrunt", ln)

    def _pump(self, fd: int) -> None:
        buffered = b""
        while True:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                chunk = b""
            if not chunk:
                break
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
        fd = self._stderr_fd
        if fd is None:
            return
        deadline = time.monotonic() + timeout
        while _pending_bytes(fd) > 0 and time.monotonic() < deadline:
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
            answer: dict = {"rc": 1}
            if args and args[0] == CREDENTIALS:
                envs = self.credentials() if self.credentials else {}
                answer = {"rc": 0, "stdout": json.dumps({"envs": envs})}
            else:
                unit = self.unit_for(request.get("cwd", ""))
                if unit is None:
                    answer = {"rc": 1, "stderr": f"orch: no unit of this run in {request.get('cwd')}\n"}
                else:
                    self.served.add(unit)
                    self.sync()
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
            threading.Thread(target=self._handle, args=(conn,), daemon=True, name="orch-engine").start()

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
        """Run `terragrunt run --all -- COMMAND` for `units`; returns Terragrunt's exit code."""
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
            out_fd, err_fd = os.dup(proc.stdout.fileno()), os.dup(proc.stderr.fileno())  # type: ignore[union-attr]
            proc.stdout.close()  # type: ignore[union-attr]
            proc.stderr.close()  # type: ignore[union-attr]
            self._stderr_fd = err_fd
            readers = [threading.Thread(target=self._pump, args=(fd,), daemon=True) for fd in (out_fd, err_fd)]
            for reader in readers:
                reader.start()
            try:
                self.returncode = proc.wait()
            finally:
                self.register(None, proc)
            for reader in readers:
                reader.join()
            self._stderr_fd = None
            self._write(None, f"# exit {self.returncode} after {time.monotonic() - started:.1f}s\n\n")
            try:
                entries = json.loads(report_file.read_text())
            except (OSError, ValueError):
                entries = []
            for entry in entries if isinstance(entries, list) else []:
                name = os.path.normpath(str(entry.get("Name", "")))
                unit = self._by_rel.get(name) or self._unit_of_record(name)
                if unit is not None:
                    self.report[unit] = entry
            return self.returncode
        finally:
            server.close()
            with self._log_lock:
                for handle in self._logs.values():
                    handle.close()  # type: ignore[attr-defined]
                self._logs.clear()
            shutil.rmtree(tmp, ignore_errors=True)
