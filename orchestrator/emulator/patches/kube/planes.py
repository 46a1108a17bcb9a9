"""The running control planes, one per emulated cluster: where they live, how the API servers reach
the emulator, and how they start and stop."""

from __future__ import annotations

import base64
import concurrent.futures
import contextlib
import os
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

from orchestrator import settings
from orchestrator.emulator.patches.kube.objects import gp2_storage_class

_planes: dict[tuple[str, str, str], Any] = {}
_planes_lock = threading.Lock()
# One long-lived thread starts every control plane: the components die with the thread that
# forked them (PR_SET_PDEATHSIG), and a request thread ends with its request.
_launcher = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="kube-launcher")


def state_dir() -> Path:
    base = settings.emulator_state_dir()
    if base:
        return base / "kube"
    return Path(tempfile.gettempdir()) / f"orch-kube-{os.getpid()}"


def emulator_port() -> str:
    ports = settings.emulator_ports()
    return ports[0] if ports else ""


def emulator_ca() -> Path | None:
    ca = settings.emulator_ca()
    if ca:
        return ca
    argv = sys.argv
    for flag in ("-c", "--ssl-cert"):
        if flag in argv and argv.index(flag) + 1 < len(argv):
            return Path(argv[argv.index(flag) + 1])
    return None


def emulator_url() -> str:
    scheme = "https" if emulator_ca() else "http"
    return f"{scheme}://127.0.0.1:{emulator_port()}"


def plane(account: str, region: str, cluster: str) -> Any:
    return _planes.get((account, region, cluster))


def stop_all() -> None:
    with _planes_lock:
        planes = list(_planes.values())
        _planes.clear()
    for p in planes:
        with contextlib.suppress(Exception):
            p.stop()


def forget(account: str, region: str, cluster: str) -> None:
    """Stop the cluster's control plane, if it has one (DeleteCluster)."""
    with _planes_lock:
        gone = _planes.pop((account, region, cluster), None)
    if gone is not None:
        gone.stop()


def install() -> None:
    """moto's server turns SIGTERM (`orch local down`) into sys.exit, which runs this; a reset of the
    emulator (/moto-api/reset) forgets every cluster, so their control planes stop too."""
    import atexit

    from moto.moto_api._internal.models import MotoAPIBackend

    atexit.register(stop_all)
    original_reset = MotoAPIBackend.reset

    def reset(self: Any) -> None:
        stop_all()
        original_reset(self)

    MotoAPIBackend.reset = reset  # type: ignore[method-assign]  # replaces moto's method


def start_plane(account: str, region: str, cluster: Any) -> Any:
    """Start the cluster's control plane (in the launcher thread) and point the cluster at it."""
    from orchestrator.emulator.kube import launch
    from orchestrator.emulator.kube import plane as kube_plane

    key = (account, region, cluster.name)
    directory = state_dir() / account / region / cluster.name
    network = getattr(cluster, "kubernetes_network_config", None) or {}
    service_cidr = network.get("serviceIpv4Cidr") or kube_plane.SERVICE_CIDR
    future = _launcher.submit(
        launch.start,
        cluster.name,
        directory,
        webhook_base=f"{emulator_url()}/orch/kube/{account}/{region}/{cluster.name}",
        webhook_ca=emulator_ca(),
        issuer=cluster.identity["oidc"]["issuer"],
        service_cidr=service_cidr,
    )
    p = future.result()
    with _planes_lock:
        old = _planes.pop(key, None)
        _planes[key] = p
    if old is not None:
        old.stop()
    cluster.endpoint = p.endpoint
    cluster.certificate_authority = {"data": base64.b64encode(p.ca_pem).decode()}
    p.apply("/apis/storage.k8s.io/v1/storageclasses", gp2_storage_class(cluster.version))
    return p
