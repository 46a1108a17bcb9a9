"""Fixtures for the AWS tests: real moto server processes over HTTPS, started by orch's emulator module."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from orchestrator import emulator
from tests.helpers import Emu


@pytest.fixture(scope="session")
def emu(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Emu]:
    """A moto server for the whole session (reset by `fresh_emu` between tests). Its clusters get no
    local Kubernetes control plane (ORCH_LOCAL_KUBE=0): these tests create many clusters and read
    only their AWS side; tests/aws/test_emulator_kube.py starts an emulator with one."""
    root = tmp_path_factory.mktemp("orch-state")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ORCH_LOCAL_KUBE", "0")  # read by the emulator process it starts
        status = emulator.start(root / "local")
    try:
        yield Emu(status, root)
    finally:
        emulator.stop(root / "local")


@pytest.fixture
def fresh_emu(emu: Emu) -> Emu:
    emu.reset()
    return emu
