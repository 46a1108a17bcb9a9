"""The embedded AWS emulator: a moto server process on 127.0.0.1 that `--local` runs target.

Lifecycle
    start(state_dir, port=None, account_id=None) -> EmulatorStatus   (`orch local up`)
    stop(state_dir) -> bool                                          (`orch local down`)
    status(state_dir) -> EmulatorStatus | None                       (`orch local status`)
    ensure_running(state_dir) -> EmulatorStatus                      (`--local` auto-start)

Files under `<repo>/.orch/local/` (or ORCH_STATE_DIR/local): `moto.pid`, `state.json`
(endpoint, port, pid, account_id, started_at) and `moto.log`. The server is a child
process in its own session, so it outlives the orch command that started it: `--local`
auto-start leaves it running for the next command; `orch local down` stops it.

Account mapping: moto answers every call as one account (its default 123456789012, or
MOTO_ACCOUNT_ID in the server's environment), except calls signed with credentials its STS
issued for a role of another account, which are that account (emulator.patches.accounts).
`orch local up` starts it with the account
given by `--account-id`, else ORCH_LOCAL_ACCOUNT_ID, else 123456789012, and records it in
`state.json`. A running server found through `ORCH_LOCAL_ENDPOINT` (one orch did not start)
is expected to be ORCH_LOCAL_ACCOUNT_ID or 123456789012. The expected account stands in for
the environment's `account_id` in local mode; the account guard compares the emulator's
real `sts:GetCallerIdentity` with it, so a moto started with another account is refused.

Health: GET /moto-api/ must answer 200.
"""

from __future__ import annotations

import contextlib
import fcntl
import http.client
import json
import os
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

from pydantic import BaseModel

from orchestrator import settings
from orchestrator.errors import OrchError
from orchestrator.pids import pid_alive
from orchestrator.tools import venv_bin

DEFAULT_ACCOUNT_ID = "123456789012"
HOST = "127.0.0.1"
# Test credentials moto accepts; not secrets.
TEST_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test"}


class EmulatorError(OrchError):
    """The emulator could not be started, reached or stopped."""


class EmulatorStatus(BaseModel):
    endpoint: str
    pid: int | None
    account_id: str
    port: int
    healthy: bool = True
    started_at: str | None = None
    log: str | None = None
    ca_bundle: str | None = None  # the self-signed certificate of an HTTPS emulator
    # CONNECT proxy for account-prefixed S3 Control hosts (see emulator.patches.s3control_proxy).
    proxy: str | None = None

    def to_json(self) -> dict[str, object]:
        return {
            "endpoint": self.endpoint,
            "pid": self.pid,
            "account_id": self.account_id,
            "proxy": self.proxy,
            "ca_bundle": self.ca_bundle,
        }

    def shell_env(self, region: str) -> dict[str, str]:
        """What the AWS CLI and boto3 need to talk to this emulator (`orch local env`)."""
        env = {
            "AWS_ENDPOINT_URL": self.endpoint,
            "AWS_REGION": region,
            "AWS_DEFAULT_REGION": region,
            **TEST_CREDENTIALS,
        }
        if self.ca_bundle:
            env["AWS_CA_BUNDLE"] = self.ca_bundle
        return env


def default_state_dir() -> Path:
    return settings.state_dir() / "local"


def expected_account_id() -> str:
    return settings.local_account_id() or DEFAULT_ACCOUNT_ID


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def healthy(endpoint: str, timeout: float = 2.0, cafile: Path | None = None) -> bool:
    context = None
    if endpoint.startswith("https://"):
        cafile = cafile or (Path(os.environ["AWS_CA_BUNDLE"]) if os.environ.get("AWS_CA_BUNDLE") else None)
        context = ssl.create_default_context(cafile=str(cafile) if cafile and cafile.exists() else None)
    try:
        with urllib.request.urlopen(f"{endpoint}/moto-api/", timeout=timeout, context=context) as resp:
            return cast(http.client.HTTPResponse, resp).status == 200
    except (urllib.error.URLError, OSError, ValueError):
        return False


def _moto_server() -> list[str]:
    if not (venv_bin() / "moto_server").exists():
        try:
            import moto  # noqa: F401
        except ImportError:
            raise EmulatorError(
                "moto is not installed", hint="pip install 'moto[server]' (or ./scripts/setup.sh)"
            ) from None
    return [sys.executable, "-m", "orchestrator.emulator.server"]


def _read_state(state_dir: Path) -> dict[str, Any] | None:
    path = state_dir / "state.json"
    try:
        return cast("dict[str, Any]", json.loads(path.read_text()))
    except (OSError, ValueError):
        return None


def _recorded(state_dir: Path) -> EmulatorStatus | None:
    state = _read_state(state_dir)
    if state:
        pid = state.get("pid")
        cafile = Path(state["ca_bundle"]) if state.get("ca_bundle") else None
        if pid and pid_alive(int(pid)) and healthy(state["endpoint"], cafile=cafile):
            return EmulatorStatus(
                **{k: state[k] for k in ("endpoint", "pid", "account_id", "port")},
                started_at=state.get("started_at"),
                log=state.get("log"),
                ca_bundle=state.get("ca_bundle"),
                proxy=state.get("proxy"),
            )
    return None


def status(state_dir: Path | None = None) -> EmulatorStatus | None:
    """The emulator orch started (from state.json), or one named by ORCH_LOCAL_ENDPOINT; None if down."""
    state_dir = state_dir or default_state_dir()
    external = (settings.local_endpoint() or "").rstrip("/")
    recorded = _recorded(state_dir)
    if recorded is not None and (not external or external == recorded.endpoint):
        return recorded
    if external and healthy(external):
        port = int(external.rsplit(":", 1)[-1].strip("/")) if ":" in external.split("//", 1)[-1] else 80
        return EmulatorStatus(endpoint=external.rstrip("/"), pid=None, account_id=expected_account_id(), port=port)
    return None


def start(
    state_dir: Path | None = None, *, port: int | None = None, account_id: str | None = None, timeout: float = 30.0
) -> EmulatorStatus:
    """Start a moto server (or return the healthy one already recorded in state_dir)."""
    state_dir = state_dir or default_state_dir()
    state_dir.mkdir(parents=True, exist_ok=True)
    # One starter at a time: two `--local` commands launched together share one server.
    with open(state_dir / ".start.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        current = _recorded(state_dir)
        if current is not None:
            return current
        return _start(state_dir, port=port, account_id=account_id, timeout=timeout)


def _start(state_dir: Path, *, port: int | None, account_id: str | None, timeout: float) -> EmulatorStatus:
    account = account_id or expected_account_id()
    port = port or free_port()
    proxy_port = free_port()
    state_dir.mkdir(parents=True, exist_ok=True)
    log_path = state_dir / "moto.log"
    env = _server_env(account, port, proxy_port)
    from orchestrator.emulator.tls import ensure_certificate

    command = _moto_server()
    cert, key = ensure_certificate(state_dir, account)
    # Where the clusters' local Kubernetes control planes live and how they reach the emulator's
    # webhooks (emulator.patches.kube, emulator.kube).
    env["ORCH_EMULATOR_STATE_DIR"], env["ORCH_EMULATOR_CA"] = str(state_dir), str(cert)
    with open(log_path, "ab") as log:
        proc = subprocess.Popen(
            [*command, "-H", HOST, "-p", str(port), "-c", str(cert), "-k", str(key)],
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=env,
            start_new_session=True,
        )
    endpoint = f"https://{HOST}:{port}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise EmulatorError(f"moto server exited with code {proc.returncode} (log: {log_path})")
        if healthy(endpoint, timeout=1.0, cafile=cert):
            break
        time.sleep(0.2)
    else:
        proc.kill()
        raise EmulatorError(f"moto server did not answer {endpoint}/moto-api/ within {timeout:.0f}s (log: {log_path})")
    started = datetime.now(UTC).isoformat(timespec="seconds")
    proxy = f"http://{HOST}:{proxy_port}"
    record = {
        "endpoint": endpoint,
        "port": port,
        "pid": proc.pid,
        "account_id": account,
        "started_at": started,
        "log": str(log_path),
        "ca_bundle": str(cert),
        "proxy": proxy,
    }
    (state_dir / "state.json").write_text(json.dumps(record, indent=2) + "\n")
    (state_dir / "moto.pid").write_text(f"{proc.pid}\n")
    return EmulatorStatus(
        endpoint=endpoint,
        pid=proc.pid,
        account_id=account,
        port=port,
        started_at=started,
        log=str(log_path),
        ca_bundle=str(cert),
        proxy=proxy,
    )


def _server_env(account: str, port: int, proxy_port: int) -> dict[str, str]:
    """The moto server's environment: none of the caller's AWS_* settings, orch importable."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env["MOTO_ACCOUNT_ID"] = account
    # AWS managed policies (arn:aws:iam::aws:policy/...) exist as on AWS, so attachments work.
    env.setdefault("MOTO_IAM_LOAD_MANAGED_POLICIES", "true")
    env["PYTHONUNBUFFERED"] = "1"
    env["ORCH_EMULATOR_PORT"], env["ORCH_EMULATOR_PROXY_PORT"] = str(port), str(proxy_port)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(settings.REPO_ROOT), env.get("PYTHONPATH")]))
    return env


def terragrunt_cache_dir(status: EmulatorStatus, state_dir: Path | None = None) -> Path:
    """Terragrunt's download dir for local runs against this emulator (see session.open_session)."""
    return (state_dir or default_state_dir()) / "tg-cache" / str(status.port)


def ensure_running(state_dir: Path | None = None) -> EmulatorStatus:
    """The running emulator (ORCH_LOCAL_ENDPOINT or the recorded one), else start one."""
    external = settings.local_endpoint()
    if external:
        found = status(state_dir)
        if found is None:
            raise EmulatorError(
                f"ORCH_LOCAL_ENDPOINT={external} does not answer {external}/moto-api/",
                hint="start that emulator again, or unset ORCH_LOCAL_ENDPOINT so that `orch --local local up` "
                "(and --local) run orch's own",
            )
        return found
    return status(state_dir) or start(state_dir)


def stop(state_dir: Path | None = None, timeout: float = 10.0) -> bool:
    """Stop the emulator recorded in state_dir. True when one was running."""
    state_dir = state_dir or default_state_dir()
    state = _read_state(state_dir)
    was_running = False
    if state and state.get("pid"):
        pid = int(state["pid"])
        if pid_alive(pid):
            was_running = True
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline and pid_alive(pid):
                with contextlib.suppress(ChildProcessError, OSError):
                    os.waitpid(pid, os.WNOHANG)
                time.sleep(0.1)
            if pid_alive(pid):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            with contextlib.suppress(ChildProcessError, OSError):
                os.waitpid(pid, os.WNOHANG)
    for name in ("state.json", "moto.pid"):
        with contextlib.suppress(FileNotFoundError):
            (state_dir / name).unlink()
    # Source copies initialised against this emulator's (now gone) endpoint; its clusters' control planes.
    shutil.rmtree(state_dir / "tg-cache", ignore_errors=True)
    shutil.rmtree(state_dir / "kube", ignore_errors=True)
    return was_running
