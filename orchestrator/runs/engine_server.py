"""The unix socket a delegated run's engine shims talk to, and the wrapper Terragrunt runs as its engine.

Terragrunt runs the wrapper (`--tf-path`) for every engine call of every unit: `version`, `init`,
`output` and the rest go straight to the engine (but for the `init` and `output` calls it answers
itself: engine_shortcuts.py); a unit's main command (`plan`, `apply`) and
Terragrunt's credentials request run the engine shim, which sends one JSON request (working
directory, arguments, environment) over the socket and exits with the code of the answer: the Go
build of scripts/engine-shim that scripts/setup.sh leaves in orch's cache (about 4 ms of CPU a
call), else orchestrator/runs/engine_shim.py (about 20 ms), which sends the same bytes. Each
request is answered in a thread of its own, as a unit's engine steps take as long as they take.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shlex
import socket
import sys
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from orchestrator import engine_probe, settings
from orchestrator.runs.engine_shortcuts import wrapper_cases
from orchestrator.waits import join_thread

SHIM = Path(__file__).resolve().parent / "engine_shim.py"
#: The Go shim's source; scripts/setup.sh builds it to go_shim()'s path.
GO_SHIM_SOURCE = settings.REPO_ROOT / "scripts" / "engine-shim"
GO_SHIM_FILES = ("go.mod", "main.go")
#: Engine subcommands the shim hands to orch; anything else goes to the engine directly.
SERVED = ("plan", "apply", "destroy")
CREDENTIALS = "__orch_credentials"


@dataclass
class Request:
    """One engine call Terragrunt made for a unit: where, with which arguments and environment."""

    cwd: Path
    args: list[str]
    env: dict[str, str]


def go_shim() -> Path | None:
    """The Go shim scripts/setup.sh built from this checkout's source (keyed by its sha256), if it did."""
    try:
        source = b"".join((GO_SHIM_SOURCE / name).read_bytes() for name in GO_SHIM_FILES)
    except OSError:
        return None
    digest = hashlib.sha256(source).hexdigest()[:16]
    binary = settings.cache_dir() / "tools" / "engine-shim" / digest / "orch-engine-shim"
    return binary if os.access(binary, os.X_OK) else None


def shim_paths() -> list[Path]:
    """Every program that is an engine shim here: what marks a shim among Terragrunt's processes."""
    binary = go_shim()
    return [SHIM] if binary is None else [SHIM, binary]


def shim_command(python: str = sys.executable) -> list[str]:
    """How the wrapper starts the shim: the Go build when there is one, else the Python shim."""
    binary = go_shim()
    return [str(binary)] if binary is not None else [python, "-S", "-E", str(SHIM)]


def wrapper_script(
    engine: str,
    shim: list[str] | None = None,
    *,
    token: str | None = None,
    answers: Path | None = None,
    env: Mapping[str, str] | None = None,
) -> str:
    """The `--tf-path` of one run, handing the served commands to `shim` (default: shim_command()).
    With `token` and `answers`, it also answers the `init` and `output` calls engine_shortcuts.py
    describes, without starting a process; with `env` (Terragrunt's), also Terragrunt's `-version`
    probe (engine_probe.py)."""
    q = shlex.quote
    served = "|".join((*SERVED, CREDENTIALS))
    start_shim = " ".join(q(part) for part in (shim or shim_command()))
    shortcuts = wrapper_cases(token, answers) if token is not None and answers is not None else ""
    return (
        "#!/bin/sh\n"
        "# Written by orch for one `terragrunt run --all` (orchestrator/runs/delegate.py).\n"
        f"{engine_probe.sh_answer(Path(engine), env) if env is not None else ''}"
        f'case "$1" in\n  {served}) exec {start_shim} "$@" ;;\n{shortcuts}esac\n'
        f'exec {q(engine)} "$@"\n'
    )


def read_line(conn: socket.socket) -> bytes:
    """One message of the shims' protocol: bytes up to a newline (without one: the peer closed first)."""
    data = b""
    while not data.endswith(b"\n"):
        chunk = conn.recv(65536)
        if not chunk:
            break
        data += chunk
    return data


class EngineServer:
    """Answers each shim's request with `answer(request)` (a dict: rc, and stdout/stderr to print)."""

    def __init__(self, path: Path, answer: Callable[[dict[str, Any]], dict[str, Any]]) -> None:
        self.path = path
        self.answer = answer
        self._socket = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self._handlers: set[threading.Thread] = set()
        self._handlers_lock = threading.Lock()

    def start(self) -> None:
        self._socket.bind(str(self.path))
        self._socket.listen(128)
        threading.Thread(target=self._accept, daemon=True, name="orch-engine-accept").start()

    def close(self) -> None:
        self._socket.close()

    def join(self) -> None:
        """Wait for the requests still being answered (when Terragrunt ended first: killed by a
        second Ctrl-C), so every served unit has its result."""
        while True:
            with self._handlers_lock:
                pending = list(self._handlers)
            if not pending:
                return
            for thread in pending:
                join_thread(thread)

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self._socket.accept()
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

    def _handle(self, conn: socket.socket) -> None:
        with conn:
            data = read_line(conn)
            if not data.endswith(b"\n"):
                return  # the shim went away before its request was whole
            answer = self.answer(json.loads(data))
            with contextlib.suppress(OSError):
                conn.sendall(json.dumps(answer).encode() + b"\n")
