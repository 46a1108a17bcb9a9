"""What the commands print: the run report, the confirmations apply and destroy ask for, bootstrap's result.

Machine output (`--json`) goes to stdout alone; everything meant for people goes to stderr when it
would mix with it. Asking needs a terminal: in CI (stdin not a TTY) a confirmation is an error that
says which flag skips it.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

import typer
from rich.console import Console

from orchestrator.errors import OrchError

if TYPE_CHECKING:
    from orchestrator.aws.backend import BootstrapResult
    from orchestrator.aws.session import RunSession
    from orchestrator.config import EnvConfig
    from orchestrator.runs import RunReport, Workspace


def print_json(data: Any) -> None:
    typer.echo(json.dumps(data, indent=2))


def emit(ws: Workspace, report: RunReport, as_json: bool) -> None:
    """The summary table (stdout, or stderr with --json), where the run is kept; then exit."""
    from orchestrator.runs import render_table

    console = Console(stderr=as_json, highlight=False)
    render_table(report, console)
    console.print(f"run: {ws.runs_root / report.run_id}", highlight=False, soft_wrap=True)
    if as_json:
        sys.stdout.write(json.dumps(report.to_json(), indent=2) + "\n")
        sys.stdout.flush()
    raise typer.Exit(report.exit_code)


def confirm_apply(ws: Workspace) -> Callable[[RunReport], bool]:
    """Show the plans an apply would apply and ask; refuses without a terminal."""
    from orchestrator.runs import render_table

    console = Console(stderr=True, highlight=False)

    def confirm(plan_report: RunReport) -> bool:
        render_table(plan_report, console)
        console.print(f"saved plans of run {plan_report.run_id} ({ws.runs_root / plan_report.run_id})", soft_wrap=True)
        if not sys.stdin.isatty():
            raise OrchError(
                "apply needs confirmation but stdin is not a terminal",
                hint="review the plan, then re-run with --auto-approve",
            )
        return typer.confirm(f"Apply these plans to {ws.name}?", default=False, err=True)

    return confirm


def confirm_destroy(ws: Workspace) -> Callable[[str], str]:
    """Name the units a destroy would delete and ask for the environment's name back; refuses without
    a terminal."""

    def confirm_name(name: str) -> str:
        if not sys.stdin.isatty():
            raise OrchError("destroy needs confirmation but stdin is not a terminal", hint="re-run with --auto-approve")
        typer.echo(f"Units to destroy (in this order): {', '.join(reversed(ws.selected))}", err=True)
        return cast(str, typer.prompt(f"Type {name!r} to destroy", err=True))

    return confirm_name


def print_bootstrap(env: EnvConfig, session: RunSession, result: BootstrapResult) -> None:
    console = Console(soft_wrap=True)
    where = f"emulator {session.endpoint}" if session.local else f"account {session.account_id}"
    console.print(f"[bold]bootstrap {env.name}[/bold] ({where}, {result.region})")
    console.print(f"  bucket     {result.bucket}")
    console.print(f"  kms key    {result.kms_key}")
    console.print(
        f"  lock       {env.state.lock_mode}" + (f" (table {result.lock_table})" if result.lock_table else "")
    )
    for action in result.actions:
        colour = "yellow" if action.startswith(("drift", "unverifiable")) else "green"
        console.print(f"  [{colour}]{action}[/{colour}]", highlight=False)
    console.print("  changed" if result.changed else "  no changes")
