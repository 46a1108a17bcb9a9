"""Who hears about the environment: alarms, log shipping, cost alerts (90-monitoring, 95-cost)."""

from __future__ import annotations

import re

from pydantic import Field, field_validator

from orchestrator.config.base import EMAIL, Strict

# The same checks as terraform/modules/monitoring's slack_channel, alarm_webhook_secret_name and
# log_archive_destination_arn validations.
_SLACK_TEAM = re.compile(r"^T[0-9A-Z]{2,}$")
_SLACK_CHANNEL = re.compile(r"^[CG][0-9A-Z]{2,}$")
_SECRET_NAME = re.compile(r"^(arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:)?[A-Za-z0-9/_+=.@-]{1,512}$")
_LOGS_DESTINATION = re.compile(r"^arn:aws[a-z-]*:logs:[a-z0-9-]+:\d{12}:destination:[A-Za-z0-9._/#-]{1,512}$")


class AlarmSettings(Strict):
    """`alarms:` block read by 90-monitoring: who the alarm topic notifies."""

    # E-mail subscriptions of the alarm SNS topic (each address must confirm the subscription).
    email_addresses: list[str] = Field(default_factory=list)
    # Slack through AWS Chatbot (ids, not secrets).
    slack: SlackChannel | None = None
    # Name of a Secrets Manager secret holding an SNS-aware receiver's https:// URL; never the URL.
    webhook_secret_name: str | None = None

    @field_validator("webhook_secret_name")
    @classmethod
    def _secret_name(cls, value: str | None) -> str | None:
        if value is not None and (value.startswith(("http://", "https://")) or not _SECRET_NAME.match(value)):
            raise ValueError(
                "webhook_secret_name is the NAME of a Secrets Manager secret holding the URL, not the URL itself"
            )
        return value

    @field_validator("email_addresses")
    @classmethod
    def _emails(cls, values: list[str]) -> list[str]:
        for value in values:
            if not EMAIL.match(value):
                raise ValueError(f"not an e-mail address: {value!r}")
        return values


class SlackChannel(Strict):
    """AWS Chatbot's Slack target of the alarm topic (workspace authorised once in the Chatbot console)."""

    team_id: str
    channel_id: str

    @field_validator("team_id")
    @classmethod
    def _team(cls, value: str) -> str:
        if not _SLACK_TEAM.match(value):
            raise ValueError(f"not a Slack workspace id (T...): {value!r}")
        return value

    @field_validator("channel_id")
    @classmethod
    def _channel(cls, value: str) -> str:
        if not _SLACK_CHANNEL.match(value):
            raise ValueError(f"not a Slack channel id (C... or G...): {value!r}")
        return value


class LogSettings(Strict):
    """`logs:` block read by 90-monitoring: where the platform's log groups are shipped."""

    # CloudWatch Logs destination of the log-archive account; null: no subscription.
    archive_destination_arn: str | None = None

    @field_validator("archive_destination_arn")
    @classmethod
    def _destination(cls, value: str | None) -> str | None:
        if value is not None and not _LOGS_DESTINATION.match(value):
            raise ValueError(
                f"not a CloudWatch Logs destination ARN (arn:aws:logs:REGION:ACCOUNT:destination:NAME): {value!r}"
            )
        return value


class CostSettings(Strict):
    """`cost:` block read by 95-cost: the monthly budget and anomaly alerts."""

    monthly_budget_usd: float = Field(gt=0)
    anomaly_threshold_usd: float = Field(100, ge=0)
    # Only a payer (management or standalone) account can activate cost allocation tags.
    activate_cost_allocation_tags: bool = True
