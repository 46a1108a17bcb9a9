"""Every `ORCH_*` environment variable orch reads, typed, and the repository root.

This module is the one list of orch's environment variables; the docs point here. Each
function reads `os.environ` when it is called, never at import: tests, the CLI (`--engine`,
`--local`) and the emulator's own process set these variables per run, after orch is imported.
Use it as `from orchestrator import settings; settings.runs_dir()`.

Nothing here imports beyond the standard library and orchestrator.errors: the emulator
server process imports it through its patches.

Variables orch reads (functions below):

- ``ORCH_STATE_DIR``: where orch keeps its own state (the local emulator under ``local/``,
  crash logs); default ``<repo>/.orch``.
- ``ORCH_RUNS_DIR``: where run records go; default ``<repo>/.orch/runs`` for ``--env``,
  ``<dir>/.orch/runs`` for ``--dir``. ``--runs-dir`` wins.
- ``ORCH_MIN_FREE_MB``: free disk space a run needs under its runs directory before any
  engine starts; default 64.
- ``ORCH_CACHE_DIR``: the engine and provider cache of scripts/install-tools.sh; default
  ``$XDG_CACHE_HOME/orch``, else ``~/.cache/orch``.
- ``ORCH_TF_CLI_CONFIG_FILE``: the engines' CLI configuration (provider installation) instead of
  the ``.venv/orch.tfrc`` install-tools.sh writes; orch then leaves lock files alone.
- ``ORCH_ENGINE``: ``tofu`` (default), ``terraform`` or a path to an engine binary; what the
  global ``--engine`` sets.
- ``ORCH_RUN_MODE``: ``per-unit`` runs one Terragrunt process per unit instead of one delegated
  ``terragrunt run --all`` (the delegate switch).
- ``ORCH_STOP_GRACE``: seconds a timed-out engine gets after SIGINT before SIGTERM; default 60.
- ``ORCH_LOCAL_ENDPOINT``: an emulator orch did not start (``http(s)://host:port``); also what
  local runs export to the engines, where root.hcl turns local mode on when it is set.
- ``ORCH_LOCAL_ACCOUNT_ID``: the account the local emulator answers as; default the one
  ``orch local up`` recorded, else 123456789012.
- ``ORCH_SNS_ENDPOINT``: the SNS endpoint run notifications are published to (tests, local
  mode); default AWS's, or the emulator's in local mode.
- ``ORCH_EMULATOR_THROTTLE``: fault injection in the emulator process, e.g.
  ``ec2:DescribeVpcs=3,sts:GetCallerIdentity=2`` (see emulator.patches.throttle).
- ``ORCH_EMULATOR_PORT``, ``ORCH_EMULATOR_PROXY_PORT``: set by ``emulator.start`` for the
  emulator process, whose S3 Control CONNECT proxy listens on the second and forwards to the first.
- ``ORCH_EMULATOR_STATE_DIR``, ``ORCH_EMULATOR_CA``: set by ``emulator.start`` for the emulator
  process: where its clusters' Kubernetes control planes live (``<dir>/kube``) and the certificate
  their API servers trust for the emulator's webhooks (emulator.patches.kube).
- ``ORCH_LOCAL_KUBE``: ``0`` turns the emulated clusters' Kubernetes API off (read by the emulator
  process, which inherits it); orch also sets it for the engines of local runs (``1`` when the
  emulator serves Kubernetes), and root.hcl turns the layers' Kubernetes side off on ``0``.
- ``ORCH_KUBE_BIN_DIR``: where the Kubernetes control-plane binaries are (etcd, kube-apiserver,
  kube-controller-manager, kube-scheduler, kwok); default ``.venv/bin``.
- ``ORCH_KUBE_DEBUG``: ``1`` logs every authorization review of the emulated clusters to the
  emulator's log.

Read by the CLI through typer's ``envvar=``: ``ORCH_ENV`` (``--env``; an explicit ``--dir`` wins)
and ``ORCH_LOCAL`` (``--local``).

Set by orch for the processes it starts, never read from the user's environment:

- ``ORCH_LOCAL_PROXY``: the emulator's CONNECT proxy, for the provider in local mode.
- ``ORCH_ROLE_ASSUMED``: ``1`` when the engines get the execution role's keys, so root.hcl does
  not assume it a second time.
- ``ORCH_OFFLINE``: ``1`` for ``orch validate``; root.hcl and the catalog units then skip the
  backend and dependency outputs.
- ``ORCH_ENGINE_SOCKET``: where the engine shim of a delegated run reaches orch (read by
  orchestrator/runs/engine_shim.py, which runs with ``python -S`` and so cannot import this).

Read by the shell scripts only: ``ORCH_NO_PATH_TOOLS=1`` (scripts/install-tools.sh builds the
pinned engines even when PATH has them), ``ORCH_BUILD_JOBS`` (its ``go build -p``) and
``ORCH_SKIP_TOOLS=1`` (scripts/setup.sh installs the Python side only).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from orchestrator.errors import OrchError

#: The checkout orch runs from: environments/, terraform/, scripts/ and the default `.orch`.
REPO_ROOT = Path(__file__).resolve().parent.parent

DEFAULT_MIN_FREE_MB = 64
DEFAULT_STOP_GRACE = 60.0


def _value(name: str, environ: Mapping[str, str] | None = None) -> str | None:
    """The variable's value; None when it is unset or empty (an empty value means "not set")."""
    return (os.environ if environ is None else environ).get(name) or None


def state_dir() -> Path:
    """ORCH_STATE_DIR, else `<repo>/.orch`."""
    base = _value("ORCH_STATE_DIR")
    return Path(base) if base else REPO_ROOT / ".orch"


def runs_dir() -> Path | None:
    """ORCH_RUNS_DIR; None leaves the choice to the run (next to its stack)."""
    value = _value("ORCH_RUNS_DIR")
    return Path(value) if value else None


def min_free_mb() -> int:
    """ORCH_MIN_FREE_MB, default 64; a value that is not a whole number is refused."""
    value = os.environ.get("ORCH_MIN_FREE_MB")
    if value is None:
        return DEFAULT_MIN_FREE_MB
    try:
        return int(value)
    except ValueError:
        raise OrchError(f"ORCH_MIN_FREE_MB={value!r} is not a number of MB") from None


def cache_dir() -> Path:
    """ORCH_CACHE_DIR, else `$XDG_CACHE_HOME/orch`, else `~/.cache/orch`."""
    explicit = _value("ORCH_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = _value("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "orch"


def tf_cli_config_file(environ: Mapping[str, str] | None = None) -> Path | None:
    """ORCH_TF_CLI_CONFIG_FILE (in `environ`, default the process's); None when unset."""
    value = _value("ORCH_TF_CLI_CONFIG_FILE", environ)
    return Path(value) if value else None


def engine() -> str | None:
    """ORCH_ENGINE: `tofu`, `terraform` or a path to an engine binary; None when unset."""
    return _value("ORCH_ENGINE")


def per_unit_runs() -> bool:
    """ORCH_RUN_MODE=per-unit: one Terragrunt process per unit instead of a delegated run."""
    return (_value("ORCH_RUN_MODE") or "").strip().lower() == "per-unit"


def stop_grace() -> float:
    """ORCH_STOP_GRACE seconds, default 60 (also when it is not a number)."""
    try:
        return float(_value("ORCH_STOP_GRACE") or DEFAULT_STOP_GRACE)
    except ValueError:
        return DEFAULT_STOP_GRACE


def local_endpoint() -> str | None:
    """ORCH_LOCAL_ENDPOINT, as given; None when unset."""
    return _value("ORCH_LOCAL_ENDPOINT")


def local_account_id() -> str | None:
    """ORCH_LOCAL_ACCOUNT_ID; None when unset."""
    return _value("ORCH_LOCAL_ACCOUNT_ID")


def sns_endpoint() -> str | None:
    """ORCH_SNS_ENDPOINT; None when unset."""
    return _value("ORCH_SNS_ENDPOINT")


def emulator_throttle() -> str:
    """ORCH_EMULATOR_THROTTLE, the fault injection spec; empty when unset."""
    return _value("ORCH_EMULATOR_THROTTLE") or ""


def emulator_state_dir() -> Path | None:
    """ORCH_EMULATOR_STATE_DIR (the emulator process's state directory); None when unset."""
    value = _value("ORCH_EMULATOR_STATE_DIR")
    return Path(value) if value else None


def emulator_ca() -> Path | None:
    """ORCH_EMULATOR_CA (the emulator's certificate, in its own process); None when unset."""
    value = _value("ORCH_EMULATOR_CA")
    return Path(value) if value else None


def local_kube() -> bool:
    """ORCH_LOCAL_KUBE: False only when it is `0` (the emulated clusters get no Kubernetes API)."""
    return (_value("ORCH_LOCAL_KUBE") or "1").strip() != "0"


def kube_bin_dir() -> Path | None:
    """ORCH_KUBE_BIN_DIR; None when unset (the control-plane binaries are in .venv/bin)."""
    value = _value("ORCH_KUBE_BIN_DIR")
    return Path(value) if value else None


def kube_debug() -> bool:
    """ORCH_KUBE_DEBUG set and not `0`: log the emulated clusters' authorization reviews."""
    return (_value("ORCH_KUBE_DEBUG") or "0") != "0"


def emulator_ports() -> tuple[str, str] | None:
    """(ORCH_EMULATOR_PORT, ORCH_EMULATOR_PROXY_PORT) when both are set, else None."""
    port, proxy_port = _value("ORCH_EMULATOR_PORT"), _value("ORCH_EMULATOR_PROXY_PORT")
    return (port, proxy_port) if port and proxy_port else None
