"""`orch --local bootstrap` against a real moto server process, read back with boto3."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from botocore.exceptions import ClientError

from orchestrator.aws import backend
from orchestrator.aws.backend import policies
from orchestrator.aws.session import RunSession, open_session
from orchestrator.config import EnvConfig, load_env, load_env_file
from orchestrator.errors import ConfigError
from tests.helpers import Emu, clean_env, run_orch, wait_until

pytestmark = pytest.mark.emulator

ENV = load_env("eks-prod")
BUCKET = ENV.state.bucket


def bootstrap_cli(emu: Emu, home: Path, *extra: str) -> tuple[int, dict]:
    out = run_orch("--local", "bootstrap", "--env", "eks-prod", "--json", *extra, env=emu.orch_env(home))
    assert out.returncode in (0, 2), out.stderr
    return out.returncode, json.loads(out.stdout)


def assert_backend_complete(emu: Emu, kms_key: str) -> None:
    s3, kms = emu.client("s3"), emu.client("kms")
    key = kms.describe_key(KeyId=ENV.state.kms_alias)["KeyMetadata"]
    assert key["Arn"] == kms_key and key["KeyState"] == "Enabled" and key["KeyManager"] == "CUSTOMER"
    assert kms.get_key_rotation_status(KeyId=key["KeyId"])["KeyRotationEnabled"] is True
    assert s3.get_bucket_versioning(Bucket=BUCKET)["Status"] == "Enabled"
    rule = s3.get_bucket_encryption(Bucket=BUCKET)["ServerSideEncryptionConfiguration"]["Rules"][0]
    want = {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": kms_key}
    assert rule["ApplyServerSideEncryptionByDefault"] == want
    assert rule["BucketKeyEnabled"] is True
    block = s3.get_public_access_block(Bucket=BUCKET)["PublicAccessBlockConfiguration"]
    assert block == {
        "BlockPublicAcls": True,
        "IgnorePublicAcls": True,
        "BlockPublicPolicy": True,
        "RestrictPublicBuckets": True,
    }
    owner = s3.get_bucket_ownership_controls(Bucket=BUCKET)["OwnershipControls"]["Rules"]
    assert owner == [{"ObjectOwnership": "BucketOwnerEnforced"}]
    policy = json.loads(s3.get_bucket_policy(Bucket=BUCKET)["Policy"])
    by_sid = {s["Sid"]: s for s in policy["Statement"]}
    assert by_sid["DenyInsecureTransport"]["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    assert by_sid["DenyUnencryptedUploads"]["Condition"] == {
        "StringNotEquals": {"s3:x-amz-server-side-encryption": "aws:kms"}
    }
    rules = s3.get_bucket_lifecycle_configuration(Bucket=BUCKET)["Rules"]
    [ours] = [r for r in rules if r["ID"] == policies.LIFECYCLE_RULE_ID]
    assert ours["Status"] == "Enabled" and ours["NoncurrentVersionExpiration"]["NoncurrentDays"] == 90
    tags = {t["Key"]: t["Value"] for t in s3.get_bucket_tagging(Bucket=BUCKET)["TagSet"]}
    assert tags["Environment"] == "prod" and tags["ManagedBy"] == "terragrunt"


def test_bootstrap_creates_then_changes_nothing(fresh_emu: Emu, tmp_path: Path) -> None:
    rc, first = bootstrap_cli(fresh_emu, tmp_path)
    assert rc == 0
    assert set(first) >= {"bucket", "region", "lock_table", "kms_key", "changed", "actions"}
    assert first["bucket"] == BUCKET and first["region"] == "ap-northeast-2" and first["lock_table"] is None
    assert first["changed"] is True and first["actions"]
    assert_backend_complete(fresh_emu, first["kms_key"])

    rc, second = bootstrap_cli(fresh_emu, tmp_path)
    assert rc == 0
    assert second["changed"] is False and second["actions"] == [] and second["drift"] == []
    assert second["kms_key"] == first["kms_key"]


def test_drift_is_reported_then_repaired(fresh_emu: Emu, tmp_path: Path) -> None:
    _, first = bootstrap_cli(fresh_emu, tmp_path)
    s3, kms = fresh_emu.client("s3"), fresh_emu.client("kms")
    # Changed behind orch's back.
    s3.put_bucket_versioning(Bucket=BUCKET, VersioningConfiguration={"Status": "Suspended"})
    s3.delete_public_access_block(Bucket=BUCKET)
    s3.delete_bucket_policy(Bucket=BUCKET)
    kms.disable_key_rotation(KeyId=first["kms_key"])

    rc, report = bootstrap_cli(fresh_emu, tmp_path)
    assert rc == 2 and report["changed"] is False
    drift = " | ".join(report["drift"])
    for what in ("versioning", "public access block", "bucket policy", "rotation"):
        assert what in drift
    assert s3.get_bucket_versioning(Bucket=BUCKET)["Status"] == "Suspended"  # reported, not touched

    rc, repaired = bootstrap_cli(fresh_emu, tmp_path, "--repair")
    assert rc == 0 and repaired["changed"] is True
    assert sum(a.startswith("repaired:") for a in repaired["actions"]) == 4
    assert_backend_complete(fresh_emu, first["kms_key"])

    rc, clean = bootstrap_cli(fresh_emu, tmp_path)
    assert rc == 0 and clean["changed"] is False and clean["drift"] == []


def _local_session(env: EnvConfig) -> RunSession:
    return open_session(env, local=True, profile=None, guard=True)


def test_lock_mode_dynamodb_creates_the_table(fresh_emu: Emu, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ORCH_STATE_DIR", str(fresh_emu.state_root))
    env = ENV.model_copy(update={"state": ENV.state.model_copy(update={"lock_mode": "dynamodb"})})
    result = backend.bootstrap(env, _local_session(env))
    assert result.lock_table == ENV.state.lock_table and result.changed
    ddb = fresh_emu.client("dynamodb")
    table = ddb.describe_table(TableName=result.lock_table)["Table"]
    assert table["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    assert [k["AttributeName"] for k in table["KeySchema"]] == ["LockID"]
    assert table["SSEDescription"]["Status"] == "ENABLED" and table["SSEDescription"]["SSEType"] == "KMS"
    assert table["SSEDescription"]["KMSMasterKeyArn"] == result.kms_key
    pitr = ddb.describe_continuous_backups(TableName=result.lock_table)["ContinuousBackupsDescription"]
    assert pitr["PointInTimeRecoveryDescription"]["PointInTimeRecoveryStatus"] == "ENABLED"

    again = backend.bootstrap(env, _local_session(env))
    assert again.changed is False and again.drift == []

    ddb.update_continuous_backups(
        TableName=result.lock_table, PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": False}
    )
    drifted = backend.bootstrap(env, _local_session(env))
    assert any("point-in-time recovery" in d for d in drifted.drift)
    repaired = backend.bootstrap(env, _local_session(env), repair=True)
    assert repaired.changed and not repaired.drift


def test_cross_account_principals_get_bucket_and_key_access(fresh_emu: Emu, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ORCH_STATE_DIR", str(fresh_emu.state_root))
    state = ENV.state.model_copy(update={"cross_account_principals": ["222222222222"]})
    env = ENV.model_copy(update={"state": state})
    result = backend.bootstrap(env, _local_session(env))
    policy = json.loads(fresh_emu.client("s3").get_bucket_policy(Bucket=BUCKET)["Policy"])
    grants = [s for s in policy["Statement"] if s["Sid"].startswith("CrossAccount")]
    assert grants and all(s["Principal"] == {"AWS": ["arn:aws:iam::222222222222:root"]} for s in grants)
    key_policy = json.loads(
        fresh_emu.client("kms").get_key_policy(KeyId=result.kms_key, PolicyName="default")["Policy"]
    )
    assert "CrossAccountStateUse" in {s["Sid"] for s in key_policy["Statement"]}


def test_policy_denies_unencrypted_uploads_and_accepts_the_backends(fresh_emu: Emu, tmp_path: Path) -> None:
    """The emulator evaluates the bucket policy's conditions (see orchestrator.emulator.patches.s3_policy)."""
    bootstrap_cli(fresh_emu, tmp_path)
    s3 = fresh_emu.client("s3")
    alias_arn = f"arn:aws:kms:ap-northeast-2:123456789012:{ENV.state.kms_alias}"  # what root.hcl sends
    s3.put_object(
        Bucket=BUCKET,
        Key="eks-prod/x/terraform.tfstate",
        Body=b"{}",
        ServerSideEncryption="aws:kms",
        SSEKMSKeyId=alias_arn,
    )
    with pytest.raises(ClientError) as denied:
        s3.put_object(Bucket=BUCKET, Key="eks-prod/x/plain", Body=b"{}")
    assert denied.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
    assert s3.get_object(Bucket=BUCKET, Key="eks-prod/x/terraform.tfstate")["Body"].read() == b"{}"


def test_wrong_config_value_names_file_and_field(tmp_path: Path) -> None:
    text = ENV.path.read_text().replace("lock_mode: s3", "lock_mode: redis")
    bad = tmp_path / "env.yaml"
    bad.write_text(text)
    with pytest.raises(ConfigError) as err:
        load_env_file(bad)
    assert str(bad) in str(err.value) and "state.lock_mode" in str(err.value)
    bad.write_text(
        ENV.path.read_text()
        .replace("lock_table: orch-tflock-eks-prod", "lock_table: null")
        .replace("lock_mode: s3", "lock_mode: both")
    )
    with pytest.raises(ConfigError, match="lock_table is required"):
        load_env_file(bad)


def test_plain_moto_gets_no_policy_and_says_so(tmp_path: Path) -> None:
    """An emulator orch did not start (ORCH_LOCAL_ENDPOINT, plain HTTP moto): no lock-out policy, reported."""
    import subprocess
    import sys

    from orchestrator import emulator

    port = emulator.free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        endpoint = f"http://127.0.0.1:{port}"
        wait_until(lambda: emulator.healthy(endpoint), timeout=30)
        env = clean_env(tmp_path, ORCH_STATE_DIR=str(tmp_path / ".orch"), ORCH_LOCAL_ENDPOINT=endpoint)
        out = run_orch("--local", "bootstrap", "--env", "eks-prod", "--json", env=env)
        assert out.returncode == 0, out.stderr
        result = json.loads(out.stdout)
        assert any("bucket policy not applied" in u for u in result["unverifiable"])
        assert any(a.startswith("unverifiable on emulator: bucket policy") for a in result["actions"])
        assert not (tmp_path / ".orch" / "local" / "state.json").exists()  # did not start its own
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.mark.engines
def test_plan_before_bootstrap_says_to_bootstrap(fresh_emu: Emu, tmp_path: Path) -> None:
    """No state bucket yet: orch refuses before any engine runs and names the command that fixes it
    (Terragrunt alone would suggest --backend-bootstrap, a bucket without orch's hardening)."""
    env = fresh_emu.orch_env(tmp_path / "home", ORCH_RUNS_DIR=str(tmp_path / "runs"))
    out = run_orch("--local", "plan", "--env", "eks-prod", "--layer", "00-foundation", env=env)
    assert out.returncode == 1, out.stdout + out.stderr
    assert "state bucket orch-tfstate-eks-prod-111111111111 does not exist in the local emulator" in out.stderr
    assert "orch --local bootstrap --env eks-prod" in out.stderr
    assert "backend-bootstrap" not in out.stdout + out.stderr
    assert not (tmp_path / "runs").exists() or not any((tmp_path / "runs").rglob("*.log"))


def error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.strip()]


def test_a_state_bucket_of_another_account_is_refused_before_anything_is_created(
    fresh_emu: Emu, tmp_path: Path
) -> None:
    """S3 bucket names are global: when another account holds the name in env.yaml, AWS answers
    HeadBucket 403 and CreateBucket BucketAlreadyExists (the emulator too, emulator.patches.accounts).
    orch refuses in one line naming the bucket and the field to change, and creates nothing (no key)."""
    other = fresh_emu.client("s3", **fresh_emu.as_account("222222222222"))
    other.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "ap-northeast-2"})

    out = run_orch("--local", "bootstrap", "--env", "eks-prod", env=fresh_emu.orch_env(tmp_path))
    assert out.returncode == 1, out.stdout + out.stderr
    lines = error_lines(out.stderr)
    assert len(lines) == 2 and "Traceback" not in out.stderr, out.stderr
    assert lines[0] == f"error: state bucket {BUCKET} belongs to another AWS account (S3 bucket names are global)"
    assert "set state.bucket in environments/LIVE/eks-prod/env.yaml to a name of your own" in lines[1]
    assert "orch --local bootstrap --env eks-prod" in lines[1]
    # Nothing created, and the other account's bucket untouched.
    aliases = [a["AliasName"] for a in fresh_emu.client("kms").list_aliases()["Aliases"]]
    assert ENV.state.kms_alias not in aliases
    assert "Status" not in other.get_bucket_versioning(Bucket=BUCKET)
    assert [b["Name"] for b in fresh_emu.client("s3").list_buckets()["Buckets"]] == []


def test_a_disabled_or_deleted_state_key_is_refused_with_the_kms_command(fresh_emu: Emu, tmp_path: Path) -> None:
    """The alias points to a key somebody disabled or scheduled for deletion: one line names the alias,
    the key and its state, the hint the AWS CLI command that undoes it; refused before anything else
    changes, --repair included (re-enabling a key is somebody's decision, not drift)."""
    _, first = bootstrap_cli(fresh_emu, tmp_path)
    kms, s3 = fresh_emu.client("kms"), fresh_emu.client("s3")
    key_id = kms.describe_key(KeyId=first["kms_key"])["KeyMetadata"]["KeyId"]
    kms.disable_key(KeyId=key_id)
    s3.put_bucket_versioning(Bucket=BUCKET, VersioningConfiguration={"Status": "Suspended"})

    for extra in ([], ["--repair"]):
        out = run_orch("--local", "bootstrap", "--env", "eks-prod", *extra, env=fresh_emu.orch_env(tmp_path))
        assert out.returncode == 1, out.stdout + out.stderr
        lines = error_lines(out.stderr)
        assert len(lines) == 2 and "Traceback" not in out.stderr, out.stderr
        assert lines[0].startswith(f"error: KMS alias {ENV.state.kms_alias} points to key {key_id}, which is Disabled")
        assert lines[1].endswith(f"aws kms enable-key --key-id {key_id} --region ap-northeast-2"), lines[1]
        assert 'eval "$(orch local env --env eks-prod)"' in lines[1]
    assert kms.describe_key(KeyId=key_id)["KeyMetadata"]["KeyState"] == "Disabled"
    assert s3.get_bucket_versioning(Bucket=BUCKET)["Status"] == "Suspended"  # nothing else changed

    kms.enable_key(KeyId=key_id)
    kms.schedule_key_deletion(KeyId=key_id, PendingWindowInDays=7)
    out = run_orch("--local", "bootstrap", "--env", "eks-prod", env=fresh_emu.orch_env(tmp_path))
    assert out.returncode == 1, out.stdout + out.stderr
    assert f"points to key {key_id}, which is PendingDeletion, deletion scheduled for " in out.stderr
    assert (
        f"aws kms cancel-key-deletion --key-id {key_id} --region ap-northeast-2 && "
        f"aws kms enable-key --key-id {key_id} --region ap-northeast-2"
    ) in out.stderr

    # The hint's commands, then bootstrap goes on (and reports the versioning it found).
    kms.cancel_key_deletion(KeyId=key_id)
    kms.enable_key(KeyId=key_id)
    rc, report = bootstrap_cli(fresh_emu, tmp_path)
    assert rc == 2 and report["drift"] == ["bucket versioning is not Enabled"], report


@pytest.mark.engines
def test_plan_refuses_a_broken_state_bucket_until_repaired(fresh_emu: Emu, tmp_path: Path) -> None:
    """Versioning suspended, encryption turned to SSE-S3, the policy deleted (then one without the TLS
    Deny), the key disabled: `orch plan` refuses before any engine runs, in one line naming what is
    wrong, with `orch bootstrap --repair` (the key: the KMS command); after the repair the plan runs."""
    bootstrap_cli(fresh_emu, tmp_path)
    s3, kms = fresh_emu.client("s3"), fresh_emu.client("kms")
    env = fresh_emu.orch_env(tmp_path / "home", ORCH_RUNS_DIR=str(tmp_path / "runs"))
    plan = ["--local", "plan", "--env", "eks-prod", "--layer", "00-foundation", "--json"]

    def refused() -> list[str]:
        out = run_orch(*plan, env=env)
        assert out.returncode == 1, out.stdout[-3000:] + out.stderr[-3000:]
        lines = error_lines(out.stderr)
        assert len(lines) == 2 and "Traceback" not in out.stderr, out.stderr
        assert not (tmp_path / "runs").exists() or not any((tmp_path / "runs").rglob("*.log"))  # no engine ran
        return lines

    s3.put_bucket_versioning(Bucket=BUCKET, VersioningConfiguration={"Status": "Suspended"})
    s3.put_bucket_encryption(
        Bucket=BUCKET,
        ServerSideEncryptionConfiguration={
            "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]
        },
    )
    s3.delete_bucket_policy(Bucket=BUCKET)
    error, hint = refused()
    assert error == (
        f"error: state bucket {BUCKET} is not as orch bootstrap left it: versioning is Suspended; "
        "default encryption is AES256, not SSE-KMS; its bucket policy is gone"
    )
    assert hint.strip() == "hint: restore it: orch --local bootstrap --env eks-prod --repair"

    rc, repaired = bootstrap_cli(fresh_emu, tmp_path, "--repair")
    assert rc == 0 and repaired["changed"] is True
    policy = json.loads(s3.get_bucket_policy(Bucket=BUCKET)["Policy"])
    policy["Statement"] = [st for st in policy["Statement"] if st["Sid"] != "DenyInsecureTransport"]
    s3.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(policy))
    error, _ = refused()
    assert error.endswith("its bucket policy no longer denies plain-HTTP (non-TLS) access"), error

    bootstrap_cli(fresh_emu, tmp_path, "--repair")
    key_id = kms.describe_key(KeyId=ENV.state.kms_alias)["KeyMetadata"]["KeyId"]
    kms.disable_key(KeyId=key_id)
    error, hint = refused()
    assert error.startswith(f"error: KMS alias {ENV.state.kms_alias} points to key {key_id}, which is Disabled")
    assert hint.endswith(f"aws kms enable-key --key-id {key_id} --region ap-northeast-2"), hint

    kms.enable_key(KeyId=key_id)
    out = run_orch(*plan, env=env, timeout=600)
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-3000:]
    assert json.loads(out.stdout)["units"][0]["result"] == "changes"


def test_eks_settings_are_validated(tmp_path: Path) -> None:
    """The optional `eks:` block 30-eks-cluster and 50-addons read is part of the checked schema."""
    assert ENV.eks.kubernetes_version == "1.35" and ENV.eks.public_access_cidrs == ["203.0.113.0/24"]
    old_dev = "  developer_role_arns: [arn:aws:iam::111111111111:role/orch-developer-readonly]"
    assert old_dev in ENV.path.read_text()
    good = (
        ENV.path.read_text()
        .replace(old_dev, "  developer_role_arns: [arn:aws:iam::111111111111:role/orch-dev]")
        .replace('  public_access_cidrs: ["203.0.113.0/24"]', '  public_access_cidrs: ["198.51.100.0/24"]')
    )
    path = tmp_path / "env.yaml"
    path.write_text(good)
    loaded = load_env_file(path)
    assert loaded.eks.admin_role_arns == ["arn:aws:iam::111111111111:role/orch-eks-admin"]
    assert loaded.eks.developer_role_arns == ["arn:aws:iam::111111111111:role/orch-dev"]
    assert loaded.eks.audit_role_arns == ["arn:aws:iam::111111111111:role/orch-audit-readonly"]
    assert loaded.eks.namespaces.applications == ["app"] and loaded.eks.namespaces.platform == ["monitoring"]
    assert loaded.eks.public_access_cidrs == ["198.51.100.0/24"]
    for old, new, field in (
        ('cidrs: ["203.0.113.0/24"]', 'cidrs: ["0.0.0.0/0"]', "eks.public_access_cidrs"),
        ("  ci_role_arns: []", "  ci_role_arns: [orch-ci]", "eks.ci_role_arns"),
        ('  kubernetes_version: "1.35"', "  kubernetes_version: latest", "eks.kubernetes_version"),
        ("  external_dns_domain_filters: [", "  external_dns_domains: [", "eks.external_dns_domains"),
    ):
        path.write_text(ENV.path.read_text().replace(old, new))
        with pytest.raises(ConfigError) as err:
            load_env_file(path)
        assert field in str(err.value), err.value


def test_production_needs_an_alarm_subscriber(tmp_path: Path) -> None:
    """eks-prod's alarms reach someone; a production env.yaml without a subscriber is refused in one line."""
    assert ENV.tier == "production"
    assert ENV.alarms.email_addresses == ["platform-oncall@example.com"]
    text = ENV.path.read_text()
    none = text.replace("  email_addresses: [platform-oncall@example.com]", "  email_addresses: []")
    path = tmp_path / "env.yaml"
    path.write_text(none)
    with pytest.raises(ConfigError) as err:
        load_env_file(path)
    message = str(err.value)
    assert "\n" not in message and str(path) in message, message
    assert "production environment has no alarm subscriber: set alarms.email_addresses" in message, message
    # Dropping the tier does not escape the rule (production is the default).
    path.write_text(none.replace("tier: production", ""))
    with pytest.raises(ConfigError, match="no alarm subscriber"):
        load_env_file(path)
    # A staging copy may go without one; a wrong address or tier names its field.
    path.write_text(none.replace("tier: production", "tier: staging"))
    assert load_env_file(path).alarms.email_addresses == []
    for old, new, field in (
        ("tier: production", "tier: prod", "tier"),
        ("[platform-oncall@example.com]", "[platform-oncall]", "alarms.email_addresses"),
    ):
        path.write_text(text.replace(old, new))
        with pytest.raises(ConfigError) as err:
            load_env_file(path)
        assert field in str(err.value), err.value
