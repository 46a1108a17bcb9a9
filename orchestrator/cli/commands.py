"""Run commands: graph, plan, apply, drift, destroy, validate (thin over orchestrator.runs.operations).

Exit codes: 0 ok · 1 error · 2 changes or drift present (plan --detailed-exitcode, drift).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, cast

import typer
from rich.console import Console

from orchestrator.cli.options import GlobalOptions
from orchestrator.errors import OrchError
from orchestrator.runs.report import RunReport, render_table

if TYPE_CHECKING:
    from orchestrator.runs.operations import RunOptions, Workspace
    from orchestrator.selection import Selection

EXIT_HELP = "Exit codes: 0 ok · 1 error · 2 changes or drift present · 130 interrupted."

# ------------------------------------------------------------------ options

DirOpt = typer.Option(None, "--dir", help="Directory of units (a stack).", rich_help_panel="Where")
EnvOpt = typer.Option(
    None,
    "--env",
    "-e",
    envvar="ORCH_ENV",
    help="Environment: environments/LIVE/NAME (or ORCH_ENV; an explicit --dir wins over ORCH_ENV).",
    rich_help_panel="Where",
)
AllOpt = typer.Option(False, "--all", help="Every unit.", rich_help_panel="Selection")
LayerOpt = typer.Option(
    None,
    "--layer",
    "-l",
    help="A layer by exact name or unique prefix (e.g. 30); repeatable.",
    rich_help_panel="Selection",
)
WithDepsOpt = typer.Option(
    False, "--with-dependencies", help="Add the units they depend on.", rich_help_panel="Selection"
)
WithDependentsOpt = typer.Option(
    False, "--with-dependents", help="Add the units that depend on them.", rich_help_panel="Selection"
)
ChangedOpt = typer.Option(
    None,
    "--changed-since",
    metavar="GIT_REF",
    help="Units whose files or modules changed since GIT_REF, plus their dependents.",
    rich_help_panel="Selection",
)
ParallelOpt = typer.Option(4, "--parallelism", "-p", min=1, help="Units run at once.", rich_help_panel="Run")
FailFastOpt = typer.Option(False, "--fail-fast", help="Stop scheduling after the first failure.", rich_help_panel="Run")
JsonOpt = typer.Option(False, "--json", help="Print the run report as JSON on stdout.", rich_help_panel="Run")
EngineOpt = typer.Option(
    None,
    "--engine",
    help="tofu (default) or terraform, or a path to the binary (also TG_TF_PATH).",
    rich_help_panel="Run",
)
RunsDirOpt = typer.Option(None, "--runs-dir", help="Where runs are kept (default .orch/runs).", rich_help_panel="Run")
TimeoutOpt = typer.Option(
    None,
    "--timeout",
    metavar="DURATION",
    help="Stop a unit that runs longer than this (e.g. 45m, 90s, 2h): SIGINT, then SIGTERM after "
    "ORCH_STOP_GRACE seconds; the unit fails, the run goes on with the others.",
    rich_help_panel="Run",
)
ForceUnlockOpt = typer.Option(
    False,
    "--force-unlock",
    help="Take the run lock even if another run holds it (only when that run is gone for sure).",
    rich_help_panel="Run",
)

_DURATION = {"s": 1, "m": 60, "h": 3600}


def parse_duration(text: str | None) -> float | None:
    """`90`, `90s`, `45m`, `2h` → seconds; one-line error otherwise."""
    if text is None:
        return None
    raw = text.strip().lower()
    unit = raw[-1] if raw and raw[-1] in _DURATION else "s"
    number = raw[:-1] if raw and raw[-1] in _DURATION else raw
    try:
        seconds = float(number) * _DURATION[unit]
    except ValueError:
        seconds = -1
    if seconds <= 0:
        raise OrchError(f"--timeout {text!r}: not a duration (use e.g. 90s, 45m, 2h)")
    return seconds


def _opts(ctx: typer.Context) -> GlobalOptions:
    return ctx.obj if isinstance(ctx.obj, GlobalOptions) else GlobalOptions()


def _from_environment(ctx: typer.Context, name: str) -> bool:
    from typer._click.core import ParameterSource

    return ctx.get_parameter_source(name) == ParameterSource.ENVIRONMENT


def _workspace(
    ctx: typer.Context,
    stack_dir: Path | None,
    env: str | None,
    selection: Selection | None,
    engine: str | None,
    runs_dir: Path | None,
    select: bool = True,
    guard: bool = True,
) -> Workspace:
    from orchestrator.runs import operations

    g = _opts(ctx)
    if stack_dir is not None and env is not None and _from_environment(ctx, "env"):
        env = None  # ORCH_ENV set for the shell (Jenkins) and an explicit --dir for this command: --dir wins
    return operations.open_workspace(
        stack_dir=stack_dir,
        env_name=env,
        selection=selection,
        local=g.local,
        profile=g.profile,
        engine=engine,
        runs_root=runs_dir,
        select=select,
        guard=guard,
    )


def _run_options(
    ctx: typer.Context,
    parallelism: int,
    fail_fast: bool,
    engine: str | None,
    detailed: bool = False,
    timeout: str | None = None,
    force_unlock: bool = False,
) -> RunOptions:
    from orchestrator.runs.operations import RunOptions

    return RunOptions(
        parallelism=parallelism,
        fail_fast=fail_fast,
        verbose=_opts(ctx).verbose,
        engine=engine,
        detailed_exitcode=detailed,
        unit_timeout=parse_duration(timeout),
        force_unlock=force_unlock,
    )


def _emit(ws: Workspace, report: RunReport, as_json: bool) -> None:
    """The summary table (stdout, or stderr with --json), where the run is kept; then exit."""
    console = Console(stderr=as_json, highlight=False)
    render_table(report, console)
    console.print(f"run: {ws.runs_root / report.run_id}", highlight=False, soft_wrap=True)
    if as_json:
        sys.stdout.write(json.dumps(report.to_json(), indent=2) + "\n")
        sys.stdout.flush()
    raise typer.Exit(report.exit_code)


def _selection(
    all_: bool, layer: list[str] | None, with_deps: bool, with_dependents: bool, changed: str | None
) -> Selection:
    from orchestrator.selection import Selection

    if all_ and (layer or changed):
        given = "--layer" if layer else "--changed-since"
        raise OrchError(f"--all selects every unit; {given} narrows the selection: give one or the other")
    return Selection(
        all=all_,
        layers=list(layer or []),
        with_dependencies=with_deps,
        with_dependents=with_dependents,
        changed_since=changed,
    )


# ----------------------------------------------------------------- commands


def graph_cmd(
    ctx: typer.Context,
    stack_dir: Path | None = DirOpt,
    env: str | None = EnvOpt,
    fmt: str = typer.Option("tree", "--format", "-f", help="tree, json, dot or mermaid."),
) -> None:
    """Show the unit dependency graph (units in a valid order, dependencies first)."""
    from orchestrator.graph import RENDERERS

    if fmt not in RENDERERS:
        raise OrchError(f"unknown format {fmt!r}; choose from {', '.join(RENDERERS)}")
    ws = _workspace(ctx, stack_dir, env, None, None, None, select=False, guard=False)
    typer.echo(RENDERERS[fmt](ws.graph))


def plan_cmd(
    ctx: typer.Context,
    stack_dir: Path | None = DirOpt,
    env: str | None = EnvOpt,
    all_: bool = AllOpt,
    layer: list[str] | None = LayerOpt,
    with_deps: bool = WithDepsOpt,
    with_dependents: bool = WithDependentsOpt,
    changed: str | None = ChangedOpt,
    parallelism: int = ParallelOpt,
    fail_fast: bool = FailFastOpt,
    detailed: bool = typer.Option(False, "--detailed-exitcode", help="Exit 2 when any unit has changes."),
    as_json: bool = JsonOpt,
    engine: str | None = EngineOpt,
    runs_dir: Path | None = RunsDirOpt,
    timeout: str | None = TimeoutOpt,
) -> None:
    """Plan the selected units in dependency order; save plans for `orch apply`.

    Keeps plan file, plan JSON and log per unit under .orch/runs/RUN_ID/. Exit 0 ok, 1 error,
    2 changes present (with --detailed-exitcode).
    """
    from orchestrator.runs import operations

    ws = _workspace(ctx, stack_dir, env, _selection(all_, layer, with_deps, with_dependents, changed), engine, runs_dir)
    report = operations.plan(ws, _run_options(ctx, parallelism, fail_fast, engine, detailed, timeout))
    _emit(ws, report, as_json)


def apply_cmd(
    ctx: typer.Context,
    stack_dir: Path | None = DirOpt,
    env: str | None = EnvOpt,
    all_: bool = AllOpt,
    layer: list[str] | None = LayerOpt,
    with_deps: bool = WithDepsOpt,
    with_dependents: bool = WithDependentsOpt,
    changed: str | None = ChangedOpt,
    run_id: str | None = typer.Option(None, "--run-id", help="Apply the saved plans of this plan run."),
    auto_approve: bool = typer.Option(False, "--auto-approve", help="Do not ask for confirmation."),
    allow_destroy: bool = typer.Option(False, "--allow-destroy", help="Allow plans that delete or replace."),
    parallelism: int = ParallelOpt,
    fail_fast: bool = FailFastOpt,
    as_json: bool = JsonOpt,
    engine: str | None = EngineOpt,
    runs_dir: Path | None = RunsDirOpt,
    timeout: str | None = TimeoutOpt,
    force_unlock: bool = ForceUnlockOpt,
) -> None:
    """Apply exactly the saved plans of a plan run (by default the latest unchanged one, else plan first).

    Plans that delete or replace are refused without --allow-destroy. Units planned with mock
    dependency outputs are re-planned after their dependencies apply.
    """
    from orchestrator.runs import operations

    selection = _selection(all_, layer, with_deps, with_dependents, changed)
    if run_id is not None and selection.empty():
        selection = selection.model_copy(update={"all": True})
    ws = _workspace(ctx, stack_dir, env, selection, engine, runs_dir)
    opts = _run_options(ctx, parallelism, fail_fast, engine, timeout=timeout, force_unlock=force_unlock)
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

    report = operations.apply(
        ws, opts, run_id=run_id, auto_approve=auto_approve, allow_destroy=allow_destroy, confirm=confirm
    )
    _emit(ws, report, as_json)


def drift_cmd(
    ctx: typer.Context,
    stack_dir: Path | None = DirOpt,
    env: str | None = EnvOpt,
    all_: bool = AllOpt,
    layer: list[str] | None = LayerOpt,
    with_deps: bool = WithDepsOpt,
    with_dependents: bool = WithDependentsOpt,
    changed: str | None = ChangedOpt,
    parallelism: int = ParallelOpt,
    as_json: bool = JsonOpt,
    engine: str | None = EngineOpt,
    runs_dir: Path | None = RunsDirOpt,
    notify_sns: str | None = typer.Option(
        None, "--notify-sns", metavar="TOPIC_ARN", help="Publish the summary to this SNS topic when not in sync."
    ),
    slack_env: str | None = typer.Option(
        None, "--slack-webhook-env", metavar="VAR", help="Post the summary to the Slack webhook URL in this variable."
    ),
    notify_always: bool = typer.Option(False, "--notify-always", help="Notify even when all units are in sync."),
    timeout: str | None = TimeoutOpt,
) -> None:
    """Detect drift: plan with refresh and classify each unit from its plan JSON.

    in-sync / drifted (changed outside Terraform) / pending-changes (code differs) / failed.
    Exit 0 all in sync, 2 drift or pending changes, 1 errors.
    """
    from orchestrator.runs import notify, operations

    ws = _workspace(ctx, stack_dir, env, _selection(all_, layer, with_deps, with_dependents, changed), engine, runs_dir)
    report = operations.drift(ws, _run_options(ctx, parallelism, False, engine, timeout=timeout))
    if (notify_sns or slack_env) and (report.exit_code != 0 or notify_always):
        notify.send(
            report,
            sns_topic=notify_sns,
            slack_env=slack_env,
            session=ws.session,
            region=ws.env.get("AWS_REGION") or ws.env.get("AWS_DEFAULT_REGION"),
        )
    _emit(ws, report, as_json)


def destroy_cmd(
    ctx: typer.Context,
    stack_dir: Path | None = DirOpt,
    env: str | None = EnvOpt,
    all_: bool = AllOpt,
    layer: list[str] | None = LayerOpt,
    with_deps: bool = WithDepsOpt,
    with_dependents: bool = WithDependentsOpt,
    allow_destroy: bool = typer.Option(False, "--allow-destroy", help="Required: destroy really deletes."),
    auto_approve: bool = typer.Option(False, "--auto-approve", help="Do not ask to type the name back."),
    parallelism: int = ParallelOpt,
    fail_fast: bool = FailFastOpt,
    as_json: bool = JsonOpt,
    engine: str | None = EngineOpt,
    runs_dir: Path | None = RunsDirOpt,
    timeout: str | None = TimeoutOpt,
    force_unlock: bool = ForceUnlockOpt,
) -> None:
    """Destroy the selected units in reverse dependency order.

    Needs --allow-destroy, and the environment's name typed back unless --auto-approve.
    """
    from orchestrator.runs import operations

    ws = _workspace(ctx, stack_dir, env, _selection(all_, layer, with_deps, with_dependents, None), engine, runs_dir)

    def confirm_name(name: str) -> str:
        if not sys.stdin.isatty():
            raise OrchError("destroy needs confirmation but stdin is not a terminal", hint="re-run with --auto-approve")
        typer.echo(f"Units to destroy (in this order): {', '.join(reversed(ws.selected))}", err=True)
        return cast(str, typer.prompt(f"Type {name!r} to destroy", err=True))

    report = operations.destroy(
        ws,
        _run_options(ctx, parallelism, fail_fast, engine, timeout=timeout, force_unlock=force_unlock),
        allow_destroy=allow_destroy,
        auto_approve=auto_approve,
        confirm_name=confirm_name,
    )
    _emit(ws, report, as_json)


def validate_cmd(
    ctx: typer.Context,
    stack_dir: Path | None = DirOpt,
    env: str | None = EnvOpt,
    all_: bool = AllOpt,
    layer: list[str] | None = LayerOpt,
    with_deps: bool = WithDepsOpt,
    with_dependents: bool = WithDependentsOpt,
    changed: str | None = ChangedOpt,
    parallelism: int = ParallelOpt,
    as_json: bool = typer.Option(False, "--json", help='Print {"units": [{"path", "valid", "diagnostics"}]}.'),
    engine: str | None = EngineOpt,
    runs_dir: Path | None = RunsDirOpt,
) -> None:
    """Validate each selected unit offline (no backend). Exit 0 all valid, 1 otherwise."""
    from orchestrator.runs import operations

    selection = _selection(all_, layer, with_deps, with_dependents, changed)
    if selection.empty():
        selection = selection.model_copy(update={"all": True})
    ws = _workspace(ctx, stack_dir, env, selection, engine, runs_dir, guard=False)
    report = operations.validate(ws, _run_options(ctx, parallelism, False, engine))
    if as_json:
        typer.echo(json.dumps(operations.validate_json(report), indent=2))
        raise typer.Exit(report.exit_code)
    _emit(ws, report, False)


def unlock_cmd(
    ctx: typer.Context,
    stack_dir: Path | None = DirOpt,
    env: str | None = EnvOpt,
    unit: list[str] | None = typer.Option(
        None,
        "--unit",
        "-u",
        help="A unit whose engine state lock to release; repeatable (default: the units the killed run was running).",
    ),
    force: bool = typer.Option(False, "--force", help="Also when the lock holder ran on another host."),
    engine: str | None = EngineOpt,
    runs_dir: Path | None = RunsDirOpt,
) -> None:
    """Release the locks a killed orch run left: its units' state locks, then the run lock.

    After an apply was killed (SIGKILL, a lost Jenkins agent), the next run refuses and names
    the dead run and its units. Check those units, then `orch unlock --env E --unit U`.
    Refuses while the lock holder's process is alive on this machine (stop it with Ctrl-C
    instead); a holder on another host needs --force.
    """
    from orchestrator.runs import operations

    ws = _workspace(ctx, stack_dir, env, None, engine, runs_dir, select=False)
    result = operations.unlock(ws, unit, force=force)
    for name, lock_id in result.state_locks.items():
        typer.echo(f"{name}: " + (f"released state lock {lock_id}" if lock_id else "no state lock held"), err=True)
    if result.run_lock:
        typer.echo(f"released the run lock of {result.run_lock}", err=True)
    if not result.run_lock and not result.state_locks:
        typer.echo(f"{ws.where}: no run lock held; nothing to release", err=True)


def register(app: typer.Typer) -> None:
    """Add the run commands to `app`."""
    epilog = EXIT_HELP
    app.command("graph", epilog=epilog)(graph_cmd)
    app.command("plan", epilog=epilog)(plan_cmd)
    app.command("apply", epilog=epilog)(apply_cmd)
    app.command("drift", epilog=epilog)(drift_cmd)
    app.command("destroy", epilog=epilog)(destroy_cmd)
    app.command("validate", epilog=epilog)(validate_cmd)
    app.command("unlock", epilog="Exit codes: 0 released (or nothing held) · 1 refused or failed.")(unlock_cmd)
