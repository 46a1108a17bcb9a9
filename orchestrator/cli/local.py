"""`orch local up|down|status|env`: the embedded AWS emulator on 127.0.0.1.

Exit codes: 0 ok; 1 error (`status` and `env`: no emulator running).
"""

from __future__ import annotations

from typing import Annotated

import typer

from orchestrator.cli import output
from orchestrator.cli.options import RegionEnv
from orchestrator.errors import OrchError

app = typer.Typer(help="Run the embedded AWS emulator (moto) on 127.0.0.1.", no_args_is_help=True)

Port = Annotated[int | None, typer.Option("--port", help="Port (default: a free one).")]
AccountId = Annotated[
    str | None,
    typer.Option("--account-id", help="Emulator account (default ORCH_LOCAL_ACCOUNT_ID or 123456789012)."),
]
Region = Annotated[
    str | None, typer.Option("--region", help="Region (default: --env's, else $AWS_REGION, else us-east-1).")
]


@app.command("up")
def up(
    port: Port = None,
    account_id: AccountId = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print endpoint, pid and account as JSON.")] = False,
) -> None:
    """Start the emulator (or report the one already running). It keeps running until `orch local down`."""
    from orchestrator import emulator

    status = emulator.start(port=port, account_id=account_id)
    if as_json:
        output.print_json(status.to_json())
    else:
        typer.echo(f"emulator up: {status.endpoint} (pid {status.pid}, account {status.account_id}, log {status.log})")
        from orchestrator.emulator.kube import binaries

        typer.echo(binaries.summary(status.endpoint, status.ca_bundle))


@app.command("down")
def down(as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False) -> None:
    """Stop the emulator started by `orch local up` or by `--local` (its data is lost)."""
    import json

    from orchestrator import emulator

    stopped = emulator.stop()
    if as_json:
        typer.echo(json.dumps({"stopped": stopped}))
    else:
        typer.echo("emulator stopped" if stopped else "emulator was not running")


@app.command("status")
def status(as_json: Annotated[bool, typer.Option("--json", help="Print the status as JSON.")] = False) -> None:
    """Show the running emulator: endpoint, pid, account. Exit 1 when none is running."""
    from orchestrator import emulator

    running = emulator.status()
    if as_json:
        none = {"endpoint": None, "pid": None, "account_id": None, "ca_bundle": None}
        output.print_json(running.to_json() if running else none)
    elif running:
        typer.echo(f"emulator running: {running.endpoint} (pid {running.pid}, account {running.account_id})")
    else:
        typer.echo("emulator not running (start it with `orch local up`)")
    if running is None:
        raise typer.Exit(1)


@app.command("env")
def env(env_name: RegionEnv = None, region: Region = None) -> None:
    """Print `export` lines that point the AWS CLI and boto3 at the running emulator.

    Use: eval "$(orch local env --env eks-prod)"; then `aws ec2 describe-vpcs` or
    boto3.client("ec2") reach the emulator (endpoint, its CA bundle, region, test credentials).
    Exit 1 when no emulator runs.
    """
    import os
    import shlex

    from orchestrator import emulator

    running = emulator.status()
    if running is None:
        raise OrchError("no emulator is running", hint="start it with `orch local up`")
    if region is None and env_name:
        from orchestrator.config import load_env

        region = load_env(env_name).region
    region = region or os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1"
    # A profile or session token left in the shell would be sent to the emulator, or would win
    # over the test keys in some SDKs: unset them.
    lines = ["unset AWS_PROFILE AWS_SESSION_TOKEN AWS_SECURITY_TOKEN"]
    lines += [f"export {name}={shlex.quote(value)}" for name, value in running.shell_env(region).items()]
    typer.echo("\n".join(lines))
