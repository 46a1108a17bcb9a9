"""The engine Terragrunt runs during a delegated `terragrunt run --all` (see orchestrator/runs/delegate.py).

Terragrunt calls this program (through the small `sh` wrapper delegate.py writes, given as
`--tf-path`) instead of OpenTofu for a unit's main command (plan, apply) and for the
credentials it asks before each unit (`--auth-provider-cmd`). It hands the request (working
directory, arguments, environment) to the orch process over the unix socket named by
ORCH_ENGINE_SOCKET, waits for orch to run the engine steps itself, and exits with orch's exit
code. Every other engine call (version, init, output) goes straight to the engine.

It runs once per unit of every delegated run, so it starts as little as Python allows: `python -S -E`
and only the interpreter's C modules (`_socket`, `_json`, `_signal`). The pure-Python `json`,
`socket` and `signal` modules would double its cost (about 30 ms of CPU against 18 on this
project's machine kind, measured: benchmarks/ and docs/development.md). The messages are the same
JSON either way (engine_server.py reads and writes them with `json`).
A Ctrl-C reaches orch, which stops its own engine processes and then answers; so this
process ignores SIGINT/SIGTERM and waits for that answer (or for orch to go away).
"""

from __future__ import annotations

import _json
import _signal  # type: ignore[import-not-found]  # typeshed has no stub for the C half of `signal`
import _socket
import os
import sys

_quote = _json.encode_basestring_ascii


class _Decoding:
    """What `_json.make_scanner` reads from its context (json.JSONDecoder's defaults)."""

    strict = True
    object_hook = None
    object_pairs_hook = None
    parse_float = float
    parse_int = int
    parse_constant = {"-Infinity": float("-inf"), "Infinity": float("inf"), "NaN": float("nan")}.__getitem__


def request_json(cwd: str, args: list[str], env: dict[str, str], pid: int) -> str:
    """The request, as `json.dumps({"cwd": ..., "args": ..., "env": ..., "pid": ...})` would write it."""
    arguments = ", ".join(_quote(a) for a in args)
    environment = ", ".join(f"{_quote(k)}: {_quote(v)}" for k, v in env.items())
    return f'{{"cwd": {_quote(cwd)}, "args": [{arguments}], "env": {{{environment}}}, "pid": {pid}}}'


def parse_answer(data: str) -> dict[str, object]:
    """The answer's JSON object; {} when it is not one (orch went away mid-answer)."""
    text = data.strip()
    if not text:
        return {}
    try:
        value, _end = _json.make_scanner(_Decoding)(text, 0)  # type: ignore[arg-type]  # duck-typed context
    except (ValueError, StopIteration):
        return {}
    return value if isinstance(value, dict) else {}


def main(argv: list[str]) -> int:
    for sig in (_signal.SIGINT, _signal.SIGTERM):
        _signal.signal(sig, _signal.SIG_IGN)
    path = os.environ.get("ORCH_ENGINE_SOCKET", "")
    if not path:
        sys.stderr.write("orch engine shim: ORCH_ENGINE_SOCKET is not set\n")
        return 1
    request = request_json(os.getcwd(), argv, dict(os.environ), os.getpid())
    chunks: list[bytes] = []
    try:
        sock = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM)
        try:
            sock.connect(path)
            sock.sendall(request.encode("utf-8", "surrogateescape") + b"\n")
            while not chunks or not chunks[-1].endswith(b"\n"):
                chunk = sock.recv(65536)
                if not chunk:
                    break
                chunks.append(chunk)
        finally:
            sock.close()
    except OSError as exc:
        sys.stderr.write(f"orch engine shim: orch is not reachable ({exc})\n")
        return 1
    answer = parse_answer(b"".join(chunks).decode("utf-8", "replace"))
    stdout, stderr, rc = answer.get("stdout"), answer.get("stderr"), answer.get("rc", 1)
    if isinstance(stdout, str) and stdout:
        sys.stdout.write(stdout)
        sys.stdout.flush()
    if isinstance(stderr, str) and stderr:
        sys.stderr.write(stderr)
    return rc if isinstance(rc, int) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
