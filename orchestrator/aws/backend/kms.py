"""The state key: a customer managed KMS key with rotation on, aliased `state.kms_alias`."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from orchestrator.aws.backend.policies import (
    CROSS_ACCOUNT_KEY_SID,
    cross_account_key_statement,
    key_policy,
)
from orchestrator.aws.backend.reconcile import BackendError, Reconciler, Setting, call, error_code
from orchestrator.config import EnvConfig

if TYPE_CHECKING:
    from mypy_boto3_kms import KMSClient
    from mypy_boto3_kms.type_defs import KeyMetadataTypeDef


@dataclass(frozen=True)
class Key:
    kms: KMSClient
    key_id: str
    alias: str
    partition: str
    principals: list[str]


def _rotation(key: Key) -> Any:
    return call("kms:GetKeyRotationStatus", key.kms.get_key_rotation_status, KeyId=key.key_id)


def _rotation_on(_key: Key, rotation: Any) -> bool:
    return bool(rotation.get("KeyRotationEnabled"))


def _enable_rotation(key: Key, _have: object) -> None:
    call("kms:EnableKeyRotation", key.kms.enable_key_rotation, KeyId=key.key_id)


def _policy(key: Key) -> Any:
    answer = call("kms:GetKeyPolicy", key.kms.get_key_policy, KeyId=key.key_id, PolicyName="default")
    return json.loads(answer["Policy"])


def _grants_principals(key: Key, policy: Any) -> bool:
    have = {s.get("Sid"): s for s in policy.get("Statement", [])}
    want = cross_account_key_statement(key.partition, key.principals)
    return bool(have.get(CROSS_ACCOUNT_KEY_SID, {}).get("Principal") == want["Principal"])


def _grant_principals(key: Key, policy: Any) -> None:
    """The key's policy as it is, with orch's cross-account statement in place of any older one."""
    merged = [s for s in policy.get("Statement", []) if s.get("Sid") != CROSS_ACCOUNT_KEY_SID]
    merged.append(cross_account_key_statement(key.partition, key.principals))
    call(
        "kms:PutKeyPolicy",
        key.kms.put_key_policy,
        KeyId=key.key_id,
        PolicyName="default",
        Policy=json.dumps({**policy, "Statement": merged}),
    )


ROTATION = Setting[Key]("KMS key {r.alias} rotation is off", _rotation, _rotation_on, _enable_rotation)
CROSS_ACCOUNT_POLICY = Setting[Key](
    "KMS key {r.alias} policy does not grant the cross-account principals",
    _policy,
    _grants_principals,
    _grant_principals,
)


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


def key_arn_of(kms: KMSClient, key_ref: str | None) -> str | None:
    """The ARN of a key named by id, ARN or alias; the reference itself when it cannot be read."""
    if not key_ref:
        return None
    try:
        return str(kms.describe_key(KeyId=key_ref)["KeyMetadata"]["Arn"])
    except ClientError:
        return key_ref


def ensure_key(rec: Reconciler, kms: KMSClient, env: EnvConfig, *, partition: str, account: str, local: bool) -> str:
    """The state key's ARN, the key created or checked; a disabled key is refused, not repaired."""
    alias = env.state.kms_alias
    try:
        meta = kms.describe_key(KeyId=alias)["KeyMetadata"]
    except ClientError as exc:
        if error_code(exc) != "NotFoundException":
            raise BackendError(f"kms:DescribeKey {alias} failed: {error_code(exc)}") from None
        return _create_key(rec, kms, env, partition=partition, account=account)
    # Not drift to repair: somebody disabled the key or scheduled its deletion, maybe on purpose.
    # Refused before anything is changed, with the command that undoes it.
    problem = key_state_problem(env, meta, local)
    if problem is not None:
        raise problem
    principals = env.state.cross_account_principals
    key = Key(kms, meta["KeyId"], alias, partition, principals)
    rec.reconcile(key, [ROTATION, CROSS_ACCOUNT_POLICY] if principals else [ROTATION])
    return str(meta["Arn"])


def _create_key(rec: Reconciler, kms: KMSClient, env: EnvConfig, *, partition: str, account: str) -> str:
    alias = env.state.kms_alias
    meta = call(
        "kms:CreateKey",
        kms.create_key,
        Description=f"Terraform state of {env.name} ({env.state.bucket})",
        KeyUsage="ENCRYPT_DECRYPT",
        KeySpec="SYMMETRIC_DEFAULT",
        Policy=json.dumps(key_policy(partition, account, env.state.cross_account_principals)),
        Tags=[{"TagKey": k, "TagValue": v} for k, v in sorted(env.tags.items())],
    )["KeyMetadata"]
    call("kms:CreateAlias", kms.create_alias, AliasName=alias, TargetKeyId=meta["KeyId"])
    call("kms:EnableKeyRotation", kms.enable_key_rotation, KeyId=meta["KeyId"])
    rec.created(f"KMS key {meta['Arn']} ({alias}, rotation on)")
    return str(meta["Arn"])
