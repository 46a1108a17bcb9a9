"""Shared fixtures for the core tests: fixture stacks copied to a temporary directory."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import pytest

from tests.helpers import copy_stack


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


@pytest.fixture
def moto_endpoint() -> Iterator[str]:
    """A plain moto server of the test's own, on the port it binds itself (`-p 0`, read from its
    "Running on" line): a port picked free first could be taken by another process in between,
    and the test would then talk to someone else's server."""
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "moto_server"), "-p", "0"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert server.stderr is not None
    endpoint = None
    for line in server.stderr:
        if found := re.search(r"Running on (http://127\.0\.0\.1:\d+)", line):
            endpoint = found.group(1)
            break
    if endpoint is None:
        pytest.fail(f"moto_server exited before it listened (exit code {server.wait(timeout=10)})")
    # Werkzeug logs each request to stderr: keep reading it so that moto never blocks on a full pipe.
    threading.Thread(target=_drain, args=(server.stderr,), daemon=True).start()
    yield endpoint
    server.terminate()
    server.wait(timeout=10)


def _drain(stream: IO[str]) -> None:
    for _line in stream:
        pass
