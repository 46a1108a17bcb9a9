"""`orch drift`: plan with refresh, classify each unit, notify when something is not in sync."""

from __future__ import annotations

from typing import Annotated

import typer

from orchestrator.cli import options, output
from orchestrator.cli.options import (
    DEFAULT_PARALLELISM,
    AllFlag,
    AsJson,
    ChangedSince,
    Engine,
    EnvName,
    Layers,
    Parallelism,
    RunsDir,
    StackDir,
    Timeout,
    WithDependents,
    WithDeps,
)

NotifySns = Annotated[
    str | None,
    typer.Option("--notify-sns", metavar="TOPIC_ARN", help="Publish the summary to this SNS topic when not in sync."),
]
SlackWebhookEnv = Annotated[
    str | None,
    typer.Option(
        "--slack-webhook-env", metavar="VAR", help="Post the summary to the Slack webhook URL in this variable."
    ),
]
NotifyAlways = Annotated[bool, typer.Option("--notify-always", help="Notify even when all units are in sync.")]


def drift(
    ctx: typer.Context,
    stack_dir: StackDir = None,
    env: EnvName = None,
    all_: AllFlag = False,
    layer: Layers = None,
    with_deps: WithDeps = False,
    with_dependents: WithDependents = False,
    changed: ChangedSince = None,
    parallelism: Parallelism = DEFAULT_PARALLELISM,
    as_json: AsJson = False,
    engine: Engine = None,
    runs_dir: RunsDir = None,
    notify_sns: NotifySns = None,
    slack_env: SlackWebhookEnv = None,
    notify_always: NotifyAlways = False,
    timeout: Timeout = None,
) -> None:
    """Detect drift: plan with refresh and classify each unit from its plan JSON.

    in-sync / drifted (changed outside Terraform) / pending-changes (code differs) / failed.
    Exit 0 all in sync, 2 drift or pending changes, 1 errors.
    """
    from orchestrator import runs
    from orchestrator.runs import notify

    selection = options.selection(all_, layer, with_deps, with_dependents, changed)
    ws = options.workspace(ctx, stack_dir, env, selection, engine, runs_dir)
    report = runs.drift(ws, options.run_options(ctx, parallelism, False, engine, timeout=timeout))
    if (notify_sns or slack_env) and (report.exit_code != 0 or notify_always):
        notify.send(
            report,
            sns_topic=notify_sns,
            slack_env=slack_env,
            session=ws.session,
            region=ws.env.get("AWS_REGION") or ws.env.get("AWS_DEFAULT_REGION"),
        )
    output.emit(ws, report, as_json)
