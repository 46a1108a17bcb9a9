"""What the state backend should look like: the documents orch bootstrap writes and compares.

Pure functions of env.yaml's `state:` values and the caller's partition and account; no AWS
calls, so each is tested on its own (tests/core/test_backend_policies.py).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

LIFECYCLE_RULE_ID = "expire-noncurrent-state-versions"
ABORT_MULTIPART_DAYS = 7
CROSS_ACCOUNT_KEY_SID = "CrossAccountStateUse"
PUBLIC_ACCESS_BLOCK = {
    "BlockPublicAcls": True,
    "IgnorePublicAcls": True,
    "BlockPublicPolicy": True,
    "RestrictPublicBuckets": True,
}


def partition_of(caller_arn: str | None) -> str:
    """The partition of the caller's ARN (`aws`, `aws-cn`, `aws-us-gov`); `aws` when unknown."""
    arn = caller_arn or ""
    return arn.split(":")[1] if arn.count(":") >= 2 else "aws"


def principal_arns(partition: str, principals: Sequence[str]) -> list[str]:
    """env.yaml's cross-account principals as ARNs: a bare account id means its root."""
    return [p if p.startswith("arn:") else f"arn:{partition}:iam::{p}:root" for p in principals]


def cross_account_key_statement(partition: str, principals: Sequence[str]) -> dict[str, Any]:
    """The key policy statement that lets the cross-account principals use the state key."""
    return {
        "Sid": CROSS_ACCOUNT_KEY_SID,
        "Effect": "Allow",
        "Principal": {"AWS": principal_arns(partition, principals)},
        "Action": [
            "kms:Encrypt",
            "kms:Decrypt",
            "kms:ReEncrypt*",
            "kms:GenerateDataKey*",
            "kms:DescribeKey",
        ],
        "Resource": "*",
    }


def key_policy(partition: str, account: str, principals: Sequence[str]) -> dict[str, Any]:
    """The state key's policy: the account administers it, the cross-account principals use it."""
    statements: list[dict[str, Any]] = [
        {
            "Sid": "AccountAdministersKey",
            "Effect": "Allow",
            "Principal": {"AWS": f"arn:{partition}:iam::{account}:root"},
            "Action": "kms:*",
            "Resource": "*",
        }
    ]
    if principals:
        statements.append(cross_account_key_statement(partition, principals))
    return {"Version": "2012-10-17", "Statement": statements}


def bucket_policy(partition: str, bucket: str, principals: Sequence[str]) -> dict[str, Any]:
    """The state bucket's policy: TLS only, SSE-KMS uploads only, state access for the principals."""
    bucket_arn = f"arn:{partition}:s3:::{bucket}"
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
    if principals:
        arns = {"AWS": principal_arns(partition, principals)}
        statements += [
            {
                "Sid": "CrossAccountListState",
                "Effect": "Allow",
                "Principal": arns,
                "Action": ["s3:ListBucket", "s3:GetBucketVersioning", "s3:GetBucketLocation"],
                "Resource": bucket_arn,
            },
            {
                "Sid": "CrossAccountReadWriteState",
                "Effect": "Allow",
                "Principal": arns,
                "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
                "Resource": f"{bucket_arn}/*",
            },
        ]
    return {"Version": "2012-10-17", "Statement": statements}


def encryption_configuration(key_arn: str) -> dict[str, Any]:
    """Default encryption SSE-KMS with the state key, bucket key on (fewer KMS calls)."""
    return {
        "Rules": [
            {
                "ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": key_arn},
                "BucketKeyEnabled": True,
            }
        ]
    }


def lifecycle_rule(noncurrent_days: int) -> dict[str, Any]:
    """orch's lifecycle rule: noncurrent state versions expire, stale multipart uploads are aborted."""
    return {
        "ID": LIFECYCLE_RULE_ID,
        "Status": "Enabled",
        "Filter": {},
        "NoncurrentVersionExpiration": {"NoncurrentDays": noncurrent_days},
        "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": ABORT_MULTIPART_DAYS},
    }


def lifecycle_matches(rule: Mapping[str, Any], noncurrent_days: int) -> bool:
    """`rule` (orch's, read back) is enabled and expires and aborts as `lifecycle_rule` says."""
    want = lifecycle_rule(noncurrent_days)
    return (
        rule.get("Status") == "Enabled"
        and rule.get("NoncurrentVersionExpiration", {}).get("NoncurrentDays")
        == want["NoncurrentVersionExpiration"]["NoncurrentDays"]
        and rule.get("AbortIncompleteMultipartUpload") == want["AbortIncompleteMultipartUpload"]
    )


def tag_set(tags: Mapping[str, str]) -> list[dict[str, str]]:
    """The environment's tags as S3 and DynamoDB take them, sorted by key."""
    return [{"Key": k, "Value": v} for k, v in sorted(tags.items())]


def normalise(policy: Any) -> object:
    """Policy JSON with single-item lists flattened and lists sorted, for comparison."""
    if isinstance(policy, dict):
        return {k: normalise(v) for k, v in policy.items() if k != "Id"}
    if isinstance(policy, list):
        items = [normalise(v) for v in policy]
        if len(items) == 1:
            return items[0]
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True))
    return policy


def denies_insecure_transport(text: str | None) -> bool:
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
