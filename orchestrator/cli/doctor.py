"""`orch doctor`: what this machine has and lacks to run orch."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from orchestrator.cli import options, output

ReportAsJson = Annotated[bool, typer.Option("--json", help="Print the report as JSON.")]


def doctor(ctx: typer.Context, as_json: ReportAsJson = False) -> None:
    """Check engines, providers, Python dependencies, AWS identity and the local emulator.

    Exits 1 and names what is missing when a required item is absent.
    """
    from orchestrator import doctor as checks

    report = checks.run(profile=options.global_options(ctx).profile)
    if as_json:
        output.print_json(report.to_json())
    else:
        checks.render(report, Console())
    if report.missing:
        if not as_json:
            Console(stderr=True).print(f"[red]missing:[/red] {', '.join(report.missing)}")
        raise typer.Exit(1)
