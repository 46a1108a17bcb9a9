"""The local twin of an EKS control plane: etcd, kube-apiserver, kube-controller-manager,
kube-scheduler and kwok (simulated nodes), built from the Go module proxy by
scripts/install-tools.sh (`k8s:` lines of scripts/tools.lock) and linked into .venv/bin.

The emulator starts one control plane per EKS cluster when CreateCluster is called, as EKS does
(orchestrator/emulator/patches/kube.py), and stops it with DeleteCluster or the emulator. Each
control plane has its own CA (DescribeCluster's certificateAuthority), its own service-account
issuer (the cluster's OIDC issuer) and lives in `<state dir>/kube/<cluster>/` (etcd data, keys,
logs). Authentication and authorization follow EKS: the API server asks the emulator (its token
and authorization webhooks) who a `k8s-aws-v1.` token is and what the caller's access policies
allow; the control plane's own components use client certificates.

Nothing here runs in orch's process during a run: the emulator process calls `start`/`stop`.
"""

from __future__ import annotations

import contextlib
import ipaddress
import json
import os
import shutil
import signal
import socket
import ssl
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from orchestrator import settings
from orchestrator.tools import venv_bin

HOST = "127.0.0.1"
BINARIES = ("etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler", "kwok")
# EKS's default service CIDR when kubernetesNetworkConfig names none.
SERVICE_CIDR = "10.100.0.0/16"
# How long the API server caches the webhooks' answers: short, so that an access entry or policy
# association is in force by the next call (EKS propagates them within seconds too).
KWOK_STAGES = Path(__file__).with_name("kwok_stages.yaml")
WEBHOOK_CACHE = {"authn": "5s", "authorized": "5s", "unauthorized": "1s"}


class KubeUnavailable(RuntimeError):
    """The Kubernetes binaries are not installed (scripts/install-tools.sh --only kube)."""


def bin_dir() -> Path:
    return settings.kube_bin_dir() or venv_bin()


def missing_binaries() -> list[str]:
    return [name for name in BINARIES if not os.access(bin_dir() / name, os.X_OK)]


def available() -> bool:
    """True when every control-plane binary is installed and local Kubernetes is not turned off
    (ORCH_LOCAL_KUBE=0)."""
    return settings.local_kube() and not missing_binaries()


def unavailable_reason() -> str:
    if not settings.local_kube():
        return "ORCH_LOCAL_KUBE=0 turns the local Kubernetes API off"
    missing = missing_binaries()
    return (
        f"the local Kubernetes control plane is not built ({', '.join(missing)} missing in {bin_dir()}; "
        "scripts/install-tools.sh --only kube)"
        if missing
        else ""
    )


def emulator_serves_kube(endpoint: str, ca_bundle: str | None) -> bool:
    """Whether the emulator at `endpoint` gives its clusters a Kubernetes API (its /orch/kube/status)."""
    context = ssl.create_default_context(cafile=ca_bundle) if endpoint.startswith("https://") else None
    try:
        with urllib.request.urlopen(f"{endpoint}/orch/kube/status", timeout=5, context=context) as resp:
            return bool(json.loads(resp.read()).get("available"))
    except (OSError, ValueError, AttributeError):
        return False


def summary(endpoint: str, ca_bundle: str | None) -> str:
    """One line for `orch local up`: whether the emulator's clusters get a Kubernetes API."""
    if emulator_serves_kube(endpoint, ca_bundle):
        return "kubernetes: each EKS cluster gets a local API server (kube-apiserver, etcd, kwok nodes)"
    return f"kubernetes: off ({unavailable_reason() or 'the emulator serves no Kubernetes API'})"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


# ------------------------------------------------------------------------------------------
# certificates
# ------------------------------------------------------------------------------------------


def _pem_key(key: Any) -> bytes:
    from cryptography.hazmat.primitives import serialization

    return bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )


def _write_secret(path: Path, data: bytes) -> None:
    path.unlink(missing_ok=True)
    path.touch(mode=0o600)
    path.write_bytes(data)


def _issue(
    ca_key: Any, ca_name: Any, common_name: str, *, orgs: tuple[str, ...] = (), server: bool = False
) -> tuple[bytes, bytes]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    attrs = [x509.NameAttribute(NameOID.ORGANIZATION_NAME, o) for o in orgs]
    attrs.append(x509.NameAttribute(NameOID.COMMON_NAME, common_name))
    now = datetime.now(UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(x509.Name(attrs))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH if server else ExtendedKeyUsageOID.CLIENT_AUTH]),
            critical=False,
        )
    )
    if server:
        service_ip = ipaddress.ip_address(str(next(ipaddress.ip_network(SERVICE_CIDR).hosts())))
        builder = builder.add_extension(
            x509.SubjectAlternativeName(
                [
                    x509.DNSName("localhost"),
                    x509.DNSName("kubernetes"),
                    x509.DNSName("kubernetes.default"),
                    x509.DNSName("kubernetes.default.svc"),
                    x509.DNSName("kubernetes.default.svc.cluster.local"),
                    x509.IPAddress(ipaddress.ip_address(HOST)),
                    x509.IPAddress(service_ip),
                ]
            ),
            critical=False,
        )
    cert = builder.sign(ca_key, hashes.SHA256())
    return cert.public_bytes(serialization.Encoding.PEM), _pem_key(key)


def make_pki(pki: Path, cluster_name: str) -> None:
    """The cluster's CA, the API server's serving certificate, client certificates of the control
    plane's components and the service-account signing key, under `pki`."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec, rsa
    from cryptography.x509.oid import NameOID

    pki.mkdir(parents=True, exist_ok=True)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"kubernetes ({cluster_name}, orch local)")])
    now = datetime.now(UTC)
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                key_encipherment=False,
                key_cert_sign=True,
                content_commitment=False,
                data_encipherment=False,
                key_agreement=False,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(ca_key, hashes.SHA256())
    )
    (pki / "ca.crt").write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    _write_secret(pki / "ca.key", _pem_key(ca_key))
    cert, key = _issue(ca_key, ca_name, "kube-apiserver", server=True)
    (pki / "apiserver.crt").write_bytes(cert)
    _write_secret(pki / "apiserver.key", key)
    # Client identities: the components' own (bootstrap RBAC binds them); the emulator and kwok
    # act as the cluster's operator does on EKS (system:masters, never reachable by a token).
    for name, cn, orgs in (
        ("controller-manager", "system:kube-controller-manager", ()),
        ("scheduler", "system:kube-scheduler", ()),
        ("kwok", "kwok-controller", ("system:masters",)),
        ("admin", "eks:orch-emulator", ("system:masters",)),
    ):
        cert, key = _issue(ca_key, ca_name, cn, orgs=orgs)
        (pki / f"{name}.crt").write_bytes(cert)
        _write_secret(pki / f"{name}.key", key)
    sa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    _write_secret(pki / "sa.key", _pem_key(sa_key))
    (pki / "sa.pub").write_bytes(
        sa_key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )


def kubeconfig(server: str, ca_file: Path, cert: Path | None = None, key: Path | None = None) -> str:
    user: dict[str, Any] = {}
    if cert and key:
        user = {"client-certificate": str(cert), "client-key": str(key)}
    return json.dumps(
        {
            "apiVersion": "v1",
            "kind": "Config",
            "clusters": [{"name": "c", "cluster": {"server": server, "certificate-authority": str(ca_file)}}],
            "users": [{"name": "u", "user": user}],
            "contexts": [{"name": "c", "context": {"cluster": "c", "user": "u"}}],
            "current-context": "c",
        },
        indent=2,
    )


# ------------------------------------------------------------------------------------------
# the control plane
# ------------------------------------------------------------------------------------------


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
                return resp.status, _decode(resp.read())
        except urllib.error.HTTPError as exc:
            return exc.code, _decode(exc.read())

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


def _spawn(name: str, args: list[str], directory: Path) -> subprocess.Popen[bytes]:
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


def _wait(plane: ControlPlane, what: str, check: Any, timeout: float) -> None:
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


def start(
    cluster_name: str,
    directory: Path,
    *,
    webhook_base: str,
    webhook_ca: Path | None,
    issuer: str,
    service_cidr: str = SERVICE_CIDR,
    timeout: float = 120.0,
) -> ControlPlane:
    """Start the control plane of `cluster_name` in `directory` (made afresh) and wait for it.

    webhook_base: the emulator's URL of this cluster's webhooks (`<base>/authenticate`, `<base>/authorize`).
    """
    if not available():
        raise KubeUnavailable(unavailable_reason())
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True)
    pki = directory / "pki"
    make_pki(pki, cluster_name)
    etcd_port, peer_port, api_port = free_port(), free_port(), free_port()
    endpoint = f"https://{HOST}:{api_port}"
    plane = ControlPlane(cluster_name, directory, endpoint)
    for kind in ("authenticate", "authorize"):
        (directory / f"{kind}-webhook.kubeconfig").write_text(
            kubeconfig(f"{webhook_base}/{kind}", webhook_ca)
            if webhook_ca
            else _plain_kubeconfig(f"{webhook_base}/{kind}")
        )
    for name in ("controller-manager", "scheduler", "kwok", "admin"):
        (directory / f"{name}.kubeconfig").write_text(
            kubeconfig(endpoint, pki / "ca.crt", pki / f"{name}.crt", pki / f"{name}.key")
        )
    try:
        etcd_url = f"http://{HOST}:{etcd_port}"
        plane.procs["etcd"] = _spawn(
            "etcd",
            [
                "--name=default",
                f"--data-dir={directory / 'etcd'}",
                f"--listen-client-urls={etcd_url}",
                f"--advertise-client-urls={etcd_url}",
                f"--listen-peer-urls=http://{HOST}:{peer_port}",
                f"--initial-advertise-peer-urls=http://{HOST}:{peer_port}",
                f"--initial-cluster=default=http://{HOST}:{peer_port}",
                "--unsafe-no-fsync=true",  # a throwaway store: speed over durability
                "--log-level=warn",
            ],
            directory,
        )
        _wait(plane, "etcd", lambda: urllib.request.urlopen(f"{etcd_url}/health", timeout=1).status == 200, 30)
        plane.procs["kube-apiserver"] = _spawn(
            "kube-apiserver",
            [
                f"--etcd-servers={etcd_url}",
                f"--bind-address={HOST}",
                f"--advertise-address={HOST}",
                f"--secure-port={api_port}",
                f"--tls-cert-file={pki / 'apiserver.crt'}",
                f"--tls-private-key-file={pki / 'apiserver.key'}",
                f"--client-ca-file={pki / 'ca.crt'}",
                f"--service-account-key-file={pki / 'sa.pub'}",
                f"--service-account-signing-key-file={pki / 'sa.key'}",
                f"--service-account-issuer={issuer}",
                f"--api-audiences={issuer},https://kubernetes.default.svc",
                f"--service-cluster-ip-range={service_cidr}",
                "--allow-privileged=true",
                "--authorization-mode=Node,RBAC,Webhook",
                f"--authentication-token-webhook-config-file={directory / 'authenticate-webhook.kubeconfig'}",
                "--authentication-token-webhook-version=v1",
                f"--authentication-token-webhook-cache-ttl={WEBHOOK_CACHE['authn']}",
                f"--authorization-webhook-config-file={directory / 'authorize-webhook.kubeconfig'}",
                "--authorization-webhook-version=v1",
                f"--authorization-webhook-cache-authorized-ttl={WEBHOOK_CACHE['authorized']}",
                f"--authorization-webhook-cache-unauthorized-ttl={WEBHOOK_CACHE['unauthorized']}",
                "--anonymous-auth=false",
                "--profiling=false",
                "--endpoint-reconciler-type=none",
                "--v=1",
            ],
            directory,
        )
        _wait(plane, "kube-apiserver", lambda: plane.request("GET", "/readyz", timeout=2)[0] == 200, timeout)
        plane.procs["kube-controller-manager"] = _spawn(
            "kube-controller-manager",
            [
                f"--kubeconfig={directory / 'controller-manager.kubeconfig'}",
                f"--authentication-kubeconfig={directory / 'controller-manager.kubeconfig'}",
                f"--authorization-kubeconfig={directory / 'controller-manager.kubeconfig'}",
                f"--service-account-private-key-file={pki / 'sa.key'}",
                f"--root-ca-file={pki / 'ca.crt'}",
                f"--cluster-signing-cert-file={pki / 'ca.crt'}",
                f"--cluster-signing-key-file={pki / 'ca.key'}",
                f"--service-cluster-ip-range={service_cidr}",
                "--use-service-account-credentials=true",
                "--leader-elect=false",
                f"--bind-address={HOST}",
                "--secure-port=0",
                # No cloud, no real kubelets: the node controllers that would evict kwok's nodes' pods stay.
                "--controllers=*,-nodeipam,-cloud-node-lifecycle,-service-lb-controller,-node-route-controller",
                "--v=1",
            ],
            directory,
        )
        plane.procs["kube-scheduler"] = _spawn(
            "kube-scheduler",
            [
                f"--kubeconfig={directory / 'scheduler.kubeconfig'}",
                f"--authentication-kubeconfig={directory / 'scheduler.kubeconfig'}",
                f"--authorization-kubeconfig={directory / 'scheduler.kubeconfig'}",
                "--leader-elect=false",
                f"--bind-address={HOST}",
                "--secure-port=0",
                "--v=1",
            ],
            directory,
        )
        plane.procs["kwok"] = _spawn(
            "kwok",
            [
                f"--config={KWOK_STAGES}",
                f"--kubeconfig={directory / 'kwok.kubeconfig'}",
                "--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake",
                "--node-ip=127.0.0.1",
                "--cidr=10.0.128.0/17",
            ],
            directory,
        )
        # Ready as an EKS cluster is when it turns ACTIVE: the controllers run (the aggregated
        # admin/edit/view roles the access policies follow are filled, the default service account
        # exists).
        _wait(plane, "kube-controller-manager", lambda: _controllers_ran(plane), timeout)
    except BaseException:
        plane.stop()
        raise
    (directory / "control-plane.json").write_text(
        json.dumps(
            {
                "cluster": cluster_name,
                "endpoint": endpoint,
                "etcd": etcd_url,
                "pids": {name: proc.pid for name, proc in plane.procs.items()},
                "admin_kubeconfig": str(directory / "admin.kubeconfig"),
            },
            indent=2,
        )
        + "\n"
    )
    return plane


def _controllers_ran(plane: ControlPlane) -> bool:
    code, view = plane.request("GET", "/apis/rbac.authorization.k8s.io/v1/clusterroles/view", timeout=2)
    if code != 200 or not isinstance(view, dict) or not view.get("rules"):
        return False
    return plane.request("GET", "/api/v1/namespaces/default/serviceaccounts/default", timeout=2)[0] == 200


def _plain_kubeconfig(server: str) -> str:
    return json.dumps(
        {
            "apiVersion": "v1",
            "kind": "Config",
            "clusters": [{"name": "c", "cluster": {"server": server}}],
            "users": [{"name": "u", "user": {}}],
            "contexts": [{"name": "c", "context": {"cluster": "c", "user": "u"}}],
            "current-context": "c",
        }
    )


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


# ------------------------------------------------------------------------------------------
# clients: an EKS token, a call with it (tests, `orch local` users)
# ------------------------------------------------------------------------------------------

TOKEN_EXPIRES = 60  # seconds, the X-Amz-Expires `aws eks get-token` signs with


def eks_token(
    cluster_name: str,
    *,
    region: str,
    sts_endpoint: str | None,
    ca_bundle: str | None = None,
    credentials: dict[str, str] | None = None,
) -> str:
    """`k8s-aws-v1.` + base64url of a presigned sts:GetCallerIdentity URL whose signed headers carry
    x-k8s-aws-id = cluster_name: the token `aws eks get-token` prints (awscli customizations/eks)."""
    import base64

    import boto3

    session = boto3.session.Session(
        aws_access_key_id=(credentials or {}).get("aws_access_key_id"),
        aws_secret_access_key=(credentials or {}).get("aws_secret_access_key"),
        aws_session_token=(credentials or {}).get("aws_session_token"),
        region_name=region,
    )
    sts = session.client("sts", region_name=region, endpoint_url=sts_endpoint, verify=ca_bundle)

    def add_header(request: Any, **_: Any) -> None:
        request.headers["x-k8s-aws-id"] = cluster_name

    sts.meta.events.register("before-sign.sts.GetCallerIdentity", add_header)
    url = sts.generate_presigned_url("get_caller_identity", Params={}, ExpiresIn=TOKEN_EXPIRES, HttpMethod="GET")
    return "k8s-aws-v1." + base64.urlsafe_b64encode(url.encode()).decode().rstrip("=")


def call(
    endpoint: str, ca_pem: bytes, token: str, method: str, path: str, body: Any = None, timeout: float = 15.0
) -> tuple[int, Any]:
    """One Kubernetes API call with a bearer token: (status, decoded JSON body or text)."""
    context = ssl.create_default_context(cadata=ca_pem.decode())
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(f"{endpoint}{path}", data=data, method=method)
    req.add_header("Authorization", f"Bearer {token}")
    req.add_header("Accept", "application/json")
    if data is not None:
        req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=timeout, context=context) as resp:
            return resp.status, _decode(resp.read())
    except urllib.error.HTTPError as exc:
        return exc.code, _decode(exc.read())


def _decode(raw: bytes) -> Any:
    """A JSON answer decoded; anything else (`ok` of /readyz, an error page) as text."""
    try:
        return json.loads(raw) if raw else None
    except ValueError:
        return raw.decode(errors="replace")
