"""The engine Terragrunt runs during a delegated `terragrunt run --all` (see orchestrator/runs/delegate.py).

Terragrunt calls this program (through the small `sh` wrapper delegate.py writes, given as
`--tf-path`) instead of OpenTofu for a unit's main command (plan, apply) and for the
credentials it asks before each unit (`--auth-provider-cmd`). It hands the request (working
directory, arguments, environment) to the orch process over the unix socket named by
ORCH_ENGINE_SOCKET, waits for orch to run the engine steps itself, and exits with orch's exit
code. Every other engine call (version, init, output) goes straight to the engine.

Standard library only and started with `python -S -E`: it costs a few milliseconds.
A Ctrl-C reaches orch, which stops its own engine processes and then answers; so this
process ignores SIGINT/SIGTERM and waits for that answer (or for orch to go away).
"""

from __future__ import annotations

import json
import os
import signal
import socket
import sys


def main(argv: list[str]) -> int:
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, signal.SIG_IGN)
    path = os.environ.get("ORCH_ENGINE_SOCKET", "")
    if not path:
        sys.stderr.write("orch engine shim: ORCH_ENGINE_SOCKET is not set\n")
        return 1
    request = {"cwd": os.getcwd(), "args": argv, "env": dict(os.environ), "pid": os.getpid()}
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.connect(path)
            sock.sendall(json.dumps(request).encode() + b"\n")
            data = b""
            while not data.endswith(b"\n"):
                chunk = sock.recv(65536)
                if not chunk:
                    break
                data += chunk
    except OSError as exc:
        sys.stderr.write(f"orch engine shim: orch is not reachable ({exc})\n")
        return 1
    try:
        answer = json.loads(data or b"{}")
    except ValueError:
        answer = {}
    if answer.get("stdout"):
        sys.stdout.write(answer["stdout"])
        sys.stdout.flush()
    if answer.get("stderr"):
        sys.stderr.write(answer["stderr"])
    return int(answer.get("rc", 1))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
