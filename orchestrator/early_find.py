"""Discovery's `terragrunt find`, started while Python still imports orch.

A run on a stack spends its first ~0.3 s importing orch's modules and its next ~0.3 s waiting for
`terragrunt find`, one after the other, before any unit starts. The `orch` entry point
(orchestrator/launch.py) calls `start()` before it imports the CLI: for a command on a `--dir`
stack it starts the find discovery will run. Discovery `take()`s that result only if it would run
the very same command (binary, arguments, directory and environment); otherwise it runs its own,
and the early one is stopped (at the latest when orch exits). Nothing else depends on it: a
command line read wrongly here costs one read-only `terragrunt find`, never a wrong answer.

Standard library only (and orchestrator.toolpaths), so that starting it costs nothing.
"""

from __future__ import annotations

import atexit
import os
import subprocess
import threading
from pathlib import Path

from orchestrator.toolpaths import engine_env, find_tool

#: The commands that discover a stack first (their `--dir` names it).
STACK_COMMANDS = frozenset({"plan", "apply", "drift", "destroy", "graph", "validate"})

#: How many early finds discovery took, and how many it could not use (tests read these).
stats = {"taken": 0, "discarded": 0}


def find_args(with_stacks: bool) -> list[str]:
    """The arguments of discovery's `terragrunt find`."""
    args = [
        "find",
        "--json",
        "--dependencies",
        "--include",
        "--reading",
        "--log-level",
        "debug",
        "--log-format",
        "json",
    ]
    # .terragrunt-stack is hidden: only walk hidden directories when stacks were generated.
    return args if with_stacks else [*args, "--no-hidden"]


def terragrunt_call(binary: str, args: list[str], env: dict[str, str]) -> tuple[list[str], dict[str, str]]:
    """The argv and environment of one discovery call to Terragrunt."""
    # Problems are read from `--log-format json` records: a custom format or disabled
    # logging in the caller's environment would hide them.
    env = {k: v for k, v in env.items() if k not in ("TG_LOG_CUSTOM_FORMAT", "TG_LOG_DISABLE")}
    return [binary, *args, "--non-interactive"], env


def run_call(argv: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, check=False, stdin=subprocess.DEVNULL)


class _Early:
    """One `terragrunt find` running in the background, its output read as it comes (a stack of a
    thousand units logs megabytes of debug records: a full pipe would stall it)."""

    def __init__(self, argv: list[str], cwd: Path, env: dict[str, str]) -> None:
        self.argv, self.cwd, self.env = argv, cwd, env
        self.proc = subprocess.Popen(
            argv,
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.output: tuple[str, str] = ("", "")
        self.reader = threading.Thread(target=self._read, daemon=True, name="orch-early-find")
        self.reader.start()

    def _read(self) -> None:
        self.output = self.proc.communicate()

    def result(self) -> subprocess.CompletedProcess[str]:
        self.reader.join()
        stdout, stderr = self.output
        return subprocess.CompletedProcess(self.argv, self.proc.returncode, stdout, stderr)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.reader.join(timeout=10)


_early: _Early | None = None
_lock = threading.Lock()


def start(cli_args: list[str]) -> None:
    """Start discovery's find for `orch [global options] COMMAND --dir D ...`; nothing for anything else."""
    global _early
    stack = _stack_dir(cli_args)
    if stack is None:
        return
    binary = find_tool("terragrunt")
    if binary is None:
        return
    # What orchestrator.runs.workspace.build_env gives discovery without --engine.
    env = engine_env(dict(os.environ))
    env.setdefault("TG_LOG_FORMAT", "pretty")
    argv, env = terragrunt_call(str(binary), find_args(with_stacks=False), env)
    try:
        early = _Early(argv, stack, env)
    except OSError:
        return
    with _lock:
        _early = early
    atexit.register(discard)


def take(argv: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str] | None:
    """The early find's result if it is exactly this call; else None (and it is stopped)."""
    global _early
    with _lock:
        early, _early = _early, None
    if early is None:
        return None
    if (early.argv, early.cwd, early.env) != (argv, cwd, env):
        early.stop()
        stats["discarded"] += 1
        return None
    stats["taken"] += 1
    return early.result()


def discard() -> None:
    """Stop an early find nobody took (the command did not discover, or another stack)."""
    global _early
    with _lock:
        early, _early = _early, None
    if early is not None:
        early.stop()


def _stack_dir(cli_args: list[str]) -> Path | None:
    if not STACK_COMMANDS.intersection(cli_args) or {"-h", "--help"}.intersection(cli_args):
        return None
    for index, arg in enumerate(cli_args):
        value = None
        if arg == "--dir" and index + 1 < len(cli_args):
            value = cli_args[index + 1]
        elif arg.startswith("--dir="):
            value = arg.split("=", 1)[1]
        if value:
            path = Path(value).resolve()
            return path if path.is_dir() else None
    return None
