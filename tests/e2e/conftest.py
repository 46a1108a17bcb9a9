"""The session-wide `platform` fixture (see e2e_platform.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from e2e_platform import Platform, platform_fixture


@pytest.fixture(scope="session")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    yield from platform_fixture(tmp_path_factory)
