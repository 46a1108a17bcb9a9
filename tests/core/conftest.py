"""Shared fixtures for the core tests: fixture stacks copied to a temporary directory."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import copy_stack, wait_until


@pytest.fixture
def dag_stack(tmp_path: Path) -> Path:
    """Ten terraform_data units in a DAG (10-a … 50-j), local state next to each unit."""
    return copy_stack("dag", tmp_path)


@pytest.fixture
def graph_stack(tmp_path: Path) -> Path:
    """Discovery fixture: includes carrying dependencies, functions/locals, nested units."""
    return copy_stack("graph", tmp_path)


@pytest.fixture
def stacks_catalog(tmp_path: Path) -> Path:
    """Terragrunt Stacks fixture (its root; the stack directory is `live`).

    catalog/units/{db,app} (app depends on db through `values.db_path`) and
    live/terragrunt.stack.hcl generating both into live/.terragrunt-stack/.
    """
    return copy_stack("stacks-catalog", tmp_path)


@pytest.fixture
def keep_umask() -> Iterator[None]:
    """main() narrows the process umask for orch's files; give the test process its own back."""
    mask = os.umask(0o022)
    os.umask(mask)
    yield
    os.umask(mask)


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("ORCH_FIXTURE_FAIL", "ORCH_FIXTURE_SLOW", "ORCH_RUNS_DIR", "ORCH_ENGINE", "ORCH_ENV", "TG_TF_PATH"):
        monkeypatch.delenv(name, raising=False)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def moto_endpoint():
    port = _free_port()
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "moto_server"), "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"

    def listening() -> bool:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
        except OSError:
            return False
        return True

    wait_until(listening, timeout=10, interval=0.1)
    yield endpoint
    server.terminate()
    server.wait(timeout=10)
