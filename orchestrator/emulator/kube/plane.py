"""A running control plane: its processes, calls to its API server as the emulator, the waits
for readiness, and the Nodes kwok keeps Ready."""

from __future__ import annotations

import contextlib
import json
import signal
import socket
import ssl
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from orchestrator.emulator.kube.binaries import bin_dir

HOST = "127.0.0.1"
# EKS's default service CIDR when kubernetesNetworkConfig names none.
SERVICE_CIDR = "10.100.0.0/16"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


@dataclass
class ControlPlane:
    cluster_name: str
    directory: Path
    endpoint: str
    procs: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    @property
    def pki(self) -> Path:
        return self.directory / "pki"

    @property
    def ca_pem(self) -> bytes:
        return (self.pki / "ca.crt").read_bytes()

    def alive(self) -> bool:
        return bool(self.procs) and all(p.poll() is None for p in self.procs.values())

    def request(
        self, method: str, path: str, body: Any = None, *, timeout: float = 10.0, content_type: str | None = None
    ) -> tuple[int, Any]:
        """A call to the API server as the emulator (system:masters): (status, decoded JSON body)."""
        context = ssl.create_default_context(cafile=str(self.pki / "ca.crt"))
        context.load_cert_chain(str(self.pki / "admin.crt"), str(self.pki / "admin.key"))
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(f"{self.endpoint}{path}", data=data, method=method)
        if data is not None:
            req.add_header("Content-Type", content_type or "application/json")
        try:
            with urllib.request.urlopen(req, timeout=timeout, context=context) as resp:
                return resp.status, decode(resp.read())
        except urllib.error.HTTPError as exc:
            return exc.code, decode(exc.read())

    def apply(self, path: str, obj: dict[str, Any]) -> None:
        """Create `obj` at collection `path`, or leave the one that exists (409)."""
        code, answer = self.request("POST", path, obj)
        if code not in (200, 201, 409):
            raise RuntimeError(f"{self.cluster_name}: POST {path} answered {code}: {answer}")

    def stop(self, timeout: float = 10.0) -> None:
        order = ("kwok", "kube-scheduler", "kube-controller-manager", "kube-apiserver", "etcd")
        for name in order:
            proc = self.procs.get(name)
            if proc is None or proc.poll() is not None:
                continue
            with contextlib.suppress(ProcessLookupError):
                proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=timeout)
        self.procs.clear()


def _die_with_parent() -> None:  # pragma: no cover - runs in the child between fork and exec
    """The component dies with the emulator process, even when that is killed (PR_SET_PDEATHSIG)."""
    import ctypes

    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)


def spawn(name: str, args: list[str], directory: Path) -> subprocess.Popen[bytes]:
    log = open(directory / f"{name}.log", "ab")  # noqa: SIM115 - the child owns it
    try:
        return subprocess.Popen(
            [str(bin_dir() / name), *args],
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            preexec_fn=_die_with_parent,  # only prctl: no Python state in the child
            cwd=directory,
        )
    finally:
        log.close()


def wait_until(plane: ControlPlane, what: str, check: Any, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for name, proc in plane.procs.items():
            if proc.poll() is not None:
                raise RuntimeError(
                    f"{name} of cluster {plane.cluster_name} exited with code {proc.returncode} "
                    f"(log: {plane.directory / (name + '.log')})"
                )
        with contextlib.suppress(Exception):
            if check():
                return
        time.sleep(0.25)
    raise RuntimeError(f"{what} of cluster {plane.cluster_name} not ready within {timeout:.0f}s ({plane.directory})")


def controllers_ran(plane: ControlPlane) -> bool:
    code, view = plane.request("GET", "/apis/rbac.authorization.k8s.io/v1/clusterroles/view", timeout=2)
    if code != 200 or not isinstance(view, dict) or not view.get("rules"):
        return False
    return plane.request("GET", "/api/v1/namespaces/default/serviceaccounts/default", timeout=2)[0] == 200


def fake_node(
    name: str, labels: dict[str, str], *, cpu: str = "2", memory: str = "8Gi", pods: str = "110"
) -> dict[str, Any]:
    """A Node that kwok keeps Ready (annotation kwok.x-k8s.io/node=fake) and runs pods on."""
    return {
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": {
            "name": name,
            "annotations": {"node.alpha.kubernetes.io/ttl": "0", "kwok.x-k8s.io/node": "fake"},
            "labels": {
                "kubernetes.io/hostname": name,
                "kubernetes.io/os": "linux",
                "kubernetes.io/arch": "amd64",
                "type": "kwok",
                **labels,
            },
        },
        "spec": {},
        "status": {
            "allocatable": {"cpu": cpu, "memory": memory, "pods": pods},
            "capacity": {"cpu": cpu, "memory": memory, "pods": pods},
        },
    }


def decode(raw: bytes) -> Any:
    """A JSON answer decoded; anything else (`ok` of /readyz, an error page) as text."""
    try:
        return json.loads(raw) if raw else None
    except ValueError:
        return raw.decode(errors="replace")
