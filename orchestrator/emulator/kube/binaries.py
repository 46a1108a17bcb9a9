"""Whether the control plane can run here: its binaries installed and local Kubernetes not turned
off, and whether a running emulator serves a Kubernetes API to its clusters."""

from __future__ import annotations

import json
import os
import ssl
import urllib.request
from pathlib import Path

from orchestrator import settings
from orchestrator.tools import venv_bin

BINARIES = ("etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler", "kwok")


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
