"""AWS commands: bootstrap and the local emulator (issue: state backend and emulator)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add bootstrap and `local` commands to `app`."""
