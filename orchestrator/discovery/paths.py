"""Where units are: the directories orch walks, unit files, and paths relative to the stack."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path

from pydantic import BaseModel, Field

from orchestrator.graph import STACK_DIR, STACK_FILE

SKIP_DIRS = {".terragrunt-cache", ".terraform", ".orch", ".git"}
UNIT_FILES = ("terragrunt.hcl", "terragrunt.hcl.json")


class UnitFiles(BaseModel):
    """Files a unit reads besides its own directory (relative to the stack directory)."""

    includes: list[str] = Field(default_factory=list)
    reading: list[str] = Field(default_factory=list)


def is_unit_path(rel: str) -> bool:
    """False for anything inside a hidden directory, a Terragrunt/Terraform cache or .orch.

    `.terragrunt-stack` (units generated from a terragrunt.stack.hcl) is the one hidden
    directory that holds units.
    """
    return not any(
        part in SKIP_DIRS or (part.startswith(".") and part not in (".", "..", STACK_DIR)) for part in Path(rel).parts
    )


def rel_path(stack: Path, unit_dir: Path, target: str) -> str:
    path = Path(target)
    if not path.is_absolute():
        path = unit_dir / path
    absolute = Path(os.path.normpath(path))
    try:
        return absolute.relative_to(stack).as_posix() or "."
    except ValueError:
        return str(absolute)


def rel_up(stack: Path, path: Path) -> str:
    """Path relative to the stack directory, with ../ when outside it (as git paths are mapped)."""
    return Path(os.path.relpath(path, stack)).as_posix()


def shown(path: Path) -> str:
    """A file as people should see it: relative to the working directory when below it."""
    try:
        return path.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return str(path)


def is_unit_dir(path: Path) -> bool:
    return any((path / name).is_file() for name in UNIT_FILES)


def unit_file(directory: Path) -> Path:
    return next((directory / n for n in UNIT_FILES if (directory / n).is_file()), directory / UNIT_FILES[0])


def walk(stack: Path, with_stacks: bool) -> Iterable[tuple[Path, list[str]]]:
    """Directories under the stack orch looks at (no caches, no hidden ones but .terragrunt-stack)."""
    for base, dirs, names in os.walk(stack):
        dirs[:] = sorted(
            d for d in dirs if d not in SKIP_DIRS and (not d.startswith(".") or (with_stacks and d == STACK_DIR))
        )
        yield Path(base), names


def has_stack_file(stack: Path) -> bool:
    return any(STACK_FILE in names for _, names in walk(stack, with_stacks=False))


def line_of(file: Path, pattern: re.Pattern[str]) -> int | None:
    try:
        for number, line in enumerate(file.read_text(errors="replace").splitlines(), start=1):
            if pattern.search(line.split("#", 1)[0]):
                return number
    except OSError:
        return None
    return None
