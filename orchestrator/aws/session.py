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

Details
- Local mode: the emulator is `ORCH_LOCAL_ENDPOINT` when set, else the one recorded under
  `.orch/local/` (started when down and left running for the next command; `orch local down`
  stops it). The environment's account is mapped to the emulator's expected account
  (ORCH_LOCAL_ACCOUNT_ID, else the one `orch local up` recorded, else 123456789012): role ARNs
  in env.yaml are rewritten to that account, and the guard compares the emulator's real
  sts:GetCallerIdentity with it. The emulator serves HTTPS with a self-signed certificate,
  passed to boto3, the provider and the backend as AWS_CA_BUNDLE.
- The role is assumed from the caller's identity (role chaining) with session name
  `session_name`, else orch-$BUILD_TAG, else orch-$USER. The short-lived keys go into
  RunSession.env (AWS_ACCESS_KEY_ID/SECRET/SESSION_TOKEN) and RunSession.secrets only.
  `refresh_if_needed()` re-assumes when less than 10 minutes (or a quarter of the session) are left;
  callers re-read `session.env` before starting each engine process.
- Without a role, a `--profile` is passed on as AWS_PROFILE; the default chain needs nothing.
"""

from __future__ import annotations

import os
import re
from datetime import datetime
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, Field, PrivateAttr

from orchestrator import settings
from orchestrator.redact import redaction_values

if TYPE_CHECKING:
    import boto3

    from orchestrator.aws.credentials import CallerIdentity, RoleCredentials, ServiceName
    from orchestrator.config import EnvConfig
    from orchestrator.config.access import ExecutionRole

REFRESH_MARGIN_SECONDS = 600
_ROLE_ACCOUNT = re.compile(r"(arn:aws[a-z-]*:iam::)(\d{12})(:)")


class RunSession(BaseModel):
    env: dict[str, str] = Field(default_factory=dict)
    secrets: list[str] = Field(default_factory=list)
    account_id: str | None = None
    caller_arn: str | None = None
    local: bool = False
    # Added by the AWS work (optional for other callers).
    region: str | None = None
    endpoint: str | None = None
    role_arn: str | None = None
    expires_at: datetime | None = None

    _boto: boto3.Session | None = PrivateAttr(default=None)  # the caller's session
    _role: RoleCredentials | None = PrivateAttr(default=None)  # when a role was assumed
    _role_args: dict[str, Any] = PrivateAttr(default_factory=dict)
    _ca_bundle: str | None = PrivateAttr(default=None)
    # Local mode: the emulator is orch's own (HTTPS, bucket-policy conditions evaluated).
    _emulator_managed: bool = PrivateAttr(default=False)

    @property
    def emulator_enforces_policies(self) -> bool:
        return self.local and self._emulator_managed

    def refresh_if_needed(self) -> None:
        """Renew assumed-role credentials close to expiry (long applies). No-op when not assumed."""
        role: RoleCredentials | None = self._role
        if role is None or self._boto is None:
            return
        duration = int(self._role_args.get("duration", 3600))
        margin = max(REFRESH_MARGIN_SECONDS, duration // 4) if duration > 1800 else REFRESH_MARGIN_SECONDS
        if role.seconds_left() > margin:
            return
        self.refresh()

    def refresh(self) -> None:
        from orchestrator.aws.credentials import assume_role

        if self._role is None:
            return
        assert self._boto is not None  # open_session sets it before assuming a role
        role = assume_role(self._boto, endpoint=self.endpoint, ca_bundle=self._ca_bundle, **self._role_args)
        self._set_role(role)

    def _set_role(self, role: RoleCredentials) -> None:
        self._role = role
        self.env.update(role.env())
        self.env["ORCH_ROLE_ASSUMED"] = "1"
        self.expires_at = role.expiration
        self.secrets = sorted(set(self.secrets) | set(redaction_values(role)))

    def boto_session(self) -> boto3.Session:
        """A boto3 session with this run's effective identity (the assumed role when there is one)."""
        import boto3

        if self._role is not None:
            role: RoleCredentials = self._role
            return boto3.Session(
                aws_access_key_id=role.access_key_id,
                aws_secret_access_key=role.secret_access_key.get_secret_value(),
                aws_session_token=role.session_token.get_secret_value(),
                region_name=self.region,
            )
        if self._boto is None:
            raise RuntimeError("no AWS session in this run")
        return self._boto

    def has_aws(self) -> bool:
        """An AWS (or emulator) identity is configured: boto3 clients can be made."""
        return self._boto is not None or self._role is not None

    def client(self, service: ServiceName) -> Any:
        from orchestrator.aws.credentials import client

        return client(self.boto_session(), service, self.endpoint, self._ca_bundle)


def map_account(arn: str, account_id: str) -> str:
    """The same role ARN in another account (local mode: the emulator's)."""
    return _ROLE_ACCOUNT.sub(lambda m: f"{m.group(1)}{account_id}{m.group(3)}", arn)


def open_session(
    env: EnvConfig | None, *, local: bool, profile: str | None, guard: bool, session_name: str | None = None
) -> RunSession:
    if env is None and not local:
        return RunSession()  # a --dir stack without the emulator: no AWS, and no boto3 to import
    from orchestrator.aws import credentials

    region = (
        env.region
        if env is not None
        else (os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1")
    )
    run = RunSession(local=local, region=region)
    run.env.update({"AWS_REGION": region, "AWS_DEFAULT_REGION": region})
    if local:
        target_account = _emulator_target(run, region)
    else:
        assert env is not None
        target_account = _aws_target(run, env, region, profile)
    env_name = env.name if env is not None else "(none)"

    if not guard and not local:
        # validate/graph-like runs are offline: nothing to assume or check, so no AWS call and no
        # credentials needed (not even with an execution role in env.yaml).
        return run
    assert run._boto is not None
    caller = credentials.resolve_caller(
        run._boto, endpoint=run.endpoint, ca_bundle=run._ca_bundle, profile=None if local else profile
    )
    run.account_id, run.caller_arn = caller.account, caller.arn
    run.secrets = redaction_values(session=run._boto)

    source = str(env.path) if env is not None and env.path else "env.yaml"
    if guard and local:
        # The emulator is one account: the caller must already be the expected one.
        credentials.guard_account(caller, target_account, env_name=env_name, source=source, local=True)

    role = env.execution_role if env is not None else None
    if role is not None and role.arn:
        caller = _assume_execution_role(run, role, target_account, session_name)

    if guard and env is not None:
        # Real AWS: the identity Terragrunt will use (the assumed role, else the caller).
        credentials.guard_account(caller, target_account, env_name=env_name, source=source, local=local)
    return run


def _emulator_target(run: RunSession, region: str) -> str:
    """Point the run at the embedded emulator (started when down); the account it expects."""
    from orchestrator import emulator
    from orchestrator.aws import credentials

    status = emulator.ensure_running()
    expected = settings.local_account_id() or status.account_id
    run.endpoint = status.endpoint
    run._ca_bundle = status.ca_bundle or os.environ.get("AWS_CA_BUNDLE")
    run._emulator_managed = status.pid is not None and status.endpoint.startswith("https://")
    run._boto = credentials.base_session(None, region, **_test_keys())
    run.env.update(
        {
            "ORCH_LOCAL_ENDPOINT": status.endpoint,
            "ORCH_LOCAL_ACCOUNT_ID": expected,
            "AWS_ENDPOINT_URL": status.endpoint,
            "AWS_EC2_METADATA_DISABLED": "true",
            # The emulator's endpoint (and so the generated backend block) changes whenever it
            # restarts on another port; its state is throwaway, so re-initialise without asking
            # to migrate. Never set for real AWS, where a changed backend must stop the run.
            "TF_CLI_ARGS_init": "-reconfigure",
            # Terragrunt runs `init` only when providers or the module source changed, never because
            # the backend block did; so local runs keep their own source copies, one set per emulator
            # port. A restarted emulator gets freshly initialised copies, and the units'
            # .terragrunt-cache stays initialised for real AWS (`orch local down` removes these).
            "TG_DOWNLOAD_DIR": str(emulator.terragrunt_cache_dir(status)),
            **emulator.TEST_CREDENTIALS,
        }
    )
    if run._ca_bundle:
        run.env["AWS_CA_BUNDLE"] = run._ca_bundle
    if status.proxy:
        # Only the provider uses it (root.hcl), for account-prefixed S3 Control hosts.
        run.env["ORCH_LOCAL_PROXY"] = status.proxy
    from orchestrator.emulator.kube import binaries

    # Whether the emulator's clusters have a Kubernetes API (root.hcl turns the Kubernetes side
    # off when not: a machine without the local Kubernetes build, or ORCH_LOCAL_KUBE=0).
    run.env["ORCH_LOCAL_KUBE"] = "1" if binaries.emulator_serves_kube(status.endpoint, run._ca_bundle) else "0"
    return expected


def _aws_target(run: RunSession, env: EnvConfig, region: str, profile: str | None) -> str:
    """Point the run at real AWS (default chain or `profile`); the environment's account."""
    from orchestrator.aws import credentials

    run._boto = credentials.base_session(profile, region)
    if profile:
        run.env["AWS_PROFILE"] = profile
    return env.account_id


def _assume_execution_role(
    run: RunSession, role: ExecutionRole, account_id: str, session_name: str | None
) -> CallerIdentity:
    """Assume env.yaml's execution role (mapped to the emulator's account in local mode); the new caller."""
    from orchestrator.aws import credentials

    assert run._boto is not None and role.arn is not None
    role_arn = map_account(role.arn, account_id) if run.local else role.arn
    run.role_arn = role_arn
    run._role_args = {
        "role_arn": role_arn,
        "session_name": credentials.default_session_name(session_name),
        "duration": role.session_duration,
        "external_id": role.external_id,
    }
    run._set_role(credentials.assume_role(run._boto, endpoint=run.endpoint, ca_bundle=run._ca_bundle, **run._role_args))
    caller = credentials.resolve_caller(run.boto_session(), endpoint=run.endpoint, ca_bundle=run._ca_bundle)
    run.account_id, run.caller_arn = caller.account, caller.arn
    return caller


def _test_keys() -> dict[str, str]:
    from orchestrator.emulator import TEST_CREDENTIALS

    return {
        "access_key": TEST_CREDENTIALS["AWS_ACCESS_KEY_ID"],
        "secret_key": TEST_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
    }
