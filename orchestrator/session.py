"""AWS session for one orch run: credentials, account guard and local-emulator wiring.

INTERFACE CONTRACT (used by the run commands; implemented fully by the AWS/bootstrap work):

    open_session(env: EnvConfig | None, *, local: bool, profile: str | None,
                 guard: bool, session_name: str | None = None) -> RunSession

- env None and not local: a run on a plain directory of units (no AWS); returns an empty session.
- local: starts/uses the embedded emulator and returns variables that point Terragrunt,
  the provider and the backend at it (ORCH_LOCAL_ENDPOINT, ORCH_LOCAL_ACCOUNT_ID, test creds).
- otherwise: default chain or `profile`; assumes env.execution_role when set (ORCH_ROLE_ASSUMED=1);
  when guard is true, sts:GetCallerIdentity must equal env.account_id or AccountMismatchError.
RunSession.env holds variables to add to every engine subprocess (never written to disk);
RunSession.secrets lists values that must be redacted from logs and reports.
"""

from __future__ import annotations

from pydantic import BaseModel, Field


class RunSession(BaseModel):
    env: dict[str, str] = Field(default_factory=dict)
    secrets: list[str] = Field(default_factory=list)
    account_id: str | None = None
    caller_arn: str | None = None
    local: bool = False

    def refresh_if_needed(self) -> None:
        """Renew assumed-role credentials close to expiry (long applies). No-op when not assumed."""
