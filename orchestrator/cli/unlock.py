"""`orch unlock`: release the locks a killed run left."""

from __future__ import annotations

from typing import Annotated

import typer

from orchestrator.cli import options
from orchestrator.cli.options import Engine, EnvName, RunsDir, StackDir

Units = Annotated[
    list[str] | None,
    typer.Option(
        "--unit",
        "-u",
        help="A unit whose engine state lock to release; repeatable (default: the units the killed run was running).",
    ),
]
Force = Annotated[bool, typer.Option("--force", help="Also when the lock holder ran on another host.")]


def unlock(
    ctx: typer.Context,
    stack_dir: StackDir = None,
    env: EnvName = None,
    unit: Units = None,
    force: Force = False,
    engine: Engine = None,
    runs_dir: RunsDir = None,
) -> None:
    """Release the locks a killed orch run left: its units' state locks, then the run lock.

    After an apply was killed (SIGKILL, a lost Jenkins agent), the next run refuses and names
    the dead run and its units. Check those units, then `orch unlock --env E --unit U`.
    Refuses while the lock holder's process is alive on this machine (stop it with Ctrl-C
    instead); a holder on another host needs --force.
    """
    from orchestrator import runs

    ws = options.workspace(ctx, stack_dir, env, None, engine, runs_dir, select=False)
    result = runs.unlock(ws, unit, force=force)
    for name, lock_id in result.state_locks.items():
        typer.echo(f"{name}: " + (f"released state lock {lock_id}" if lock_id else "no state lock held"), err=True)
    if result.run_lock:
        typer.echo(f"released the run lock of {result.run_lock}", err=True)
    if not result.run_lock and not result.state_locks:
        typer.echo(f"{ws.where}: no run lock held; nothing to release", err=True)
