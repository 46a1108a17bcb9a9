"""The options of `orch`, named once: every command declares its parameters with these aliases.

Global options (`--local`, `--profile`, `--verbose`) are the app's; users also type them after the
command (`orch plan --env x --local`), so `OrchGroup` moves them in front of it before parsing. The
builders at the end turn what a command was given into the library's arguments.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from typer.core import TyperGroup

from orchestrator.errors import OrchError

if TYPE_CHECKING:
    from typer import _click

    from orchestrator.runs import RunOptions, Workspace
    from orchestrator.selection import Selection


@dataclass(frozen=True)
class GlobalOptions:
    """What the global options set, for every command (`ctx.obj`)."""

    local: bool = False
    profile: str | None = None
    verbose: bool = False


def global_options(ctx: typer.Context) -> GlobalOptions:
    return ctx.obj if isinstance(ctx.obj, GlobalOptions) else GlobalOptions()


# ------------------------------------------------------------ global options

Local = Annotated[
    bool,
    typer.Option(
        "--local", envvar="ORCH_LOCAL", help="Target the embedded AWS emulator (moto), starting it when needed."
    ),
]
Profile = Annotated[
    str | None,
    typer.Option("--profile", help="AWS profile for the caller's credentials (default: the standard AWS chain)."),
]
Verbose = Annotated[bool, typer.Option("--verbose", "-v", help="Print engine output as it comes.")]
DefaultEngine = Annotated[
    str | None,
    typer.Option(
        "--engine",
        envvar="ORCH_ENGINE",
        help="The engine every command runs: tofu (default), terraform, or a path to the binary "
        "(a command's own --engine wins).",
    ),
]

# The global options a user may type after the command, and whether each takes a value. `--engine`
# is not one of them: every run command has an --engine of its own.
_AFTER_COMMAND = {"--local": False, "--verbose": False, "-v": False, "--profile": True}
_TAKES_VALUE = {**_AFTER_COMMAND, "--engine": True}


def hoist_global_options(argv: list[str]) -> list[str]:
    """argv with global options found after the command moved before it (nothing after `--`)."""
    head: list[str] = []
    index = 0
    while index < len(argv) and argv[index].startswith("-"):  # options already before the command
        width = 2 if _TAKES_VALUE.get(argv[index], False) else 1
        head.extend(argv[index : index + width])
        index += width
    hoisted: list[str] = []
    rest: list[str] = []
    tail = argv[index:]
    position = 0
    while position < len(tail):
        arg = tail[position]
        if arg == "--":
            rest.extend(tail[position:])
            break
        name = arg.split("=", 1)[0]
        if position > 0 and name in _AFTER_COMMAND:
            width = 2 if _AFTER_COMMAND[name] and "=" not in arg else 1
            hoisted.extend(tail[position : position + width])
            position += width
            continue
        rest.append(arg)
        position += 1
    return head + hoisted + rest


class OrchGroup(TyperGroup):
    """The `orch` group: hoists global options before parsing, so the app takes them anywhere
    (`main()` and in-process `CliRunner` callers alike)."""

    def parse_args(self, ctx: _click.Context, args: list[str]) -> list[str]:
        return super().parse_args(ctx, hoist_global_options(args))


# ------------------------------------------------------------ where

StackDir = Annotated[Path | None, typer.Option("--dir", help="Directory of units (a stack).", rich_help_panel="Where")]
EnvName = Annotated[
    str | None,
    typer.Option(
        "--env",
        "-e",
        envvar="ORCH_ENV",
        help="Environment: environments/LIVE/NAME (or ORCH_ENV; an explicit --dir wins over ORCH_ENV).",
        rich_help_panel="Where",
    ),
]
# The same option for the commands that take an environment but no --dir.
BootstrapEnv = Annotated[
    str | None, typer.Option("--env", "-e", envvar="ORCH_ENV", help="Environment (under environments/LIVE).")
]
RegionEnv = Annotated[
    str | None,
    typer.Option(
        "--env",
        "-e",
        envvar="ORCH_ENV",
        help="Take the region from environments/LIVE/NAME/env.yaml (default: ORCH_ENV).",
    ),
]

# ------------------------------------------------------------ selection

AllFlag = Annotated[bool, typer.Option("--all", help="Every unit.", rich_help_panel="Selection")]
Layers = Annotated[
    list[str] | None,
    typer.Option(
        "--layer",
        "-l",
        help="A layer by exact name or unique prefix (e.g. 30); repeatable.",
        rich_help_panel="Selection",
    ),
]
WithDeps = Annotated[
    bool,
    typer.Option("--with-dependencies", help="Add the units they depend on.", rich_help_panel="Selection"),
]
WithDependents = Annotated[
    bool,
    typer.Option("--with-dependents", help="Add the units that depend on them.", rich_help_panel="Selection"),
]
ChangedSince = Annotated[
    str | None,
    typer.Option(
        "--changed-since",
        metavar="GIT_REF",
        help="Units whose files or modules changed since GIT_REF, plus their dependents.",
        rich_help_panel="Selection",
    ),
]

# ------------------------------------------------------------ run

DEFAULT_PARALLELISM = 4

Parallelism = Annotated[
    int, typer.Option("--parallelism", "-p", min=1, help="Units run at once.", rich_help_panel="Run")
]
FailFast = Annotated[
    bool, typer.Option("--fail-fast", help="Stop scheduling after the first failure.", rich_help_panel="Run")
]
AsJson = Annotated[bool, typer.Option("--json", help="Print the run report as JSON on stdout.", rich_help_panel="Run")]
Engine = Annotated[
    str | None,
    typer.Option(
        "--engine",
        help="tofu (default) or terraform, or a path to the binary (also TG_TF_PATH).",
        rich_help_panel="Run",
    ),
]
RunsDir = Annotated[
    Path | None,
    typer.Option("--runs-dir", help="Where runs are kept (default .orch/runs).", rich_help_panel="Run"),
]
Timeout = Annotated[
    str | None,
    typer.Option(
        "--timeout",
        metavar="DURATION",
        help="Stop a unit that runs longer than this (e.g. 45m, 90s, 2h): SIGINT, then SIGTERM after "
        "ORCH_STOP_GRACE seconds; the unit fails, the run goes on with the others.",
        rich_help_panel="Run",
    ),
]
ForceUnlock = Annotated[
    bool,
    typer.Option(
        "--force-unlock",
        help="Take the run lock even if another run holds it (only when that run is gone for sure).",
        rich_help_panel="Run",
    ),
]


class GraphFormat(StrEnum):
    """`orch graph --format`: one per renderer in orchestrator.graph.RENDERERS."""

    TREE = "tree"
    JSON = "json"
    DOT = "dot"
    MERMAID = "mermaid"


Format = Annotated[GraphFormat, typer.Option("--format", "-f", help="tree, json, dot or mermaid.")]

# ------------------------------------------------------------ builders

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


def selection(
    all_: bool, layers: list[str] | None, with_deps: bool, with_dependents: bool, changed_since: str | None
) -> Selection:
    from orchestrator.selection import Selection

    if all_ and (layers or changed_since):
        given = "--layer" if layers else "--changed-since"
        raise OrchError(f"--all selects every unit; {given} narrows the selection: give one or the other")
    return Selection(
        all=all_,
        layers=list(layers or []),
        with_dependencies=with_deps,
        with_dependents=with_dependents,
        changed_since=changed_since,
    )


def _from_environment(ctx: typer.Context, name: str) -> bool:
    from typer._click.core import ParameterSource

    return ctx.get_parameter_source(name) == ParameterSource.ENVIRONMENT


def workspace(
    ctx: typer.Context,
    stack_dir: Path | None,
    env: str | None,
    selection: Selection | None,
    engine: str | None,
    runs_dir: Path | None,
    select: bool = True,
    guard: bool = True,
) -> Workspace:
    """The library's workspace for what the command was given (its `--env` parameter is `env`)."""
    from orchestrator import runs

    given = global_options(ctx)
    if stack_dir is not None and env is not None and _from_environment(ctx, "env"):
        env = None  # ORCH_ENV set for the shell (Jenkins) and an explicit --dir for this command: --dir wins
    return runs.open_workspace(
        stack_dir=stack_dir,
        env_name=env,
        selection=selection,
        local=given.local,
        profile=given.profile,
        engine=engine,
        runs_root=runs_dir,
        select=select,
        guard=guard,
    )


def run_options(
    ctx: typer.Context,
    parallelism: int,
    fail_fast: bool,
    engine: str | None,
    detailed: bool = False,
    timeout: str | None = None,
    force_unlock: bool = False,
) -> RunOptions:
    from orchestrator import runs

    return runs.RunOptions(
        parallelism=parallelism,
        fail_fast=fail_fast,
        verbose=global_options(ctx).verbose,
        engine=engine,
        detailed_exitcode=detailed,
        unit_timeout=parse_duration(timeout),
        force_unlock=force_unlock,
    )
