"""orchestrator/ type-checks with mypy in strict mode: 0 errors, no unused `# type: ignore` (issue 14).

The settings are pyproject.toml's `[tool.mypy]` (what `make lint` runs); the versions of mypy and of the
stub packages are pinned in the dev dependencies, so a new release cannot change the result unseen.
"""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
import tomllib

import pytest

from tests.helpers import REPO


def test_mypy_is_configured_strict() -> None:
    config = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["mypy"]
    assert config.get("strict") is True
    assert config.get("warn_unused_ignores") is True
    assert "orchestrator" in config.get("files", [])
    overrides = config.get("overrides", [])
    assert not any(o.get("ignore_errors") for o in overrides), "a module excluded from type checking"


def test_every_type_ignore_names_its_code_and_reason() -> None:
    bare = []
    for path in sorted((REPO / "orchestrator").rglob("*.py")):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if "type: ignore" in line and not re.search(r"# type: ignore\[[a-z-]+(,[a-z-]+)*\]  # \S", line):
                bare.append(f"{path.relative_to(REPO)}:{number}: {line.strip()}")
    assert not bare, "write `# type: ignore[code]  # why` (or fix the type):\n" + "\n".join(bare)


def test_mypy_finds_no_errors() -> None:
    if importlib.util.find_spec("mypy") is None:
        pytest.skip("mypy not installed: run ./scripts/setup.sh (it is a dev dependency)")
    proc = subprocess.run(
        [sys.executable, "-m", "mypy"], cwd=REPO, capture_output=True, text=True, timeout=600, check=False
    )
    assert proc.returncode == 0, f"mypy (make lint):\n{proc.stdout}{proc.stderr}"
