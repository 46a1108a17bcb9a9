"""Where the checkout and its fixture stacks are."""

from __future__ import annotations

import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures" / "stacks"


def copy_stack(name: str, dest: Path) -> Path:
    """A copy of the fixture stack `name` under `dest`: runs write state and caches next to the units."""
    target = dest / name
    shutil.copytree(FIXTURES / name, target)
    return target
