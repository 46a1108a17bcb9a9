"""`orch bootstrap`: create or verify an environment's state backend (bucket, key, lock table).

Exit codes: 0 ok; 1 error (wrong account, no credentials, AWS failure); 2 drift found and --repair
not given.
"""

from __future__ import annotations

from typing import Annotated

import typer

from orchestrator.cli import options, output
from orchestrator.cli.options import BootstrapEnv
from orchestrator.errors import EXIT_CHANGES, ConfigError

ResultAsJson = Annotated[bool, typer.Option("--json", help="Print the result as JSON.")]
Repair = Annotated[bool, typer.Option("--repair", help="Fix settings that drifted from the wanted state.")]
SessionName = Annotated[
    str | None, typer.Option("--session-name", help="STS session name (default orch-$BUILD_TAG or orch-$USER).")
]


def _env_or_the_only_one(env_name: str | None) -> str:
    """`--env` (or ORCH_ENV), else the one environment there is; several and none given is an error."""
    from orchestrator.config import available_envs

    if env_name:
        return env_name
    envs = available_envs()
    if len(envs) == 1:
        return envs[0]
    raise ConfigError(f"--env is required (environments: {', '.join(envs) or 'none'})")


def bootstrap(
    ctx: typer.Context,
    env_name: BootstrapEnv = None,
    as_json: ResultAsJson = False,
    repair: Repair = False,
    session_name: SessionName = None,
) -> None:
    """Create or verify the S3 state bucket, its KMS key and (lock_mode dynamodb/both) the lock table.

    Idempotent: a second run reports "changed": false. Drift is reported (exit 2) and fixed with --repair.
    Refuses (exit 1) when the credentials are not the environment's account.
    """
    from orchestrator.aws.backend import bootstrap as run_bootstrap
    from orchestrator.aws.session import open_session
    from orchestrator.config import load_env

    given = options.global_options(ctx)
    env = load_env(_env_or_the_only_one(env_name))
    session = open_session(env, local=given.local, profile=given.profile, guard=True, session_name=session_name)
    result = run_bootstrap(env, session, repair=repair)
    if as_json:
        output.print_json(result.to_json())
    else:
        output.print_bootstrap(env, session, result)
    if result.drift and not repair:
        raise typer.Exit(EXIT_CHANGES)
