"""The state bucket: versioned, SSE-KMS with the state key, private, owner enforced, TLS only.

BUCKET_SETTINGS is what orch bootstrap puts on a new bucket and checks on an existing one, in
order; BUCKET_POLICY comes last because it denies plain-HTTP access, which must not lock out
the calls before it.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from orchestrator import settings
from orchestrator.aws.backend import policies
from orchestrator.aws.backend.kms import key_arn_of
from orchestrator.aws.backend.reconcile import (
    DENIED,
    NOT_FOUND,
    BackendError,
    Reconciler,
    Setting,
    call,
    error_code,
    orch_command,
)
from orchestrator.aws.session import RunSession
from orchestrator.config import EnvConfig

if TYPE_CHECKING:
    from mypy_boto3_kms import KMSClient
    from mypy_boto3_s3 import S3Client


@dataclass(frozen=True)
class Bucket:
    s3: S3Client
    kms: KMSClient
    env: EnvConfig
    key_arn: str
    partition: str

    @property
    def name(self) -> str:
        return self.env.state.bucket

    @property
    def kms_alias(self) -> str:
        return self.env.state.kms_alias


def _read(fn: Any, missing: str, **kwargs: Any) -> Any:
    """The answer of an S3 get call; None when it fails with `missing` (the setting is absent)."""
    try:
        return fn(**kwargs)
    except ClientError as exc:
        if error_code(exc) == missing:
            return None
        raise


def _read_versioning(b: Bucket) -> Any:
    return b.s3.get_bucket_versioning(Bucket=b.name)


def _versioning_ok(_b: Bucket, have: Any) -> bool:
    return bool(have.get("Status") == "Enabled")


def _put_versioning(b: Bucket, _have: object) -> None:
    call(
        "s3:PutBucketVersioning",
        b.s3.put_bucket_versioning,
        Bucket=b.name,
        VersioningConfiguration={"Status": "Enabled"},
    )


def _read_block(b: Bucket) -> Any:
    return _read(b.s3.get_public_access_block, "NoSuchPublicAccessBlockConfiguration", Bucket=b.name)


def _block_ok(_b: Bucket, have: Any) -> bool:
    config = have["PublicAccessBlockConfiguration"] if have else None
    return config is not None and all(config.get(k) is True for k in policies.PUBLIC_ACCESS_BLOCK)


def _put_block(b: Bucket, _have: object) -> None:
    call(
        "s3:PutPublicAccessBlock",
        b.s3.put_public_access_block,
        Bucket=b.name,
        PublicAccessBlockConfiguration=dict(policies.PUBLIC_ACCESS_BLOCK),
    )


def _read_ownership(b: Bucket) -> Any:
    return _read(b.s3.get_bucket_ownership_controls, "OwnershipControlsNotFoundError", Bucket=b.name)


def _ownership_ok(_b: Bucket, have: Any) -> bool:
    rules = have["OwnershipControls"]["Rules"] if have else None
    return rules is not None and [r.get("ObjectOwnership") for r in rules] == ["BucketOwnerEnforced"]


def _put_ownership(b: Bucket, _have: object) -> None:
    call(
        "s3:PutBucketOwnershipControls",
        b.s3.put_bucket_ownership_controls,
        Bucket=b.name,
        OwnershipControls={"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]},
    )


def _read_encryption(b: Bucket) -> Any:
    return _read(b.s3.get_bucket_encryption, "ServerSideEncryptionConfigurationNotFoundError", Bucket=b.name)


def _encryption_ok(b: Bucket, have: Any) -> bool:
    rules = have["ServerSideEncryptionConfiguration"]["Rules"] if have else []
    if len(rules) != 1:
        return False
    default = rules[0].get("ApplyServerSideEncryptionByDefault", {})
    return (
        default.get("SSEAlgorithm") == "aws:kms"
        and key_arn_of(b.kms, default.get("KMSMasterKeyID")) == b.key_arn
        and rules[0].get("BucketKeyEnabled") is True
    )


def _put_encryption(b: Bucket, _have: object) -> None:
    call(
        "s3:PutBucketEncryption",
        b.s3.put_bucket_encryption,
        Bucket=b.name,
        ServerSideEncryptionConfiguration=policies.encryption_configuration(b.key_arn),
    )


def _read_lifecycle(b: Bucket) -> Any:
    return _read(b.s3.get_bucket_lifecycle_configuration, "NoSuchLifecycleConfiguration", Bucket=b.name)


def _lifecycle_ok(b: Bucket, have: Any) -> bool:
    for rule in have["Rules"] if have else []:
        if rule.get("ID") == policies.LIFECYCLE_RULE_ID:
            return policies.lifecycle_matches(rule, b.env.state.noncurrent_version_days)
    return False


def _put_lifecycle(b: Bucket, _have: object) -> None:
    """orch's rule in place of its older self; the bucket's other rules stay."""
    try:
        current = b.s3.get_bucket_lifecycle_configuration(Bucket=b.name)["Rules"]
    except ClientError:
        current = []
    ours = policies.lifecycle_rule(b.env.state.noncurrent_version_days)
    rules = [r for r in current if r.get("ID") != policies.LIFECYCLE_RULE_ID] + [ours]
    call(
        "s3:PutBucketLifecycleConfiguration",
        b.s3.put_bucket_lifecycle_configuration,
        Bucket=b.name,
        LifecycleConfiguration={"Rules": rules},
    )


def _read_tags(b: Bucket) -> Any:
    return _read(b.s3.get_bucket_tagging, "NoSuchTagSet", Bucket=b.name)


def _tags_ok(b: Bucket, have: Any) -> bool:
    if not have:
        return False
    tags = {t["Key"]: t["Value"] for t in have["TagSet"]}
    return all(tags.get(k) == v for k, v in b.env.tags.items())


def _put_tags(b: Bucket, _have: object) -> None:
    tagging = {"TagSet": policies.tag_set(b.env.tags)}
    call("s3:PutBucketTagging", b.s3.put_bucket_tagging, Bucket=b.name, Tagging=tagging)


def _wanted_policy(b: Bucket) -> dict[str, Any]:
    return policies.bucket_policy(b.partition, b.name, b.env.state.cross_account_principals)


def _read_policy(b: Bucket) -> Any:
    return _read(b.s3.get_bucket_policy, "NoSuchBucketPolicy", Bucket=b.name)


def _policy_ok(b: Bucket, have: Any) -> bool:
    return have is not None and policies.normalise(json.loads(have["Policy"])) == policies.normalise(_wanted_policy(b))


def _put_policy(b: Bucket, _have: object) -> None:
    call("s3:PutBucketPolicy", b.s3.put_bucket_policy, Bucket=b.name, Policy=json.dumps(_wanted_policy(b)))


BUCKET_SETTINGS: list[Setting[Bucket]] = [
    Setting("bucket versioning is not Enabled", _read_versioning, _versioning_ok, _put_versioning),
    Setting("public access block is not fully on", _read_block, _block_ok, _put_block),
    Setting("object ownership is not BucketOwnerEnforced", _read_ownership, _ownership_ok, _put_ownership),
    Setting("default encryption is not SSE-KMS with {r.kms_alias}", _read_encryption, _encryption_ok, _put_encryption),
    Setting(
        "lifecycle rule expiring noncurrent versions is missing or different",
        _read_lifecycle,
        _lifecycle_ok,
        _put_lifecycle,
    ),
    Setting("standard tags are missing or different", _read_tags, _tags_ok, _put_tags),
]
BUCKET_POLICY = Setting[Bucket](
    "bucket policy (TLS only, encrypted uploads, cross-account access) is missing or different",
    _read_policy,
    _policy_ok,
    _put_policy,
)


def ensure_bucket(rec: Reconciler, bucket: Bucket, *, exists: bool, policy_enforced: bool) -> None:
    """Create the bucket when it does not exist, then put or check every setting in turn."""
    if not exists:
        call("s3:CreateBucket", bucket.s3.create_bucket, **create_bucket_args(bucket.env))
    rec.reconcile(bucket, BUCKET_SETTINGS, new=not exists)
    if policy_enforced:
        rec.reconcile(bucket, [BUCKET_POLICY], new=not exists)
    else:
        # A plain moto server treats every conditional Deny as unconditional (and plain HTTP is
        # never "secure transport"): the policy would lock everybody out of the state.
        rec.unverifiable(
            "bucket policy not applied: this emulator is not orch's (`orch local up` "
            "runs one that evaluates policy conditions over HTTPS)"
        )
    if not exists:
        rec.created(
            f"S3 bucket {bucket.name} (versioning, SSE-KMS, public access block, owner enforced, "
            f"TLS-only and encrypted-upload policy, noncurrent-version lifecycle, tags)"
        )


def create_bucket_args(env: EnvConfig) -> dict[str, Any]:
    kwargs: dict[str, Any] = {"Bucket": env.state.bucket, "ObjectOwnership": "BucketOwnerEnforced"}
    if env.region != "us-east-1":
        kwargs["CreateBucketConfiguration"] = {"LocationConstraint": env.region}
    return kwargs


def _env_file(env: EnvConfig) -> str:
    """env.yaml as the user would type it (relative to the repository when inside it)."""
    if env.path is None:
        return f"environments/LIVE/{env.name}/env.yaml"
    path = os.path.relpath(env.path, settings.REPO_ROOT)
    return str(env.path) if path.startswith("..") else path


def bucket_exists(s3: S3Client, env: EnvConfig, session: RunSession, account: str) -> bool:
    """True when the state bucket exists and is this account's; refuses anybody else's.

    Runs before anything is created. HeadBucket names this account as the expected owner, so
    a bucket of another account answers 403 even when its policy lets us in. On a 403,
    CreateBucket tells the two cases apart as AWS does: BucketAlreadyExists (the global name
    is another account's) or BucketAlreadyOwnedByYou (ours, but this identity is denied).
    """
    bucket = env.state.bucket
    try:
        s3.head_bucket(Bucket=bucket, ExpectedBucketOwner=account)
        return True
    except ClientError as exc:
        code = error_code(exc)
        if code in NOT_FOUND:
            return False
        if code not in DENIED:
            raise BackendError(f"s3:HeadBucket {bucket} failed: {code}") from None
    try:
        s3.create_bucket(**create_bucket_args(env))
        code = "200"  # us-east-1 answers CreateBucket of one's own bucket with 200
    except ClientError as exc:
        code = error_code(exc)
    who = session.caller_arn or "this identity"
    if code == "BucketAlreadyExists":
        raise BackendError(
            f"state bucket {bucket} belongs to another AWS account (S3 bucket names are global)",
            hint=f"set state.bucket in {_env_file(env)} to a name of your own, then run "
            f"`{orch_command(env, session.local, 'bootstrap')}`",
        )
    if code in ("BucketAlreadyOwnedByYou", "200"):
        raise BackendError(
            f"state bucket {bucket} is in account {account} but denies {who}",
            hint="its bucket policy shuts this identity out: fix it as the account's administrator "
            f"(aws s3api get-bucket-policy --bucket {bucket}), then rerun",
        )
    raise BackendError(
        f"state bucket {bucket} exists but {who} cannot reach it (s3:HeadBucket 403, s3:CreateBucket {code})"
    )
