"""Run commands: graph, plan, apply, drift, destroy, validate (issue: orch core)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add the run commands to `app`."""
