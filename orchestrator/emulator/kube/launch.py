"""Starting a cluster's control plane: etcd, then the API server (its webhooks are the emulator's),
then the controller manager, the scheduler and kwok, each waited for as the next one needs it."""

from __future__ import annotations

import json
import shutil
import urllib.request
from pathlib import Path

from orchestrator.emulator.kube.binaries import KubeUnavailable, available, unavailable_reason
from orchestrator.emulator.kube.pki import kubeconfig, make_pki, plain_kubeconfig
from orchestrator.emulator.kube.plane import (
    HOST,
    SERVICE_CIDR,
    ControlPlane,
    controllers_ran,
    free_port,
    spawn,
    wait_until,
)

KWOK_STAGES = Path(__file__).with_name("kwok_stages.yaml")
# How long the API server caches the webhooks' answers: short, so that an access entry or policy
# association is in force by the next call (EKS propagates them within seconds too).
WEBHOOK_CACHE = {"authn": "5s", "authorized": "5s", "unauthorized": "1s"}


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
    make_pki(directory / "pki", cluster_name)
    etcd_port, peer_port, api_port = free_port(), free_port(), free_port()
    endpoint = f"https://{HOST}:{api_port}"
    plane = ControlPlane(cluster_name, directory, endpoint)
    _write_kubeconfigs(directory, endpoint, webhook_base, webhook_ca)
    etcd_url = f"http://{HOST}:{etcd_port}"
    try:
        _start_etcd(plane, etcd_url, peer_port)
        _start_apiserver(plane, etcd_url, api_port, issuer, service_cidr, timeout)
        _start_controller_manager(plane, service_cidr)
        _start_scheduler(plane)
        _start_kwok(plane)
        # Ready as an EKS cluster is when it turns ACTIVE: the controllers run (the aggregated
        # admin/edit/view roles the access policies follow are filled, the default service account
        # exists).
        wait_until(plane, "kube-controller-manager", lambda: controllers_ran(plane), timeout)
    except BaseException:
        plane.stop()
        raise
    _record(plane, etcd_url)
    return plane


def _write_kubeconfigs(directory: Path, endpoint: str, webhook_base: str, webhook_ca: Path | None) -> None:
    """The API server's to reach the emulator's webhooks, the components' to reach the API server."""
    pki = directory / "pki"
    for kind in ("authenticate", "authorize"):
        (directory / f"{kind}-webhook.kubeconfig").write_text(
            kubeconfig(f"{webhook_base}/{kind}", webhook_ca)
            if webhook_ca
            else plain_kubeconfig(f"{webhook_base}/{kind}")
        )
    for name in ("controller-manager", "scheduler", "kwok", "admin"):
        (directory / f"{name}.kubeconfig").write_text(
            kubeconfig(endpoint, pki / "ca.crt", pki / f"{name}.crt", pki / f"{name}.key")
        )


def _start_etcd(plane: ControlPlane, etcd_url: str, peer_port: int) -> None:
    directory = plane.directory
    plane.procs["etcd"] = spawn(
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
    wait_until(plane, "etcd", lambda: urllib.request.urlopen(f"{etcd_url}/health", timeout=1).status == 200, 30)


def _start_apiserver(
    plane: ControlPlane, etcd_url: str, api_port: int, issuer: str, service_cidr: str, timeout: float
) -> None:
    directory, pki = plane.directory, plane.pki
    plane.procs["kube-apiserver"] = spawn(
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
    wait_until(plane, "kube-apiserver", lambda: plane.request("GET", "/readyz", timeout=2)[0] == 200, timeout)


def _start_controller_manager(plane: ControlPlane, service_cidr: str) -> None:
    directory, pki = plane.directory, plane.pki
    plane.procs["kube-controller-manager"] = spawn(
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


def _start_scheduler(plane: ControlPlane) -> None:
    directory = plane.directory
    plane.procs["kube-scheduler"] = spawn(
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


def _start_kwok(plane: ControlPlane) -> None:
    directory = plane.directory
    plane.procs["kwok"] = spawn(
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


def _record(plane: ControlPlane, etcd_url: str) -> None:
    """control-plane.json: where the cluster's components listen and run, for whoever debugs it."""
    (plane.directory / "control-plane.json").write_text(
        json.dumps(
            {
                "cluster": plane.cluster_name,
                "endpoint": plane.endpoint,
                "etcd": etcd_url,
                "pids": {name: proc.pid for name, proc in plane.procs.items()},
                "admin_kubeconfig": str(plane.directory / "admin.kubeconfig"),
            },
            indent=2,
        )
        + "\n"
    )
