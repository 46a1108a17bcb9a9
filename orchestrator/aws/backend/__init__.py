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
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from botocore.exceptions import BotoCoreError, ClientError
from pydantic import BaseModel, Field

from orchestrator.aws.credentials import OFFLINE, endpoint_down
from orchestrator.aws.session import RunSession
from orchestrator.config import EnvConfig
from orchestrator.errors import OrchError

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_kms import KMSClient
    from mypy_boto3_kms.type_defs import KeyMetadataTypeDef
    from mypy_boto3_s3 import S3Client

LIFECYCLE_RULE_ID = "expire-noncurrent-state-versions"
ABORT_MULTIPART_DAYS = 7


class BackendError(OrchError):
    """An AWS call of the bootstrap failed."""


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


def _code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))


_DENIED = ("403", "AccessDenied", "Forbidden", "AccessDeniedException")
_NOT_FOUND = ("404", "NoSuchBucket", "NotFound")


def _env_file(env: EnvConfig) -> str:
    """env.yaml as the user would type it (relative to the repository when inside it)."""
    from orchestrator.settings import REPO_ROOT

    if env.path is None:
        return f"environments/LIVE/{env.name}/env.yaml"
    path = os.path.relpath(env.path, REPO_ROOT)
    return str(env.path) if path.startswith("..") else path


def _orch(env: EnvConfig, local: bool, *args: str) -> str:
    return " ".join(["orch", *(["--local"] if local else []), *args, "--env", env.name])


def key_state_problem(env: EnvConfig, meta: KeyMetadataTypeDef, local: bool) -> BackendError | None:
    """The state key must be Enabled: a disabled or pending-deletion key locks the state away."""
    state = meta.get("KeyState")
    if state == "Enabled":
        return None
    alias, key_id, region = env.state.kms_alias, meta.get("KeyId"), env.region
    when = ""
    if state == "PendingDeletion" and meta.get("DeletionDate"):
        when = f", deletion scheduled for {meta['DeletionDate']:%Y-%m-%d %H:%M} UTC"
    kms = f"aws kms {{}} --key-id {key_id} --region {region}"
    if state == "Disabled":
        fix = kms.format("enable-key")
    elif state == "PendingDeletion":
        fix = f"{kms.format('cancel-key-deletion')} && {kms.format('enable-key')}"
    else:
        fix = kms.format("describe-key")
    if local:
        fix = f'eval "$(orch local env --env {env.name})" && {fix}'
    return BackendError(
        f"KMS alias {alias} points to key {key_id}, which is {state}{when}: the state encrypted with it "
        "cannot be read or written",
        hint=fix,
    )


class _Run:
    def __init__(self, env: EnvConfig, session: RunSession, repair: bool) -> None:
        self.env = env
        self.state = env.state
        self.session = session
        self.repair = repair
        self.region = env.region
        self.account = session.account_id or env.account_id
        arn = session.caller_arn or ""
        self.partition = arn.split(":")[1] if arn.count(":") >= 2 else "aws"
        self.s3: S3Client = session.client("s3")
        self.kms: KMSClient = session.client("kms")
        self.result = BootstrapResult(bucket=self.state.bucket, region=self.region, kms_key="")

    # -- reporting ------------------------------------------------------------------------------------

    def created(self, what: str) -> None:
        self.result.actions.append(f"created: {what}")
        self.result.changed = True

    def drifted(self, what: str, fix: Callable[[], None]) -> None:
        """A setting differs from the wanted one: report it, fix it when repairing."""
        if self.repair:
            fix()
            self.result.actions.append(f"repaired: {what}")
            self.result.changed = True
        else:
            self.result.drift.append(what)
            self.result.actions.append(f"drift: {what} (run with --repair)")

    def unverifiable(self, what: str) -> None:
        self.result.unverifiable.append(what)
        self.result.actions.append(f"unverifiable on emulator: {what}")

    def call(self, what: str, fn: Callable[..., Any], **kwargs: Any) -> Any:
        try:
            return fn(**kwargs)
        except ClientError as exc:
            message = exc.response.get("Error", {}).get("Message", "")
            raise BackendError(f"{what} failed: {_code(exc)}: {message}") from None

    # -- desired state --------------------------------------------------------------------------------

    def principal_arns(self) -> list[str]:
        return [
            p if p.startswith("arn:") else f"arn:{self.partition}:iam::{p}:root"
            for p in self.state.cross_account_principals
        ]

    def key_policy(self) -> dict[str, Any]:
        statements: list[dict[str, Any]] = [
            {
                "Sid": "AccountAdministersKey",
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:{self.partition}:iam::{self.account}:root"},
                "Action": "kms:*",
                "Resource": "*",
            }
        ]
        if self.state.cross_account_principals:
            statements.append(
                {
                    "Sid": "CrossAccountStateUse",
                    "Effect": "Allow",
                    "Principal": {"AWS": self.principal_arns()},
                    "Action": [
                        "kms:Encrypt",
                        "kms:Decrypt",
                        "kms:ReEncrypt*",
                        "kms:GenerateDataKey*",
                        "kms:DescribeKey",
                    ],
                    "Resource": "*",
                }
            )
        return {"Version": "2012-10-17", "Statement": statements}

    def bucket_policy(self) -> dict[str, Any]:
        bucket_arn = f"arn:{self.partition}:s3:::{self.state.bucket}"
        statements: list[dict[str, Any]] = [
            {
                "Sid": "DenyInsecureTransport",
                "Effect": "Deny",
                "Principal": "*",
                "Action": "s3:*",
                "Resource": [bucket_arn, f"{bucket_arn}/*"],
                "Condition": {"Bool": {"aws:SecureTransport": "false"}},
            },
            {
                # The backend sends encrypt = true with kms_key_id: aws:kms on every state and .tflock PUT.
                "Sid": "DenyUnencryptedUploads",
                "Effect": "Deny",
                "Principal": "*",
                "Action": "s3:PutObject",
                "Resource": f"{bucket_arn}/*",
                "Condition": {"StringNotEquals": {"s3:x-amz-server-side-encryption": "aws:kms"}},
            },
        ]
        if self.state.cross_account_principals:
            principals = {"AWS": self.principal_arns()}
            statements += [
                {
                    "Sid": "CrossAccountListState",
                    "Effect": "Allow",
                    "Principal": principals,
                    "Action": ["s3:ListBucket", "s3:GetBucketVersioning", "s3:GetBucketLocation"],
                    "Resource": bucket_arn,
                },
                {
                    "Sid": "CrossAccountReadWriteState",
                    "Effect": "Allow",
                    "Principal": principals,
                    "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
                    "Resource": f"{bucket_arn}/*",
                },
            ]
        return {"Version": "2012-10-17", "Statement": statements}

    def lifecycle_rule(self) -> dict[str, Any]:
        return {
            "ID": LIFECYCLE_RULE_ID,
            "Status": "Enabled",
            "Filter": {},
            "NoncurrentVersionExpiration": {"NoncurrentDays": self.state.noncurrent_version_days},
            "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": ABORT_MULTIPART_DAYS},
        }

    def tag_set(self) -> list[dict[str, str]]:
        return [{"Key": k, "Value": v} for k, v in sorted(self.env.tags.items())]

    # -- KMS ------------------------------------------------------------------------------------------

    def ensure_key(self) -> str:
        alias = self.state.kms_alias
        try:
            meta = self.kms.describe_key(KeyId=alias)["KeyMetadata"]
        except ClientError as exc:
            if _code(exc) != "NotFoundException":
                raise BackendError(f"kms:DescribeKey {alias} failed: {_code(exc)}") from None
            meta = None
        if meta is None:
            meta = self.call(
                "kms:CreateKey",
                self.kms.create_key,
                Description=f"Terraform state of {self.env.name} ({self.state.bucket})",
                KeyUsage="ENCRYPT_DECRYPT",
                KeySpec="SYMMETRIC_DEFAULT",
                Policy=json.dumps(self.key_policy()),
                Tags=[{"TagKey": k, "TagValue": v} for k, v in sorted(self.env.tags.items())],
            )["KeyMetadata"]
            self.call("kms:CreateAlias", self.kms.create_alias, AliasName=alias, TargetKeyId=meta["KeyId"])
            self.call("kms:EnableKeyRotation", self.kms.enable_key_rotation, KeyId=meta["KeyId"])
            self.created(f"KMS key {meta['Arn']} ({alias}, rotation on)")
            return str(meta["Arn"])
        key_id, key_arn = meta["KeyId"], str(meta["Arn"])
        # Not drift to repair: somebody disabled the key or scheduled its deletion, maybe on purpose.
        # Refused before anything is changed, with the command that undoes it.
        problem = key_state_problem(self.env, meta, self.session.local)
        if problem is not None:
            raise problem
        rotation = self.call("kms:GetKeyRotationStatus", self.kms.get_key_rotation_status, KeyId=key_id)
        if not rotation.get("KeyRotationEnabled"):
            self.drifted(
                f"KMS key {alias} rotation is off",
                lambda: self.call("kms:EnableKeyRotation", self.kms.enable_key_rotation, KeyId=key_id),
            )
        if self.state.cross_account_principals:
            policy = json.loads(
                self.call("kms:GetKeyPolicy", self.kms.get_key_policy, KeyId=key_id, PolicyName="default")["Policy"]
            )
            have = {s.get("Sid"): s for s in policy.get("Statement", [])}
            want = self.key_policy()["Statement"][1]
            if have.get("CrossAccountStateUse", {}).get("Principal") != want["Principal"]:
                merged = [s for s in policy.get("Statement", []) if s.get("Sid") != "CrossAccountStateUse"]
                merged.append(want)
                self.drifted(
                    f"KMS key {alias} policy does not grant the cross-account principals",
                    lambda: self.call(
                        "kms:PutKeyPolicy",
                        self.kms.put_key_policy,
                        KeyId=key_id,
                        PolicyName="default",
                        Policy=json.dumps({**policy, "Statement": merged}),
                    ),
                )
        return key_arn

    def key_arn_of(self, key_ref: str | None) -> str | None:
        if not key_ref:
            return None
        try:
            return str(self.kms.describe_key(KeyId=key_ref)["KeyMetadata"]["Arn"])
        except ClientError:
            return key_ref

    # -- S3 -------------------------------------------------------------------------------------------

    def create_bucket_args(self) -> dict[str, Any]:
        kwargs: dict[str, Any] = {"Bucket": self.state.bucket, "ObjectOwnership": "BucketOwnerEnforced"}
        if self.region != "us-east-1":
            kwargs["CreateBucketConfiguration"] = {"LocationConstraint": self.region}
        return kwargs

    def bucket_exists(self) -> bool:
        """True when the state bucket exists and is this account's; refuses anybody else's.

        Runs before anything is created. HeadBucket names this account as the expected owner, so
        a bucket of another account answers 403 even when its policy lets us in. On a 403,
        CreateBucket tells the two cases apart as AWS does: BucketAlreadyExists (the global name
        is another account's) or BucketAlreadyOwnedByYou (ours, but this identity is denied).
        """
        bucket = self.state.bucket
        try:
            self.s3.head_bucket(Bucket=bucket, ExpectedBucketOwner=self.account)
            return True
        except ClientError as exc:
            code = _code(exc)
            if code in _NOT_FOUND:
                return False
            if code not in _DENIED:
                raise BackendError(f"s3:HeadBucket {bucket} failed: {code}") from None
        try:
            self.s3.create_bucket(**self.create_bucket_args())
            code = "200"  # us-east-1 answers CreateBucket of one's own bucket with 200
        except ClientError as exc:
            code = _code(exc)
        if code == "BucketAlreadyExists":
            raise BackendError(
                f"state bucket {bucket} belongs to another AWS account (S3 bucket names are global)",
                hint=f"set state.bucket in {_env_file(self.env)} to a name of your own, then run "
                f"`{_orch(self.env, self.session.local, 'bootstrap')}`",
            )
        if code in ("BucketAlreadyOwnedByYou", "200"):
            who = self.session.caller_arn or "this identity"
            raise BackendError(
                f"state bucket {bucket} is in account {self.account} but denies {who}",
                hint="its bucket policy shuts this identity out: fix it as the account's administrator "
                f"(aws s3api get-bucket-policy --bucket {bucket}), then rerun",
            )
        raise BackendError(
            f"state bucket {bucket} exists but {self.session.caller_arn or 'this identity'} cannot reach it "
            f"(s3:HeadBucket 403, s3:CreateBucket {code})"
        )

    def ensure_bucket(self, key_arn: str, exists: bool) -> None:
        bucket = self.state.bucket
        s3 = self.s3
        created = False
        if not exists:
            self.call("s3:CreateBucket", s3.create_bucket, **self.create_bucket_args())
            created = True

        def apply(what: str, setter: Callable[[], None], ok: Callable[[], bool | None]) -> None:
            if created:
                setter()
                return
            verdict = ok()
            if verdict is None:
                self.unverifiable(what)
            elif not verdict:
                self.drifted(what, setter)

        # Versioning
        def set_versioning() -> None:
            self.call(
                "s3:PutBucketVersioning",
                s3.put_bucket_versioning,
                Bucket=bucket,
                VersioningConfiguration={"Status": "Enabled"},
            )

        apply(
            "bucket versioning is not Enabled",
            set_versioning,
            lambda: s3.get_bucket_versioning(Bucket=bucket).get("Status") == "Enabled",
        )

        # Public access block
        block = {
            "BlockPublicAcls": True,
            "IgnorePublicAcls": True,
            "BlockPublicPolicy": True,
            "RestrictPublicBuckets": True,
        }

        def set_block() -> None:
            self.call(
                "s3:PutPublicAccessBlock",
                s3.put_public_access_block,
                Bucket=bucket,
                PublicAccessBlockConfiguration=block,
            )

        def block_ok() -> bool:
            try:
                have = s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"]
            except ClientError as exc:
                if _code(exc) == "NoSuchPublicAccessBlockConfiguration":
                    return False
                raise
            return all(have.get(k) is True for k in block)

        apply("public access block is not fully on", set_block, block_ok)

        # Object ownership
        def set_ownership() -> None:
            self.call(
                "s3:PutBucketOwnershipControls",
                s3.put_bucket_ownership_controls,
                Bucket=bucket,
                OwnershipControls={"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]},
            )

        def ownership_ok() -> bool:
            try:
                rules = s3.get_bucket_ownership_controls(Bucket=bucket)["OwnershipControls"]["Rules"]
            except ClientError as exc:
                if _code(exc) == "OwnershipControlsNotFoundError":
                    return False
                raise
            return [r.get("ObjectOwnership") for r in rules] == ["BucketOwnerEnforced"]

        apply("object ownership is not BucketOwnerEnforced", set_ownership, ownership_ok)

        # Default encryption
        def set_encryption() -> None:
            self.call(
                "s3:PutBucketEncryption",
                s3.put_bucket_encryption,
                Bucket=bucket,
                ServerSideEncryptionConfiguration={
                    "Rules": [
                        {
                            "ApplyServerSideEncryptionByDefault": {
                                "SSEAlgorithm": "aws:kms",
                                "KMSMasterKeyID": key_arn,
                            },
                            "BucketKeyEnabled": True,
                        }
                    ]
                },
            )

        def encryption_ok() -> bool:
            try:
                rules = s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]["Rules"]
            except ClientError as exc:
                if _code(exc) == "ServerSideEncryptionConfigurationNotFoundError":
                    return False
                raise
            if len(rules) != 1:
                return False
            default = rules[0].get("ApplyServerSideEncryptionByDefault", {})
            return (
                default.get("SSEAlgorithm") == "aws:kms"
                and self.key_arn_of(default.get("KMSMasterKeyID")) == key_arn
                and rules[0].get("BucketKeyEnabled") is True
            )

        apply(f"default encryption is not SSE-KMS with {self.state.kms_alias}", set_encryption, encryption_ok)

        # Lifecycle
        def set_lifecycle() -> None:
            try:
                current = s3.get_bucket_lifecycle_configuration(Bucket=bucket)["Rules"]
            except ClientError:
                current = []
            rules = [r for r in current if r.get("ID") != LIFECYCLE_RULE_ID] + [self.lifecycle_rule()]
            self.call(
                "s3:PutBucketLifecycleConfiguration",
                s3.put_bucket_lifecycle_configuration,
                Bucket=bucket,
                LifecycleConfiguration={"Rules": rules},
            )

        def lifecycle_ok() -> bool:
            try:
                rules = s3.get_bucket_lifecycle_configuration(Bucket=bucket)["Rules"]
            except ClientError as exc:
                if _code(exc) == "NoSuchLifecycleConfiguration":
                    return False
                raise
            want = self.lifecycle_rule()
            for rule in rules:
                if rule.get("ID") == LIFECYCLE_RULE_ID:
                    return (
                        rule.get("Status") == "Enabled"
                        and rule.get("NoncurrentVersionExpiration", {}).get("NoncurrentDays")
                        == want["NoncurrentVersionExpiration"]["NoncurrentDays"]
                        and rule.get("AbortIncompleteMultipartUpload") == want["AbortIncompleteMultipartUpload"]
                    )
            return False

        apply("lifecycle rule expiring noncurrent versions is missing or different", set_lifecycle, lifecycle_ok)

        # Tags
        def set_tags() -> None:
            self.call("s3:PutBucketTagging", s3.put_bucket_tagging, Bucket=bucket, Tagging={"TagSet": self.tag_set()})

        def tags_ok() -> bool:
            try:
                have = {t["Key"]: t["Value"] for t in s3.get_bucket_tagging(Bucket=bucket)["TagSet"]}
            except ClientError as exc:
                if _code(exc) == "NoSuchTagSet":
                    return False
                raise
            return all(have.get(k) == v for k, v in self.env.tags.items())

        apply("standard tags are missing or different", set_tags, tags_ok)

        # Policy last: it denies plain-HTTP access, which must not lock out the calls above.
        want_policy = self.bucket_policy()

        def set_policy() -> None:
            self.call("s3:PutBucketPolicy", s3.put_bucket_policy, Bucket=bucket, Policy=json.dumps(want_policy))

        def policy_ok() -> bool:
            try:
                have = json.loads(s3.get_bucket_policy(Bucket=bucket)["Policy"])
            except ClientError as exc:
                if _code(exc) == "NoSuchBucketPolicy":
                    return False
                raise
            return _normalise(have) == _normalise(want_policy)

        if self.session.local and not self.session.emulator_enforces_policies:
            # A plain moto server treats every conditional Deny as unconditional (and plain HTTP is
            # never "secure transport"): the policy would lock everybody out of the state.
            self.unverifiable(
                "bucket policy not applied: this emulator is not orch's (`orch local up` "
                "runs one that evaluates policy conditions over HTTPS)"
            )
        else:
            apply(
                "bucket policy (TLS only, encrypted uploads, cross-account access) is missing or different",
                set_policy,
                policy_ok,
            )

        if created:
            self.created(
                f"S3 bucket {bucket} (versioning, SSE-KMS, public access block, owner enforced, "
                f"TLS-only and encrypted-upload policy, noncurrent-version lifecycle, tags)"
            )

    # -- DynamoDB -------------------------------------------------------------------------------------

    def ensure_table(self, key_arn: str) -> str | None:
        if self.state.lock_mode == "s3":
            return None
        table = self.state.lock_table
        assert table is not None  # config validation
        ddb: DynamoDBClient = self.session.client("dynamodb")
        try:
            desc = ddb.describe_table(TableName=table)["Table"]
        except ClientError as exc:
            if _code(exc) != "ResourceNotFoundException":
                raise BackendError(f"dynamodb:DescribeTable {table} failed: {_code(exc)}") from None
            desc = None
        if desc is None:
            self.call(
                "dynamodb:CreateTable",
                ddb.create_table,
                TableName=table,
                BillingMode="PAY_PER_REQUEST",
                AttributeDefinitions=[{"AttributeName": "LockID", "AttributeType": "S"}],
                KeySchema=[{"AttributeName": "LockID", "KeyType": "HASH"}],
                SSESpecification={"Enabled": True, "SSEType": "KMS", "KMSMasterKeyId": key_arn},
                DeletionProtectionEnabled=True,
                Tags=[{"Key": k, "Value": v} for k, v in sorted(self.env.tags.items())],
            )
            _wait_active(ddb, table)
            self.call(
                "dynamodb:UpdateContinuousBackups",
                ddb.update_continuous_backups,
                TableName=table,
                PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True},
            )
            self.created(f"DynamoDB lock table {table} (PAY_PER_REQUEST, SSE-KMS, point-in-time recovery)")
            return table

        if [k.get("AttributeName") for k in desc.get("KeySchema", [])] != ["LockID"]:
            raise BackendError(f"DynamoDB table {table} exists with another key schema (want hash key LockID)")
        if desc.get("BillingModeSummary", {}).get("BillingMode") != "PAY_PER_REQUEST":

            def pay_per_request() -> None:
                self.call("dynamodb:UpdateTable", ddb.update_table, TableName=table, BillingMode="PAY_PER_REQUEST")
                _wait_active(ddb, table)

            self.drifted(f"lock table {table} is not PAY_PER_REQUEST", pay_per_request)
        sse = desc.get("SSEDescription")
        if (
            sse is None
            or sse.get("Status") not in ("ENABLED", "UPDATING")
            or sse.get("SSEType") != "KMS"
            or (self.key_arn_of(sse.get("KMSMasterKeyArn")) != key_arn)
        ):
            self.drifted(
                f"lock table {table} is not encrypted with the state key",
                lambda: self.call(
                    "dynamodb:UpdateTable",
                    ddb.update_table,
                    TableName=table,
                    SSESpecification={"Enabled": True, "SSEType": "KMS", "KMSMasterKeyId": key_arn},
                ),
            )
        backups = self.call("dynamodb:DescribeContinuousBackups", ddb.describe_continuous_backups, TableName=table)[
            "ContinuousBackupsDescription"
        ]
        pitr = backups.get("PointInTimeRecoveryDescription", {}).get("PointInTimeRecoveryStatus")
        if pitr is None:
            self.unverifiable(f"point-in-time recovery of {table}")
        elif pitr != "ENABLED":
            self.drifted(
                f"point-in-time recovery of lock table {table} is off",
                lambda: self.call(
                    "dynamodb:UpdateContinuousBackups",
                    ddb.update_continuous_backups,
                    TableName=table,
                    PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True},
                ),
            )
        return table


def _wait_active(ddb: DynamoDBClient, table: str, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if ddb.describe_table(TableName=table)["Table"].get("TableStatus") == "ACTIVE":
            return
        time.sleep(2)
    raise BackendError(f"DynamoDB table {table} did not become ACTIVE within {timeout:.0f}s")


def _normalise(policy: Any) -> object:
    """Policy JSON with single-item lists flattened and lists sorted, for comparison."""
    if isinstance(policy, dict):
        return {k: _normalise(v) for k, v in policy.items() if k != "Id"}
    if isinstance(policy, list):
        items = [_normalise(v) for v in policy]
        if len(items) == 1:
            return items[0]
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True))
    return policy


def bootstrap(env: EnvConfig, session: RunSession, repair: bool = False) -> BootstrapResult:
    """Create or verify the state backend of `env` with `session`'s identity (see module docstring)."""
    run = _Run(env, session, repair)
    try:
        # Refusals (a bucket of another account, a disabled key) come before anything is created.
        exists = run.bucket_exists()
        key_arn = run.ensure_key()
        run.result.kms_key = key_arn
        run.ensure_bucket(key_arn, exists)
        run.result.lock_table = run.ensure_table(key_arn)
    except ClientError as exc:
        raise BackendError(
            f"bootstrap of {env.name} failed: {_code(exc)}: {exc.response.get('Error', {}).get('Message', '')}"
        ) from None
    except OFFLINE as exc:
        raise endpoint_down(session.endpoint, exc) from None
    return run.result


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
    s3: S3Client = session.client("s3")

    def read(fn: Callable[..., Any], missing: str, **kwargs: Any) -> Any:
        """The answer; {} when `missing` is the error code; None when it cannot be known."""
        try:
            return fn(Bucket=bucket, **kwargs)
        except ClientError as exc:
            return {} if _code(exc) == missing else None

    try:
        try:
            s3.head_bucket(Bucket=bucket)
        except ClientError as exc:
            if _code(exc) in _NOT_FOUND:
                where = "the local emulator" if local else f"account {session.account_id or env.account_id}"
                raise BackendError(
                    f"state bucket {bucket} does not exist in {where}",
                    hint=f"create the state backend first: {_orch(env, local, 'bootstrap')}",
                ) from None
            return
        problems: list[str] = []
        versioning = read(s3.get_bucket_versioning, "")
        if versioning is not None and versioning.get("Status") != "Enabled":
            problems.append(f"versioning is {versioning.get('Status') or 'off'}")
        encryption = read(s3.get_bucket_encryption, "ServerSideEncryptionConfigurationNotFoundError")
        if encryption is not None:
            rules = encryption.get("ServerSideEncryptionConfiguration", {}).get("Rules", [])
            algorithms = [r.get("ApplyServerSideEncryptionByDefault", {}).get("SSEAlgorithm") for r in rules]
            if not any(a in ("aws:kms", "aws:kms:dsse") for a in algorithms):
                problems.append(f"default encryption is {'/'.join(filter(None, algorithms)) or 'off'}, not SSE-KMS")
        if not session.local or session.emulator_enforces_policies:  # bootstrap leaves it out on plain moto
            policy = read(s3.get_bucket_policy, "NoSuchBucketPolicy")
            if policy == {}:
                problems.append("its bucket policy is gone")
            elif policy is not None and not _denies_insecure_transport(policy.get("Policy")):
                problems.append("its bucket policy no longer denies plain-HTTP (non-TLS) access")
        if problems:
            raise BackendError(
                f"state bucket {bucket} is not as orch bootstrap left it: {'; '.join(problems)}",
                hint=f"restore it: {_orch(env, local, 'bootstrap')} --repair",
            )
        try:
            meta = session.client("kms").describe_key(KeyId=env.state.kms_alias)["KeyMetadata"]
        except ClientError:
            return  # a missing alias or a denied read: the engine reports what it cannot do
        problem = key_state_problem(env, meta, local)
        if problem is not None:
            raise problem
    except OFFLINE as exc:
        if session.local:
            raise endpoint_down(session.endpoint, exc) from None
    except BotoCoreError:
        return


def _denies_insecure_transport(text: str | None) -> bool:
    """The policy has a Deny of all S3 actions when aws:SecureTransport is false."""
    try:
        document = json.loads(text or "")
    except ValueError:
        return False
    statements = document.get("Statement", [])
    for statement in statements if isinstance(statements, list) else [statements]:
        if not isinstance(statement, dict) or statement.get("Effect") != "Deny":
            continue
        actions = statement.get("Action", [])
        if not {"s3:*", "*"} & set(actions if isinstance(actions, list) else [actions]):
            continue
        value = statement.get("Condition", {}).get("Bool", {}).get("aws:SecureTransport")
        values = value if isinstance(value, list) else [value]
        if any(str(v).lower() == "false" for v in values):
            return True
    return False
