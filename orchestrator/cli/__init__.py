"""The `orch` command: the app, its global options, one module per command, and `main()`.

Exit codes: 0 ok; 1 error; 2 changes or drift present (plan --detailed-exitcode, drift); 3 a bug in orch
(one line, traceback in a crash log; cli/error_handler.py); 130 interrupted.
"""

from __future__ import annotations

import os
import sys
from typing import Annotated

import typer

from orchestrator import __version__
from orchestrator.cli import (
    apply,
    bootstrap,
    destroy,
    doctor,
    drift,
    graph,
    local,
    plan,
    unlock,
    validate,
)
from orchestrator.cli.error_handler import error_handler
from orchestrator.cli.options import DefaultEngine, GlobalOptions, Local, OrchGroup, Profile, Verbose

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

[bold]Exit codes[/bold]  0 ok · 1 error · 2 changes or drift present (plan --detailed-exitcode, drift)
· 3 a bug in orch (crash log) · 130 interrupted
"""
EXIT_HELP = "Exit codes: 0 ok · 1 error · 2 changes or drift present · 3 bug in orch · 130 interrupted."
UNLOCK_EXIT_HELP = "Exit codes: 0 released (or nothing held) · 1 refused or failed."

app = typer.Typer(
    cls=OrchGroup,
    help=HELP,
    no_args_is_help=True,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version_callback(value: bool) -> None:
    if value:
        typer.echo(f"orch {__version__}")
        raise typer.Exit()


@app.callback()
def global_options(
    ctx: typer.Context,
    local: Local = False,
    profile: Profile = None,
    verbose: Verbose = False,
    engine: DefaultEngine = None,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version_callback, is_eager=True, help="Print orch's version and exit."),
    ] = False,
) -> None:
    if engine:
        # Everything below (discovery, runs, doctor, Terragrunt's TG_TF_PATH) reads the choice from here.
        os.environ["ORCH_ENGINE"] = engine
    ctx.obj = GlobalOptions(local=local, profile=profile, verbose=verbose)


app.command("doctor")(doctor.doctor)
app.command("graph", epilog=EXIT_HELP)(graph.graph)
app.command("plan", epilog=EXIT_HELP)(plan.plan)
app.command("apply", epilog=EXIT_HELP)(apply.apply)
app.command("drift", epilog=EXIT_HELP)(drift.drift)
app.command("destroy", epilog=EXIT_HELP)(destroy.destroy)
app.command("validate", epilog=EXIT_HELP)(validate.validate)
app.command("unlock", epilog=UNLOCK_EXIT_HELP)(unlock.unlock)
app.command("bootstrap")(bootstrap.bootstrap)
app.add_typer(local.app, name="local")


def main() -> None:
    # Run records, logs, plan files and the emulator's key are for this user only (plans and logs can
    # hold resource details); children (Terragrunt, the engines) inherit the mask.
    os.umask(os.umask(0o077) | 0o077)
    with error_handler():
        code = app(args=sys.argv[1:], standalone_mode=False)
        sys.exit(code if isinstance(code, int) else 0)
