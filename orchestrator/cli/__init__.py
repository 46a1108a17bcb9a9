"""The `orch` command: thin typer commands over the library modules.

Exit codes: 0 ok; 1 error; 2 changes or drift present (plan --detailed-exitcode, drift).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import typer
from rich.console import Console

from orchestrator import __version__
from orchestrator.cli.options import GlobalOptions
from orchestrator.errors import OrchError

HELP = """\
Plan, apply and watch the Terragrunt layers of an AWS EKS platform, in dependency order.

[bold]First steps[/bold]
  orch doctor                          check engines, providers, credentials
  orch --local local up                start the embedded AWS emulator
  orch --local bootstrap --env eks-prod
  orch graph --env eks-prod            the layer DAG
  orch plan --env eks-prod --layer 30-eks-cluster --with-dependencies
  orch apply --env eks-prod --all      (Jenkins: add --auto-approve)
  orch drift --env eks-prod --all      nightly drift job
  orch unlock --env eks-prod --unit U  after a killed apply: release what it left locked

[bold]Exit codes[/bold]  0 ok · 1 error · 2 changes or drift present (plan --detailed-exitcode, drift) · 130 interrupted
"""

app = typer.Typer(
    help=HELP,
    no_args_is_help=True,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
err_console = Console(stderr=True)


def _version_callback(value: bool) -> None:
    if value:
        typer.echo(f"orch {__version__}")
        raise typer.Exit()


@app.callback()
def global_options(
    ctx: typer.Context,
    local: bool = typer.Option(
        False,
        "--local",
        envvar="ORCH_LOCAL",
        help="Target the embedded AWS emulator (moto), starting it when needed.",
    ),
    profile: str | None = typer.Option(
        None, "--profile", help="AWS profile for the caller's credentials (default: the standard AWS chain)."
    ),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Print engine output as it comes."),
    engine: str | None = typer.Option(
        None,
        "--engine",
        envvar="ORCH_ENGINE",
        help="The engine every command runs: tofu (default), terraform, or a path to the binary "
        "(a command's own --engine wins).",
    ),
    version: bool = typer.Option(
        False, "--version", callback=_version_callback, is_eager=True, help="Print orch's version and exit."
    ),
) -> None:
    if engine:
        # Everything below (discovery, runs, doctor, Terragrunt's TG_TF_PATH) reads the choice from here.
        os.environ["ORCH_ENGINE"] = engine
    ctx.obj = GlobalOptions(local=local, profile=profile, verbose=verbose)


@app.command()
def doctor(
    ctx: typer.Context,
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
) -> None:
    """Check engines, providers, Python dependencies, AWS identity and the local emulator.

    Exits 1 and names what is missing when a required item is absent.
    """
    from orchestrator import doctor as doctor_lib

    report = doctor_lib.run(ctx.obj)
    if as_json:
        typer.echo(json.dumps(report.to_json(), indent=2))
    else:
        doctor_lib.render(report, Console())
    if report.missing:
        if not as_json:
            err_console.print(f"[red]missing:[/red] {', '.join(report.missing)}")
        raise typer.Exit(1)


def _register_optional() -> None:
    """Command groups live in their own modules; each adds itself to `app`."""
    from orchestrator.cli import aws_commands as cli_aws
    from orchestrator.cli import commands as cli_core

    cli_core.register(app)
    cli_aws.register(app)


_register_optional()


# Global options and whether they take a value. Users type them after the command too
# (`orch plan --env x --local`); they are moved in front of it before typer parses the line.
_GLOBAL_FLAGS = {"--local": False, "--verbose": False, "-v": False, "--profile": True}


def hoist_global_options(argv: list[str]) -> list[str]:
    """argv with global options found after the command moved before it (nothing after `--`)."""
    head: list[str] = []
    index = 0
    while index < len(argv) and argv[index].startswith("-"):  # options already before the command
        takes_value = _GLOBAL_FLAGS.get(argv[index], False)
        head.extend(argv[index : index + 1 + int(takes_value)])
        index += 1 + int(takes_value)
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
        if position > 0 and name in _GLOBAL_FLAGS:
            width = 2 if _GLOBAL_FLAGS[name] and "=" not in arg else 1
            hoisted.extend(tail[position : position + width])
            position += width
            continue
        rest.append(arg)
        position += 1
    return head + hoisted + rest


def main() -> None:
    # typer (0.29) vendors click as typer._click: its parser raises these, not click's own classes.
    from typer._click.exceptions import UsageError
    from typer.exceptions import Abort

    # Run records, logs, plan files and the emulator's key are for this user only (plans and logs can
    # hold resource details); children (Terragrunt, the engines) inherit the mask.
    os.umask(os.umask(0o077) | 0o077)
    try:
        code = app(args=hoist_global_options(sys.argv[1:]), standalone_mode=False)
        sys.exit(code if isinstance(code, int) else 0)
    except UsageError as exc:
        # Exit 1, not click's 2: 2 means "changes present" to scripts that run orch.
        command = exc.ctx.command_path if exc.ctx is not None else "orch"
        err_console.print(
            f"[bold red]error:[/bold red] {exc.format_message()} (see `{command} --help`)",
            highlight=False,
            soft_wrap=True,
        )
        sys.exit(1)
    except Abort:
        err_console.print("interrupted")
        sys.exit(130)
    except OrchError as exc:
        err_console.print(f"[bold red]error:[/bold red] {exc}", highlight=False, soft_wrap=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        err_console.print("interrupted")
        sys.exit(130)
    except Exception as exc:  # a bug: one line for the user, the traceback in a file for the report
        where = _write_crash_log(exc)
        err_console.print(
            f"[bold red]error:[/bold red] internal error: {type(exc).__name__}: {exc}"
            + (f" (traceback in {where}; please attach it to a bug report)" if where else ""),
            highlight=False,
            soft_wrap=True,
        )
        sys.exit(1)


def _write_crash_log(exc: BaseException) -> str | None:
    """The traceback in `$ORCH_STATE_DIR` (default <repo>/.orch)/crash-<time>.log; None if unwritable."""
    import traceback
    from datetime import UTC, datetime

    from orchestrator.tools import REPO_ROOT

    base = os.environ.get("ORCH_STATE_DIR")
    path = (Path(base) if base else REPO_ROOT / ".orch") / f"crash-{datetime.now(UTC):%Y%m%dT%H%M%S%fZ}.log"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("".join(traceback.format_exception(exc)))
    except OSError:
        return None
    return str(path)
