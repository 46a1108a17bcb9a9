"""The one redaction of secrets from what orch writes: logs, plan JSON, reports, notifications.

`redaction_values` gathers the run's secret values (the caller's keys, an assumed role's);
`redact` removes them from a text. Every writer goes through `redact`, so a secret hidden in a
log is hidden in a report too.

Two lengths, on purpose: a secret gathered here has at least 8 characters, because short
credential values (moto's "test") would otherwise black out ordinary words in every log; and
`redact` ignores anything under 4 characters, whoever passes it (a notification redacts a URL's
parts, which may be short or empty).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import boto3

    from orchestrator.aws.credentials import RoleCredentials

REDACTED = "***"
#: Shorter values are never replaced: they would match ordinary text.
MIN_REDACTED_LENGTH = 4
#: Shorter credential values are not gathered (moto's "test" keys).
MIN_SECRET_LENGTH = 8


def redact(text: str, secrets: list[str] | tuple[str, ...]) -> str:
    """Replace every secret value (4+ characters) in `text`; longest first."""
    wanted = {s for s in secrets if s and len(s) >= MIN_REDACTED_LENGTH}
    for secret in sorted(wanted, key=len, reverse=True):
        text = text.replace(secret, REDACTED)
    return text


def redaction_values(*creds: RoleCredentials | None, session: boto3.Session | None = None) -> list[str]:
    """Secret values a log or report must never contain (the caller's keys and assumed ones)."""
    values: list[str] = []
    for item in creds:
        if item is not None:
            values.extend(item.secrets())
    if session is not None:
        current = session.get_credentials()
        if current is not None:
            frozen = current.get_frozen_credentials()
            values.extend(v for v in (frozen.secret_key, frozen.token) if v)
    return sorted({v for v in values if v and len(v) >= MIN_SECRET_LENGTH})
