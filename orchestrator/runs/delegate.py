"""One `terragrunt run --all` per run, with orch serving each unit's engine steps.

Why: a Terragrunt process per unit re-parses the stack and re-reads every dependency's
outputs (about 0.25 CPU-seconds a unit before the engine even starts, and up to three
`tofu output` processes); `terragrunt run --all` parses once and reads each dependency's
outputs once. So plan, drift and apply start one `terragrunt run --all` for the units that
need the engine, and keep per-unit control by being the engine Terragrunt runs:

- `--tf-path` is a tiny `sh` wrapper. `version`, `init`, `output` and everything else go
  straight to OpenTofu (except an `init` Terragrunt repeats needlessly and the outputs of a unit
  orch just ran with local state, which the wrapper answers itself: engine_shortcuts.py); the
  unit's main command (`plan`, `apply`) runs
  orchestrator/runs/engine_shim.py, which hands the working directory Terragrunt prepared (source
  copy, generated files, init done) and the environment it computed (inputs as TF_VAR_*,
  dependency outputs already read) to this process over a unix socket (engine_server.py);
- orch then runs the unit's steps itself with OpenTofu in that directory (plan -out, show
  -json, apply of a saved plan, re-plan, refusals), logs them to the unit's log, and answers
  with an exit code. Terragrunt orders the units (a unit starts the moment its last
  dependency finishes, bounded by --parallelism) and skips the dependents of a failed unit;
- Terragrunt's own records (`--log-format json`) are routed by their `working-dir` to the
  unit's log, so mock-output warnings and configuration errors stay per unit; hooks' output,
  which Terragrunt prints without naming its unit, goes to the unit whose hook runs
  (log_routing.py);
- a unit starts (journal entry, --timeout clock: `on_begin`) when orch first learns Terragrunt
  began it: a record naming it, a process Terragrunt runs for it, or its engine step;
- --timeout: the engine steps orch runs are stopped like per-unit calls (terragrunt.py); while
  Terragrunt still prepares a unit (dependency outputs, init, hooks), orch finds the processes
  Terragrunt runs for it in /proc and stops them (SIGINT, grace, SIGTERM, SIGKILL:
  unit_processes.py);
- Ctrl-C: orch interrupts the engine processes it started (one SIGINT per process group)
  and Terragrunt's process group; the shim waits for orch's answer, so nothing is left running;
  `run` returns only when every engine step orch was serving has answered;
- credentials: every engine step gets the session's current (refreshed) credentials on top of
  Terragrunt's environment; when the session assumed a role, Terragrunt's own AWS calls get
  them from `--auth-provider-cmd` (the same shim, answered from this process, nothing on disk).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from orchestrator.runs.engine_server import CREDENTIALS, EngineServer, Request, shim_paths, wrapper_script
from orchestrator.runs.engine_shortcuts import answers_dir
from orchestrator.runs.log_routing import LogRouter
from orchestrator.runs.unit_processes import PreparationTimeout, can_watch_units, unit_processes
from orchestrator.waits import join_thread, wait_process

Register = Callable[[subprocess.Popen[bytes] | None, subprocess.Popen[bytes] | None], None]


def _index_dirs(
    stack_dir: Path, unit_dirs: dict[str, Path], copies_dir: Callable[[Path], Path]
) -> tuple[dict[str, str], dict[str, str]]:
    """Each unit by its real directories (the unit's and its source copies'), and by its path in the stack."""
    by_dir: dict[str, str] = {}
    for unit, directory in unit_dirs.items():
        by_dir[os.path.realpath(copies_dir(directory))] = unit
        by_dir.setdefault(os.path.realpath(directory), unit)
    by_rel = {
        os.path.normpath(str(d.relative_to(stack_dir))) if d.is_relative_to(stack_dir) else str(d): u
        for u, d in unit_dirs.items()
    }
    return by_dir, by_rel


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
        register: Register,
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
        self.redact = redact
        self.register = register
        self.credentials = credentials
        self.on_begin = on_begin
        self._dirs, self._by_rel = _index_dirs(stack_dir, unit_dirs, copies_dir)
        # What marks a shim process among Terragrunt's (unit_processes).
        self._shims = shim_paths()
        self._root_pid: int | None = None
        #: This run's token (in the markers of skipped inits) and the outputs the wrapper answers
        #: (engine_shortcuts.py); set when the run starts.
        self.token: str | None = None
        self.answers: Path | None = None
        self.served: set[str] = set()
        #: Units of this run Terragrunt began (a record of theirs, a process working for them, or
        #: their engine step), with when orch learned it (time.monotonic()).
        self.begun: dict[str, float] = {}
        self.report: dict[str, dict[str, Any]] = {}
        self.returncode: int | None = None
        self._wanted: set[str] = set()
        self._begin_lock = threading.Lock()
        self._done = threading.Event()
        self.logs = LogRouter(
            log_for=log_for,
            redact=redact,
            unit_of_record=self._unit_of_record,
            on_unit=self.begin,
            busy_units=self._busy_units,
            verbose=verbose,
        )
        self._timeout: PreparationTimeout | None = None
        if unit_timeout is not None:
            self._timeout = PreparationTimeout(
                timeout=unit_timeout,
                processes=self._unit_processes,
                begun=self.begun,
                served=self.served,
                begin=self.begin,
                note=self.logs.write,
                done=self._done,
            )

    @property
    def timed_out(self) -> dict[str, str]:
        """Units stopped by --timeout while Terragrunt prepared them: unit -> the signal that stopped them."""
        return self._timeout.timed_out if self._timeout is not None else {}

    # ------------------------------------------------------------ units

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

    def _unit_processes(self, root: int) -> dict[str, list[int]]:
        """Terragrunt's processes (hooks, init, output) per unit of this run."""
        found = unit_processes(root, self.unit_for, self._shims)
        return {unit: pids for unit, pids in found.items() if unit in self._wanted}

    def _busy_units(self) -> set[str]:
        """Units Terragrunt runs a process for (hooks, init; not the shims), from /proc; empty elsewhere."""
        root = self._root_pid
        if root is None or not can_watch_units():
            return set()
        try:
            return set(self._unit_processes(root))
        except OSError:
            return set()

    # ------------------------------------------------------------ engine steps

    def _answer(self, request: dict[str, Any]) -> dict[str, Any]:
        """The answer to an engine shim: credentials, or the exit code of the unit's engine steps."""
        args = list(request.get("args") or [])
        if args and args[0] == CREDENTIALS:
            envs = self.credentials() if self.credentials else {}
            return {"rc": 0, "stdout": json.dumps({"envs": envs})}
        unit = self.unit_for(request.get("cwd", ""))
        if unit is None:
            return {"rc": 1, "stderr": f"orch: no unit of this run in {request.get('cwd')}\n"}
        self.logs.sync()
        self.begin(unit)
        self.served.add(unit)
        self.logs.hook_over(unit)
        req = Request(cwd=Path(request["cwd"]), args=args, env=dict(request.get("env") or {}))
        try:
            return {"rc": int(self.serve(unit, req))}
        except Exception as exc:
            return {"rc": 1, "stderr": f"orch: {type(exc).__name__}: {exc}\n"}

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
        server = EngineServer(tmp / "engine.sock", self._answer)
        try:
            server.start()
            wrapper = tmp / Path(self.engine).name
            self.token, self.answers = tmp.name, answers_dir()
            wrapper.write_text(wrapper_script(self.engine, token=self.token, answers=self.answers, env=self.env))
            wrapper.chmod(0o700)
            report_file = tmp / "report.json"
            argv = self._argv(wrapper, report_file, units, parallelism, fail_fast, ignore_errors)
            argv += [*(extra_args or []), "--", command, "-input=false"]
            env = {
                k: v
                for k, v in self.env.items()
                if k not in ("TG_LOG_CUSTOM_FORMAT", "TG_LOG_DISABLE", "TG_LOG_FORMAT")
            }
            env.update({"TG_TF_PATH": str(wrapper), "ORCH_ENGINE_SOCKET": str(server.path)})
            self.logs.write(None, self.redact(f"$ terragrunt {' '.join(argv[1:])}   (in {self.stack_dir})\n"))
            started = time.monotonic()
            self.returncode = self._terragrunt(argv, env)
            server.join()
            self.logs.done_reading()
            self.logs.write(None, f"# exit {self.returncode} after {time.monotonic() - started:.1f}s\n\n")
            self._read_report(report_file)
            return self.returncode
        finally:
            server.close()
            self.logs.close()
            shutil.rmtree(tmp, ignore_errors=True)

    def _argv(
        self, wrapper: Path, report_file: Path, units: list[str], parallelism: int, fail_fast: bool, ignore_errors: bool
    ) -> list[str]:
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
        return argv

    def _terragrunt(self, argv: list[str], env: dict[str, str]) -> int:
        """Terragrunt itself, its output read into the logs until it ends; its exit code."""
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
        self._root_pid = proc.pid
        readers = self.logs.read(stdout=out_fd, stderr=err_fd)
        if self._timeout is not None:
            threading.Thread(target=self._timeout.watch, args=(proc.pid,), daemon=True, name="orch-watch").start()
        try:
            returncode = wait_process(proc)
        finally:
            self._done.set()
            self.register(None, proc)
        for reader in readers:
            join_thread(reader)
        return returncode

    def _read_report(self, report_file: Path) -> None:
        """Terragrunt's report of each unit (its result, and the cause of a failure)."""
        try:
            entries = json.loads(report_file.read_text())
        except (OSError, ValueError):
            entries = []
        for entry in entries if isinstance(entries, list) else []:
            name = os.path.normpath(str(entry.get("Name", "")))
            owner = self._by_rel.get(name) or self._unit_of_record(name)
            if owner is not None:
                self.report[owner] = entry
