"""AWS identity for a run: the caller, the assumed execution role and the account guard.

    base_session(profile, region, endpoint=None, ca_bundle=None) -> boto3.Session
    resolve_caller(session, endpoint=None) -> CallerIdentity          (sts:GetCallerIdentity)
    assume_role(session, role_arn, *, session_name, duration, external_id, endpoint) -> RoleCredentials
    guard_account(identity, expected, *, env_name, source, local)    (AccountMismatchError)
    default_session_name(explicit=None) -> str                          orch-$BUILD_TAG / orch-$USER

Credentials are held in memory and handed to engine subprocesses through their environment
only (see orchestrator.aws.session); nothing here writes them to disk or prints them.
"""

from __future__ import annotations

import getpass
import os
import re
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Literal

import boto3
from botocore.config import Config
from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    HTTPClientError,
    NoCredentialsError,
    PartialCredentialsError,
    ProfileNotFound,
    TokenRetrievalError,
)
from botocore.exceptions import ConnectionError as EndpointDown
from pydantic import BaseModel, SecretStr

from orchestrator.errors import OrchError

if TYPE_CHECKING:
    from mypy_boto3_sts import STSClient
    from mypy_boto3_sts.type_defs import AssumeRoleRequestTypeDef

LOOKED_FOR = "no AWS credentials found in environment, shared files, SSO or instance metadata"
_SESSION_NAME_BAD = re.compile(r"[^\w+=,.@-]")

# Every boto3 client orch makes (client() below; notify.py) retries with this: the SDK's standard mode
# (exponential backoff with jitter, up to 20 s a wait; throttling codes such as Throttling,
# ThrottlingException, RequestLimitExceeded, SlowDown, and HTTP 500/502/503/504 are retried), 10 attempts
# in all (~1 minute of backoff at most), so AWS throttling a busy account does not fail a bootstrap or a
# run's checks. Proved against the emulator's injected throttles (tests/aws/test_throttling.py).
RETRY_ATTEMPTS = 10
THROTTLED = ("Throttling", "ThrottlingException", "RequestLimitExceeded", "SlowDown", "TooManyRequestsException")
BOTO_CONFIG = Config(
    retries={"total_max_attempts": RETRY_ATTEMPTS, "mode": "standard"}, connect_timeout=5, read_timeout=30
)


class CredentialsError(OrchError):
    """No usable AWS credentials (missing, expired, profile unknown, role not assumable)."""


class AccountMismatchError(OrchError):
    """The credentials belong to another AWS account than the environment's."""


class CallerIdentity(BaseModel):
    account: str
    arn: str
    user_id: str


class RoleCredentials(BaseModel):
    access_key_id: str
    secret_access_key: SecretStr
    session_token: SecretStr
    expiration: datetime
    role_arn: str
    session_name: str

    def env(self) -> dict[str, str]:
        return {
            "AWS_ACCESS_KEY_ID": self.access_key_id,
            "AWS_SECRET_ACCESS_KEY": self.secret_access_key.get_secret_value(),
            "AWS_SESSION_TOKEN": self.session_token.get_secret_value(),
        }

    def seconds_left(self, now: datetime | None = None) -> float:
        return (self.expiration - (now or datetime.now(UTC))).total_seconds()

    def secrets(self) -> list[str]:
        return [self.access_key_id, self.secret_access_key.get_secret_value(), self.session_token.get_secret_value()]


def default_session_name(explicit: str | None = None) -> str:
    """`explicit`, else orch-$BUILD_TAG (Jenkins), else orch-$USER; STS-safe, at most 64 chars."""
    if explicit:
        name = explicit
    elif os.environ.get("BUILD_TAG"):
        name = f"orch-{os.environ['BUILD_TAG']}"
    else:
        try:
            user = os.environ.get("USER") or getpass.getuser()
        except (KeyError, OSError):
            user = "unknown"
        name = f"orch-{user}"
    name = _SESSION_NAME_BAD.sub("-", name)[:64]
    return name if len(name) >= 2 else "orch-session"


def base_session(
    profile: str | None,
    region: str,
    *,
    access_key: str | None = None,
    secret_key: str | None = None,
    session_token: str | None = None,
) -> boto3.Session:
    """The caller's session: `profile`, explicit keys, or the default chain."""
    try:
        return boto3.Session(
            profile_name=profile,
            region_name=region,
            aws_access_key_id=access_key,
            aws_secret_access_key=secret_key,
            aws_session_token=session_token,
        )
    except ProfileNotFound:
        raise CredentialsError(
            f"AWS profile {profile!r} not found in ~/.aws/config or ~/.aws/credentials "
            "(AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE)"
        ) from None


# The services orch makes clients of. boto3-stubs types `Session.client` per literal service name; this
# function returns Any (one signature for all), and callers annotate the variable with the service's
# client class (mypy_boto3_<service>, a dev dependency, imported under TYPE_CHECKING).
ServiceName = Literal["dynamodb", "kms", "s3", "sns", "sts"]


def client(
    session: boto3.Session, service: ServiceName, endpoint: str | None = None, ca_bundle: str | None = None
) -> Any:
    return session.client(service, endpoint_url=endpoint, verify=ca_bundle if ca_bundle else None, config=BOTO_CONFIG)


# Nobody answered: connection refused or reset, timed out (after the retries above).
OFFLINE = (EndpointDown, HTTPClientError)


def endpoint_down(endpoint: str | None, exc: BaseException) -> OrchError:
    """One line for an endpoint that stopped answering: the local emulator (orch's sessions set an
    endpoint only in local mode), else AWS itself."""
    if endpoint:
        return OrchError(
            f"the local emulator at {endpoint} does not answer ({type(exc).__name__})",
            hint="start it again with `orch --local local up` (a new emulator is empty: run "
            "`orch --local bootstrap` before planning), then rerun",
        )
    return OrchError(f"AWS did not answer: {exc}", hint="check the network (or the proxy) and rerun")


def _credential_failure(exc: Exception, profile: str | None) -> CredentialsError:
    where = f"profile {profile!r}" if profile else "the default chain"
    if isinstance(exc, NoCredentialsError):
        if profile:
            return CredentialsError(
                f"no AWS credentials in profile {profile!r} (~/.aws/config, ~/.aws/credentials, SSO cache)"
            )
        return CredentialsError(LOOKED_FOR)
    if isinstance(exc, PartialCredentialsError):
        return CredentialsError(f"incomplete AWS credentials from {where}: {exc}")
    if isinstance(exc, TokenRetrievalError):
        return CredentialsError(
            f"AWS SSO session for {where} expired or missing",
            hint=f"aws sso login{' --profile ' + profile if profile else ''}",
        )
    if isinstance(exc, ClientError):
        code = exc.response.get("Error", {}).get("Code", "")
        if code in THROTTLED:
            return CredentialsError(
                f"AWS throttled sts:GetCallerIdentity for {where} through all {RETRY_ATTEMPTS} attempts ({code})",
                hint="rerun in a few minutes (something else in the account is calling STS hard)",
            )
        return CredentialsError(f"AWS rejected the credentials from {where}: {code}")
    return CredentialsError(f"could not use AWS credentials from {where}: {type(exc).__name__}")


def resolve_caller(
    session: boto3.Session, *, endpoint: str | None = None, ca_bundle: str | None = None, profile: str | None = None
) -> CallerIdentity:
    """sts:GetCallerIdentity for `session`; CredentialsError with one clear line when it fails."""
    try:
        if session.get_credentials() is None:
            raise NoCredentialsError()
        sts: STSClient = client(session, "sts", endpoint, ca_bundle)
        out = sts.get_caller_identity()
    except OFFLINE as exc:
        raise endpoint_down(endpoint, exc) from None
    except (BotoCoreError, ClientError) as exc:
        raise _credential_failure(exc, profile) from None
    return CallerIdentity(account=out["Account"], arn=out["Arn"], user_id=out["UserId"])


def assume_role(
    session: boto3.Session,
    role_arn: str,
    *,
    session_name: str,
    duration: int = 3600,
    external_id: str | None = None,
    endpoint: str | None = None,
    ca_bundle: str | None = None,
) -> RoleCredentials:
    """sts:AssumeRole from the caller's identity (chaining caps the duration at 1 h on AWS)."""
    kwargs: AssumeRoleRequestTypeDef = {
        "RoleArn": role_arn,
        "RoleSessionName": session_name,
        "DurationSeconds": duration,
    }
    if external_id:
        kwargs["ExternalId"] = external_id
    sts: STSClient = client(session, "sts", endpoint, ca_bundle)
    try:
        out = sts.assume_role(**kwargs)
    except ClientError as exc:
        error = exc.response.get("Error", {})
        message = error.get("Message", "")
        if "DurationSeconds exceeds" in message and duration > 3600:
            # Role chaining (or the role's MaxSessionDuration) limits sessions to 1 hour.
            return assume_role(
                session,
                role_arn,
                session_name=session_name,
                duration=3600,
                external_id=external_id,
                endpoint=endpoint,
                ca_bundle=ca_bundle,
            )
        raise CredentialsError(
            f"cannot assume {role_arn} as {session_name}: {error.get('Code', 'error')}: {message}"
        ) from None
    except BotoCoreError as exc:
        raise _credential_failure(exc, None) from None
    creds = out["Credentials"]
    expiration = creds["Expiration"]
    if expiration.tzinfo is None:
        expiration = expiration.replace(tzinfo=UTC)
    return RoleCredentials(
        access_key_id=creds["AccessKeyId"],
        secret_access_key=SecretStr(creds["SecretAccessKey"]),
        session_token=SecretStr(creds["SessionToken"]),
        expiration=expiration,
        role_arn=role_arn,
        session_name=session_name,
    )


def guard_account(
    identity: CallerIdentity, expected: str, *, env_name: str, source: str = "env.yaml", local: bool = False
) -> None:
    """Refuse to go on unless the credentials are the environment's account."""
    if identity.account == expected:
        return
    if local:
        raise AccountMismatchError(
            f"emulator account mismatch: the emulator answers as account {identity.account} "
            f"({identity.arn}) but orch expects {expected} for environment {env_name!r} in local mode",
            hint="restart it with `orch local down && orch local up`, or set ORCH_LOCAL_ACCOUNT_ID",
        )
    raise AccountMismatchError(
        f"AWS account mismatch: credentials are for account {identity.account} ({identity.arn}) "
        f"but environment {env_name!r} is account {expected} ({source})",
        hint="choose the right --profile, or check account_id in env.yaml",
    )
