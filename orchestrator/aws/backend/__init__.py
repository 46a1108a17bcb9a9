"""`orch bootstrap`: create or verify the Terraform state backend of one environment.

    bootstrap(env, session, repair=False) -> BootstrapResult

What it owns (names from env.yaml `state:`):
- a customer managed KMS key with rotation on, aliased `kms_alias`, whose key policy lets the
  account administer it and `cross_account_principals` use it;
- the S3 bucket: versioning; default encryption SSE-KMS with that key (bucket key on); public
  access block (all four); object ownership BucketOwnerEnforced; a policy denying non-TLS
  access and uploads without `x-amz-server-side-encryption: aws:kms` and granting
  `cross_account_principals` state access; a lifecycle rule expiring noncurrent versions and
  aborting stale multipart uploads; the environment's standard tags;
- with lock_mode `dynamodb` or `both`: the lock table (PAY_PER_REQUEST, key LockID, SSE with the
  same key, point-in-time recovery, deletion protection, tags).

Idempotent. Whatever does not exist is created ("changed": true). Whatever exists is read
back and compared; a difference is drift: reported as "drift: ..." (changed false, exit 2 from
the command) and fixed with `repair=True` ("repaired: ..."). A setting the emulator cannot
read back is reported as "unverifiable on emulator: ..." rather than assumed. Refused before
anything is created or changed (BackendError, `--repair` too): a bucket name another account
holds, and an alias whose key is disabled or pending deletion (the hint: the `aws kms` command).

    require_state_bucket(env, session, local) -> None

Before plan/apply/drift/destroy: the bucket exists and is still versioned, SSE-KMS encrypted and
TLS-only, and the key is Enabled; else one line naming what is wrong, with the fix.

bootstrap/00-state-backend holds the same resources as HCL (with the import commands) so that
Terraform can own them later.

Where things are: policies.py holds the wanted documents (pure); reconcile.py the one
create/check/repair loop over a table of settings; kms.py, s3.py and dynamodb.py one resource
each, as such a table.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from botocore.exceptions import BotoCoreError, ClientError
from pydantic import BaseModel, Field

from orchestrator.aws.backend import dynamodb, kms, s3
from orchestrator.aws.backend.policies import denies_insecure_transport, partition_of
from orchestrator.aws.backend.reconcile import NOT_FOUND, BackendError, Reconciler, error_code, orch_command
from orchestrator.aws.credentials import OFFLINE, endpoint_down
from orchestrator.aws.session import RunSession
from orchestrator.config import EnvConfig

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client


class BootstrapResult(BaseModel):
    bucket: str
    region: str
    lock_table: str | None = None
    kms_key: str
    changed: bool = False
    actions: list[str] = Field(default_factory=list)
    drift: list[str] = Field(default_factory=list)
    unverifiable: list[str] = Field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return self.model_dump()


def bootstrap(env: EnvConfig, session: RunSession, repair: bool = False) -> BootstrapResult:
    """Create or verify the state backend of `env` with `session`'s identity (see module docstring)."""
    rec = Reconciler(repair)
    account = session.account_id or env.account_id
    partition = partition_of(session.caller_arn)
    s3_client, kms_client = session.client("s3"), session.client("kms")
    lock_table = None
    try:
        # Refusals (a bucket of another account, a disabled key) come before anything is created.
        exists = s3.bucket_exists(s3_client, env, session, account)
        key_arn = kms.ensure_key(rec, kms_client, env, partition=partition, account=account, local=session.local)
        bucket = s3.Bucket(s3_client, kms_client, env, key_arn, partition)
        s3.ensure_bucket(rec, bucket, exists=exists, policy_enforced=_enforces_policies(session))
        if env.state.lock_mode != "s3":
            lock_table = dynamodb.ensure_table(rec, session.client("dynamodb"), kms_client, env, key_arn)
    except ClientError as exc:
        raise BackendError(
            f"bootstrap of {env.name} failed: {error_code(exc)}: {exc.response.get('Error', {}).get('Message', '')}"
        ) from None
    except OFFLINE as exc:
        raise endpoint_down(session.endpoint, exc) from None
    return BootstrapResult(
        bucket=env.state.bucket,
        region=env.region,
        lock_table=lock_table,
        kms_key=key_arn,
        changed=rec.changed,
        actions=rec.actions,
        drift=rec.drift,
        unverifiable=rec.unverified,
    )


def _enforces_policies(session: RunSession) -> bool:
    """A bucket policy can be put and read back: AWS, or the emulator orch runs (not plain moto)."""
    return not session.local or session.emulator_enforces_policies


def require_state_bucket(env: EnvConfig, session: RunSession, local: bool = False) -> None:
    """Refuse a plan/apply/drift before any engine runs when the state backend is missing or broken.

    Without the bucket Terragrunt fails every unit with its own hint (`--backend-bootstrap`), which
    would create a bucket without orch's hardening; the fix is `orch bootstrap`. A bucket whose
    versioning or SSE-KMS default encryption was turned off, or whose policy no longer denies
    plain-HTTP access, is refused naming each problem, with `orch bootstrap --repair`; a state key
    that is disabled or pending deletion with the KMS command that re-enables it. Five read calls
    at most. A read this identity may not make (denied), throttling that outlasts the retries, or
    an AWS that does not answer is left for the engine to report; an emulator that does not answer
    is named with the command that starts it.
    """
    bucket = env.state.bucket
    s3_client: S3Client = session.client("s3")
    try:
        try:
            s3_client.head_bucket(Bucket=bucket)
        except ClientError as exc:
            if error_code(exc) in NOT_FOUND:
                where = "the local emulator" if local else f"account {session.account_id or env.account_id}"
                raise BackendError(
                    f"state bucket {bucket} does not exist in {where}",
                    hint=f"create the state backend first: {orch_command(env, local, 'bootstrap')}",
                ) from None
            return
        problems = _bucket_problems(s3_client, bucket, check_policy=_enforces_policies(session))
        if problems:
            raise BackendError(
                f"state bucket {bucket} is not as orch bootstrap left it: {'; '.join(problems)}",
                hint=f"restore it: {orch_command(env, local, 'bootstrap')} --repair",
            )
        try:
            meta = session.client("kms").describe_key(KeyId=env.state.kms_alias)["KeyMetadata"]
        except ClientError:
            return  # a missing alias or a denied read: the engine reports what it cannot do
        problem = kms.key_state_problem(env, meta, local)
        if problem is not None:
            raise problem
    except OFFLINE as exc:
        if session.local:
            raise endpoint_down(session.endpoint, exc) from None
    except BotoCoreError:
        return


def _bucket_problems(s3_client: S3Client, bucket: str, *, check_policy: bool) -> list[str]:
    """What is wrong with the bucket's versioning, encryption and (when checked) policy."""

    def read(fn: Callable[..., Any], missing: str, **kwargs: Any) -> Any:
        """The answer; {} when `missing` is the error code; None when it cannot be known."""
        try:
            return fn(Bucket=bucket, **kwargs)
        except ClientError as exc:
            return {} if error_code(exc) == missing else None

    problems: list[str] = []
    versioning = read(s3_client.get_bucket_versioning, "")
    if versioning is not None and versioning.get("Status") != "Enabled":
        problems.append(f"versioning is {versioning.get('Status') or 'off'}")
    encryption = read(s3_client.get_bucket_encryption, "ServerSideEncryptionConfigurationNotFoundError")
    if encryption is not None:
        rules = encryption.get("ServerSideEncryptionConfiguration", {}).get("Rules", [])
        algorithms = [r.get("ApplyServerSideEncryptionByDefault", {}).get("SSEAlgorithm") for r in rules]
        if not any(a in ("aws:kms", "aws:kms:dsse") for a in algorithms):
            problems.append(f"default encryption is {'/'.join(filter(None, algorithms)) or 'off'}, not SSE-KMS")
    if check_policy:  # bootstrap leaves it out on plain moto
        policy = read(s3_client.get_bucket_policy, "NoSuchBucketPolicy")
        if policy == {}:
            problems.append("its bucket policy is gone")
        elif policy is not None and not denies_insecure_transport(policy.get("Policy")):
            problems.append("its bucket policy no longer denies plain-HTTP (non-TLS) access")
    return problems
