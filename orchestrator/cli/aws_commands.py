"""AWS commands: bootstrap and the local emulator (issue: state backend and emulator).

    orch [--local] [--profile P] bootstrap [--env NAME] [--json] [--repair] [--session-name S]
    orch local up [--port N] [--account-id ID] [--json]
    orch local down [--json]
    orch local status [--json]

Exit codes: 0 ok; 1 error (wrong account, no credentials, AWS failure); 2 bootstrap found drift
and --repair was not given.
"""

from __future__ import annotations

import json
import os

import typer
from rich.console import Console

from orchestrator.errors import EXIT_CHANGES, ConfigError, OrchError

local_app = typer.Typer(help="Run the embedded AWS emulator (moto) on 127.0.0.1.", no_args_is_help=True)


def _default_env() -> str:
    from orchestrator.config import available_envs

    if os.environ.get("ORCH_ENV"):
        return os.environ["ORCH_ENV"]
    envs = available_envs()
    if len(envs) == 1:
        return envs[0]
    raise ConfigError(f"--env is required (environments: {', '.join(envs) or 'none'})")


def bootstrap(
    ctx: typer.Context,
    env_name: str | None = typer.Option(None, "--env", "-e", help="Environment (under environments/LIVE)."),
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON."),
    repair: bool = typer.Option(False, "--repair", help="Fix settings that drifted from the wanted state."),
    session_name: str | None = typer.Option(
        None, "--session-name", help="STS session name (default orch-$BUILD_TAG or orch-$USER)."
    ),
) -> None:
    """Create or verify the S3 state bucket, its KMS key and (lock_mode dynamodb/both) the lock table.

    Idempotent: a second run reports "changed": false. Drift is reported (exit 2) and fixed with --repair.
    Refuses (exit 1) when the credentials are not the environment's account.
    """
    from orchestrator.aws.backend import bootstrap as run_bootstrap
    from orchestrator.aws.session import open_session
    from orchestrator.config import load_env

    opts = ctx.obj
    env = load_env(env_name or _default_env())
    session = open_session(env, local=opts.local, profile=opts.profile, guard=True, session_name=session_name)
    result = run_bootstrap(env, session, repair=repair)
    if as_json:
        typer.echo(json.dumps(result.to_json(), indent=2))
    else:
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
    if result.drift and not repair:
        raise typer.Exit(EXIT_CHANGES)


@local_app.command("up")
def local_up(
    port: int | None = typer.Option(None, "--port", help="Port (default: a free one)."),
    account_id: str | None = typer.Option(
        None, "--account-id", help="Emulator account (default ORCH_LOCAL_ACCOUNT_ID or 123456789012)."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print endpoint, pid and account as JSON."),
) -> None:
    """Start the emulator (or report the one already running). It keeps running until `orch local down`."""
    from orchestrator import emulator

    status = emulator.start(port=port, account_id=account_id)
    if as_json:
        typer.echo(json.dumps(status.to_json(), indent=2))
    else:
        typer.echo(f"emulator up: {status.endpoint} (pid {status.pid}, account {status.account_id}, log {status.log})")


@local_app.command("down")
def local_down(as_json: bool = typer.Option(False, "--json", help="Print the result as JSON.")) -> None:
    """Stop the emulator started by `orch local up` or by `--local` (its data is lost)."""
    from orchestrator import emulator

    stopped = emulator.stop()
    if as_json:
        typer.echo(json.dumps({"stopped": stopped}))
    else:
        typer.echo("emulator stopped" if stopped else "emulator was not running")


@local_app.command("status")
def local_status(as_json: bool = typer.Option(False, "--json", help="Print the status as JSON.")) -> None:
    """Show the running emulator: endpoint, pid, account. Exit 1 when none is running."""
    from orchestrator import emulator

    status = emulator.status()
    if as_json:
        typer.echo(
            json.dumps(
                status.to_json() if status else {"endpoint": None, "pid": None, "account_id": None, "ca_bundle": None},
                indent=2,
            )
        )
    elif status:
        typer.echo(f"emulator running: {status.endpoint} (pid {status.pid}, account {status.account_id})")
    else:
        typer.echo("emulator not running (start it with `orch local up`)")
    if status is None:
        raise typer.Exit(1)


@local_app.command("env")
def local_env(
    env_name: str | None = typer.Option(
        None, "--env", "-e", help="Take the region from environments/LIVE/NAME/env.yaml (default: ORCH_ENV)."
    ),
    region: str | None = typer.Option(
        None, "--region", help="Region (default: --env's, else $AWS_REGION, else us-east-1)."
    ),
) -> None:
    """Print `export` lines that point the AWS CLI and boto3 at the running emulator.

    Use: eval "$(orch local env --env eks-prod)"; then `aws ec2 describe-vpcs` or
    boto3.client("ec2") reach the emulator (endpoint, its CA bundle, region, test credentials).
    Exit 1 when no emulator runs.
    """
    import os
    import shlex

    from orchestrator import emulator

    status = emulator.status()
    if status is None:
        raise OrchError("no emulator is running", hint="start it with `orch local up`")
    env_name = env_name or os.environ.get("ORCH_ENV") or None
    if region is None and env_name is not None:
        from orchestrator.config import load_env

        region = load_env(env_name).region
    region = region or os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1"
    # A profile or session token left in the shell would be sent to the emulator, or would win
    # over the test keys in some SDKs: unset them.
    lines = ["unset AWS_PROFILE AWS_SESSION_TOKEN AWS_SECURITY_TOKEN"]
    lines += [f"export {name}={shlex.quote(value)}" for name, value in status.shell_env(region).items()]
    typer.echo("\n".join(lines))


def register(app: typer.Typer) -> None:
    """Add bootstrap and `local` commands to `app`."""
    app.command("bootstrap")(bootstrap)
    app.add_typer(local_app, name="local")
