"""The lock table (lock_mode `dynamodb` or `both`): PAY_PER_REQUEST, hash key LockID, SSE with
the state key, point-in-time recovery, deletion protection and the environment's tags."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from orchestrator.aws.backend.kms import key_arn_of
from orchestrator.aws.backend.policies import tag_set
from orchestrator.aws.backend.reconcile import BackendError, Reconciler, Setting, call, error_code
from orchestrator.config import EnvConfig

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_kms import KMSClient


@dataclass(frozen=True)
class Table:
    ddb: DynamoDBClient
    kms: KMSClient
    name: str
    key_arn: str
    #: DescribeTable's answer, read once before the settings are checked.
    description: Any


def _described(t: Table) -> Any:
    return t.description


def _pay_per_request(_t: Table, desc: Any) -> bool:
    return bool(desc.get("BillingModeSummary", {}).get("BillingMode") == "PAY_PER_REQUEST")


def _set_pay_per_request(t: Table, _have: object) -> None:
    call("dynamodb:UpdateTable", t.ddb.update_table, TableName=t.name, BillingMode="PAY_PER_REQUEST")
    _wait_active(t.ddb, t.name)


def _encrypted_with_state_key(t: Table, desc: Any) -> bool:
    sse = desc.get("SSEDescription")
    return not (
        sse is None
        or sse.get("Status") not in ("ENABLED", "UPDATING")
        or sse.get("SSEType") != "KMS"
        or (key_arn_of(t.kms, sse.get("KMSMasterKeyArn")) != t.key_arn)
    )


def _encrypt_with_state_key(t: Table, _have: object) -> None:
    call(
        "dynamodb:UpdateTable",
        t.ddb.update_table,
        TableName=t.name,
        SSESpecification={"Enabled": True, "SSEType": "KMS", "KMSMasterKeyId": t.key_arn},
    )


def _recovery(t: Table) -> Any:
    backups = call("dynamodb:DescribeContinuousBackups", t.ddb.describe_continuous_backups, TableName=t.name)
    return backups["ContinuousBackupsDescription"].get("PointInTimeRecoveryDescription", {})


def _recovery_on(_t: Table, recovery: Any) -> bool | None:
    status = recovery.get("PointInTimeRecoveryStatus")
    return None if status is None else status == "ENABLED"


def _enable_recovery(t: Table, _have: object) -> None:
    call(
        "dynamodb:UpdateContinuousBackups",
        t.ddb.update_continuous_backups,
        TableName=t.name,
        PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True},
    )


TABLE_SETTINGS: list[Setting[Table]] = [
    Setting("lock table {r.name} is not PAY_PER_REQUEST", _described, _pay_per_request, _set_pay_per_request),
    Setting(
        "lock table {r.name} is not encrypted with the state key",
        _described,
        _encrypted_with_state_key,
        _encrypt_with_state_key,
    ),
    Setting(
        "point-in-time recovery of lock table {r.name} is off",
        _recovery,
        _recovery_on,
        _enable_recovery,
        unverifiable="point-in-time recovery of {r.name}",
    ),
]


def ensure_table(rec: Reconciler, ddb: DynamoDBClient, kms: KMSClient, env: EnvConfig, key_arn: str) -> str:
    """The lock table's name, the table created or checked; another key schema is refused."""
    table = env.state.lock_table
    assert table is not None  # config validation
    try:
        desc = ddb.describe_table(TableName=table)["Table"]
    except ClientError as exc:
        if error_code(exc) != "ResourceNotFoundException":
            raise BackendError(f"dynamodb:DescribeTable {table} failed: {error_code(exc)}") from None
        _create_table(rec, ddb, env, table, key_arn)
        return table
    if [k.get("AttributeName") for k in desc.get("KeySchema", [])] != ["LockID"]:
        raise BackendError(f"DynamoDB table {table} exists with another key schema (want hash key LockID)")
    rec.reconcile(Table(ddb, kms, table, key_arn, desc), TABLE_SETTINGS)
    return table


def _create_table(rec: Reconciler, ddb: DynamoDBClient, env: EnvConfig, table: str, key_arn: str) -> None:
    call(
        "dynamodb:CreateTable",
        ddb.create_table,
        TableName=table,
        BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": "LockID", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "LockID", "KeyType": "HASH"}],
        SSESpecification={"Enabled": True, "SSEType": "KMS", "KMSMasterKeyId": key_arn},
        DeletionProtectionEnabled=True,
        Tags=tag_set(env.tags),
    )
    _wait_active(ddb, table)
    call(
        "dynamodb:UpdateContinuousBackups",
        ddb.update_continuous_backups,
        TableName=table,
        PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True},
    )
    rec.created(f"DynamoDB lock table {table} (PAY_PER_REQUEST, SSE-KMS, point-in-time recovery)")


def _wait_active(ddb: DynamoDBClient, table: str, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if ddb.describe_table(TableName=table)["Table"].get("TableStatus") == "ACTIVE":
            return
        time.sleep(2)
    raise BackendError(f"DynamoDB table {table} did not become ACTIVE within {timeout:.0f}s")
