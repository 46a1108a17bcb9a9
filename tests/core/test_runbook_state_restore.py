"""docs/runbooks/state-restore.md, steps 2-4, on a unit whose state lives in a versioned S3 bucket.

Each runbook command is the same S3 API call made with boto3 (`list-object-versions`,
`get-object --version-id`, `copy-object --copy-source ...?versionId=`), against a moto server;
then `orch plan` shows what the restored state means.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.helpers import copy_stack, emulator_client, run_orch

pytestmark = [pytest.mark.engines, pytest.mark.emulator]

BUCKET = "orch-test-state"
KEY = "a/terraform.tfstate"
KMS_ALIAS = "alias/orch-tfstate-test"


def test_the_state_restore_runbook_brings_back_an_earlier_state(tmp_path: Path, moto_endpoint: str) -> None:
    s3, kms = (emulator_client(service, moto_endpoint, region="us-east-1") for service in ("s3", "kms"))
    s3.create_bucket(Bucket=BUCKET)
    s3.put_bucket_versioning(Bucket=BUCKET, VersioningConfiguration={"Status": "Enabled"})
    kms.create_alias(AliasName=KMS_ALIAS, TargetKeyId=kms.create_key()["KeyMetadata"]["KeyId"])
    stack = copy_stack("s3-locked", tmp_path)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "ORCH_FIXTURE", "ORCH_RUNS"))}
    env.update(
        ORCH_STATE_DIR=str(tmp_path / "state"), ORCH_TEST_AWS_ENDPOINT=moto_endpoint, ORCH_TEST_STATE_BUCKET=BUCKET
    )

    first = run_orch("apply", "--dir", str(stack), "--layer", "a", "--auto-approve", env=env)
    assert first.returncode == 0, first.stderr
    (stack / "a" / "value.txt").write_text("v2\n")
    applied = run_orch("apply", "--dir", str(stack), "--layer", "a", "--auto-approve", env=env)
    assert applied.returncode == 0, applied.stderr

    # Step 2: find the version (the newest that still holds v1) and check its lineage.
    versions = [v for v in s3.list_object_versions(Bucket=BUCKET, Prefix=KEY)["Versions"] if v["Key"] == KEY]
    current = json.loads(s3.get_object(Bucket=BUCKET, Key=KEY)["Body"].read())

    def state_of(version_id: str) -> dict:
        return json.loads(s3.get_object(Bucket=BUCKET, Key=KEY, VersionId=version_id)["Body"].read())

    older = [v for v in versions if not v["IsLatest"] and "v1:" in json.dumps(state_of(v["VersionId"]))]
    assert older, [v["VersionId"] for v in versions]
    wanted = max(older, key=lambda v: v["LastModified"])["VersionId"]
    restored = state_of(wanted)
    assert restored["lineage"] == current["lineage"] and restored["serial"] < current["serial"]

    # Step 3: make it the current version (nothing is deleted: the newer one stays in the history).
    s3.copy_object(
        Bucket=BUCKET,
        Key=KEY,
        CopySource={"Bucket": BUCKET, "Key": KEY, "VersionId": wanted},
        ServerSideEncryption="aws:kms",
        SSEKMSKeyId=KMS_ALIAS,
    )
    now = json.loads(s3.get_object(Bucket=BUCKET, Key=KEY)["Body"].read())
    assert now["serial"] == restored["serial"] and "v1:" in json.dumps(now)
    after = [v for v in s3.list_object_versions(Bucket=BUCKET, Prefix=KEY)["Versions"] if v["Key"] == KEY]
    assert len(after) == len(versions) + 1

    # Step 4: the plan shows what the restored state means (config v2, restored state v1).
    planned = run_orch("plan", "--dir", str(stack), "--layer", "a", "--detailed-exitcode", "--json", env=env)
    assert planned.returncode == 2, planned.stderr
    (unit,) = json.loads(planned.stdout)["units"]
    assert unit["summary"]["change"] + unit["summary"]["replace"] >= 1, unit["summary"]
