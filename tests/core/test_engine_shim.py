"""The engine shim of delegated runs, in its two builds: orchestrator/runs/engine_shim.py (C modules only)
and the Go one scripts/setup.sh builds from scripts/engine-shim. Both must hand orch the very request
(working directory, arguments, environment byte for byte) and honour its answer; a run uses the Go
build whenever it exists, so the Python one is the fallback that must not drift from it.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from orchestrator.runs.engine_server import (
    SHIM,
    EngineServer,
    go_shim,
    read_line,
    shim_command,
    shim_paths,
    wrapper_script,
)

#: An environment with what a JSON encoder can get wrong: quotes, backslashes, control characters,
#: DEL, non-ASCII (one beyond the BMP), bytes that are not UTF-8 (surrogateescape), an empty value.
TRICKY_ENV = {
    "LANG": "C.UTF-8",  # no locale coercion: Python would add LC_CTYPE to its own environment
    "PLAIN": "a b",
    "QUOTES": 'say "hi" \\ bye',
    "CONTROL": "tab\there\nnew line\r\x01\x1f\x7f",
    "UNICODE": "caf\u00e9 \u2713 \U0001f600",
    "NOT_UTF8": "caf\udce9 \udcff",
    "EMPTY": "",
}


def _python_shim() -> list[str]:
    return [sys.executable, "-S", "-E", str(SHIM)]


def _go_shim() -> list[str]:
    binary = go_shim()
    if binary is None:
        if os.environ.get("ORCH_TEST_REQUIRE_ENGINES") == "1":
            pytest.fail("the Go engine shim is not built: ./scripts/setup.sh builds it")
        pytest.skip("the Go engine shim is not built: run ./scripts/setup.sh (needs go)")
    return [str(binary)]


class _RawServer:
    """A socket that records each request line as sent and answers with `answer` (the protocol alone)."""

    def __init__(self, path: Path, answer: bytes) -> None:
        self.requests: list[bytes] = []
        self._answer = answer
        self._sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self._sock.bind(str(path))
        self._sock.listen(4)
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self._sock.accept()
            except OSError:
                return
            with conn:
                self.requests.append(read_line(conn))
                conn.sendall(self._answer)

    def close(self) -> None:
        self._sock.close()


def _run(shim: list[str], cwd: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([*shim, *args], cwd=cwd, env=env, capture_output=True, timeout=30, check=False)


def test_both_shims_send_the_same_request_byte_for_byte(tmp_path: Path) -> None:
    """Same JSON line from both builds, pid aside, with every tricky value; the working directory is the
    physical one even when the shim starts in a symlinked one (os.getcwd(), not $PWD)."""
    real = tmp_path / "unit dir é"
    real.mkdir()
    linked = tmp_path / "link"
    linked.symlink_to(real)
    server = _RawServer(tmp_path / "s.sock", b'{"rc": 0}\n')
    env = {**TRICKY_ENV, "ORCH_ENGINE_SOCKET": str(tmp_path / "s.sock"), "PWD": str(linked)}
    args = ("plan", "-out=x y.tfplan", '-var=q="1"', "\u00e9", "caf\udce9")
    try:
        for shim in (_python_shim(), _go_shim()):
            proc = _run(shim, linked, env, *args)
            assert proc.returncode == 0, proc.stderr
    finally:
        server.close()
    python_line, go_line = server.requests
    python_request, go_request = json.loads(python_line), json.loads(go_line)
    assert python_request.pop("pid") > 0 and go_request.pop("pid") > 0
    assert python_request == go_request
    assert python_request["cwd"] == str(real)
    assert python_request["args"] == list(args)
    assert {k: python_request["env"][k] for k in TRICKY_ENV} == TRICKY_ENV
    # Byte for byte, once the pids are the same.
    assert python_line.replace(b'"pid": ', b"").rstrip(b"0123456789}\n") == go_line.replace(b'"pid": ', b"").rstrip(
        b"0123456789}\n"
    )


@pytest.mark.parametrize("build", ["python", "go"])
def test_a_shim_prints_orchs_answer_and_exits_with_its_code(tmp_path: Path, build: str) -> None:
    """Through the real EngineServer: stdout and stderr as orch sent them, the exit code orch chose."""
    shim = _python_shim() if build == "python" else _go_shim()
    seen: list[dict[str, object]] = []

    def answer(request: dict[str, object]) -> dict[str, object]:
        seen.append(request)
        return {"rc": 3, "stdout": '{"envs": {"AWS_REGION": "eu-west-1"}}', "stderr": "caf\u00e9 said no\n"}

    server = EngineServer(tmp_path / "e.sock", answer)
    server.start()
    try:
        proc = _run(shim, tmp_path, {"LANG": "C.UTF-8", "ORCH_ENGINE_SOCKET": str(tmp_path / "e.sock")}, "apply")
    finally:
        server.join()
        server.close()
    assert proc.returncode == 3
    assert proc.stdout == b'{"envs": {"AWS_REGION": "eu-west-1"}}'
    assert proc.stderr == "caf\u00e9 said no\n".encode()
    assert seen and seen[0]["args"] == ["apply"]


@pytest.mark.parametrize("build", ["python", "go"])
def test_a_shim_without_orch_fails_with_one_line(tmp_path: Path, build: str) -> None:
    """No socket (orch gone) or no answer: exit 1 and a line that says so, never a hang or exit 0."""
    shim = _python_shim() if build == "python" else _go_shim()
    gone = _run(shim, tmp_path, {"LANG": "C.UTF-8", "ORCH_ENGINE_SOCKET": str(tmp_path / "none.sock")}, "plan")
    assert gone.returncode == 1
    assert b"orch engine shim: orch is not reachable" in gone.stderr
    unset = _run(shim, tmp_path, {"LANG": "C.UTF-8"}, "plan")
    assert unset.returncode == 1 and b"ORCH_ENGINE_SOCKET is not set" in unset.stderr
    server = _RawServer(tmp_path / "mute.sock", b"")  # closes without an answer
    try:
        mute = _run(shim, tmp_path, {"LANG": "C.UTF-8", "ORCH_ENGINE_SOCKET": str(tmp_path / "mute.sock")}, "plan")
    finally:
        server.close()
    assert mute.returncode == 1


def test_runs_use_the_go_shim_when_it_is_built(tmp_path: Path) -> None:
    """The wrapper a run writes starts the Go build (shim_command), and the Python one only without it."""
    binary = _go_shim()[0]
    assert shim_command() == [binary]
    script = wrapper_script("/opt/engine/tofu")
    assert f"exec {binary} " in script
    assert str(SHIM) not in script
    fallback = wrapper_script("/opt/engine/tofu", _python_shim())
    assert f"{SHIM} " in fallback and binary not in fallback


@pytest.mark.parametrize("build", ["python", "go"])
def test_a_waiting_shim_is_not_one_of_terragrunts_unit_processes(tmp_path: Path, build: str) -> None:
    """--timeout stops the processes Terragrunt runs to prepare a unit (unit_processes), never the shim
    that waits for orch's answer (orch stops that unit's engine steps itself), whichever build it is."""
    from orchestrator.runs.unit_processes import unit_processes

    shim = _python_shim() if build == "python" else _go_shim()
    unit = tmp_path / "10-a"
    unit.mkdir()
    # A socket nobody accepts on: the shim connects, sends, and waits for an answer that never comes.
    quiet = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    quiet.bind(str(tmp_path / "q.sock"))
    quiet.listen(4)
    env = {"LANG": "C.UTF-8", "ORCH_ENGINE_SOCKET": str(tmp_path / "q.sock")}
    # One parent (in Terragrunt's place) with a shim and a hook-like process below it, both in the unit.
    parent = subprocess.Popen(
        ["sh", "-c", f"{' '.join(shim)} plan & sleep 30 & wait"], cwd=unit, env=env, start_new_session=True
    )
    try:
        found: dict[str, list[int]] = {}
        for _ in range(100):
            found = unit_processes(parent.pid, lambda cwd: "10-a" if cwd == str(unit) else None, shim_paths())
            # Both children started their programs (the shim waits, `sleep` sleeps) before looking.
            started = [Path(f"/proc/{c}/cmdline").read_bytes() for c in _children(parent.pid)]
            if len(started) < 2 or any(c.startswith(b"sh\0") for c in started):
                found = {}
            if found.get("10-a"):
                break
            threading.Event().wait(0.05)
        cmdlines = [Path(f"/proc/{pid}/cmdline").read_bytes() for pid in found.get("10-a", [])]
        assert cmdlines and all(c.startswith(b"sleep") for c in cmdlines), cmdlines
    finally:
        os.killpg(parent.pid, 9)
        parent.wait()
        quiet.close()


def _children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []
