"""Drift notifications: an SNS topic and/or a Slack incoming webhook (URL read from a variable)."""

from __future__ import annotations

import json
import os
import urllib.request
from typing import TYPE_CHECKING, Any

from orchestrator import settings
from orchestrator.aws.session import RunSession
from orchestrator.errors import OrchError
from orchestrator.runs.results import Result, RunReport

if TYPE_CHECKING:
    from mypy_boto3_sns import SNSClient


def subject(report: RunReport) -> str:
    counts = report.counts()
    drifted = counts.get(Result.DRIFTED.value, 0)
    pending = counts.get(Result.PENDING.value, 0)
    failed = counts.get(Result.FAILED.value, 0)
    where = report.env or os.path.basename(report.stack_dir)
    return f"orch drift {where}: {drifted} drifted, {pending} pending, {failed} failed"[:100]


def message(report: RunReport) -> str:
    lines = [subject(report), f"run {report.run_id}", ""]
    for unit in report.units:
        line = f"- {unit.path}: {unit.result.value}"
        if unit.summary and unit.summary.drift_details:
            # Attribute paths, not values: a chat channel needs where to look, not the data.
            line += (
                " ("
                + "; ".join(
                    f"{f.address}: {', '.join(a.path for a in f.attributes) or f.action}"
                    for f in unit.summary.drift_details
                )
                + ")"
            )
        if unit.error:
            line += f" — {unit.error[:200]}"
        lines.append(line)
    return "\n".join(lines)


def publish_sns(
    report: RunReport,
    topic_arn: str,
    *,
    session: RunSession | None = None,
    region: str | None = None,
    endpoint_url: str | None = None,
) -> str:
    """Publish the drift summary; returns the SNS MessageId."""
    import boto3

    explicit = endpoint_url or settings.sns_endpoint()
    if explicit is None and session is not None and getattr(session, "_boto", None) is not None:
        # The run's own AWS session (assumed role, emulator endpoint, CA bundle).
        client: SNSClient = session.client("sns")
    else:
        env = dict(session.env) if session else {}
        endpoint = explicit or env.get("ORCH_LOCAL_ENDPOINT")
        kwargs: dict[str, Any] = {
            "region_name": region or topic_arn.split(":")[3] or env.get("AWS_REGION") or "us-east-1"
        }
        if endpoint:
            kwargs["endpoint_url"] = endpoint
        for key, name in (
            ("aws_access_key_id", "AWS_ACCESS_KEY_ID"),
            ("aws_secret_access_key", "AWS_SECRET_ACCESS_KEY"),
            ("aws_session_token", "AWS_SESSION_TOKEN"),
        ):
            if env.get(name):
                kwargs[key] = env[name]
        from orchestrator.aws.credentials import BOTO_CONFIG

        client = boto3.client("sns", config=BOTO_CONFIG, **kwargs)
    response = client.publish(
        TopicArn=topic_arn,
        Subject=subject(report),
        Message=message(report),
        MessageAttributes={"exit_code": {"DataType": "Number", "StringValue": str(report.exit_code)}},
    )
    return response["MessageId"]


def post_slack(report: RunReport, env_var: str) -> None:
    url = os.environ.get(env_var)
    if not url:
        raise OrchError(f"--slack-webhook-env {env_var}: the variable is not set")
    body = json.dumps({"text": message(report)}).encode()
    try:
        request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=15) as response:
            response.read()
    except Exception as exc:
        # The webhook URL is the secret (whoever has it can post): errors name the variable, never the URL.
        from orchestrator.redact import redact

        raise OrchError(
            f"--slack-webhook-env {env_var}: the webhook did not take the message "
            f"({type(exc).__name__}: {redact(str(exc), [url, url.split('://', 1)[-1]])})"
        ) from None


def send(
    report: RunReport,
    *,
    sns_topic: str | None = None,
    slack_env: str | None = None,
    session: RunSession | None = None,
    region: str | None = None,
) -> list[str]:
    """Send every configured notification; a failure is reported, not raised (the report matters more)."""
    problems = []
    if sns_topic:
        try:
            publish_sns(report, sns_topic, session=session, region=region)
        except Exception as exc:
            problems.append(f"SNS: {exc}")
    if slack_env:
        try:
            post_slack(report, slack_env)
        except Exception as exc:
            problems.append(f"Slack: {exc}")
    for problem in problems:
        import sys

        print(f"orch: notification failed: {problem}", file=sys.stderr)
    return problems
