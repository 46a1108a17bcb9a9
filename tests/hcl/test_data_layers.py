"""Data layers (60-database, 70-cache, 80-storage) applied with real Terragrunt/OpenTofu to moto.

One moto server (own free port) per module run; 00-foundation, 10-networking and 20-security are
applied first because the data layers read their outputs. After the apply, what AWS (the emulator)
holds is read back with boto3, and a second plan of every unit must show no changes.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
import yaml

from orchestrator import tools

pytestmark = [pytest.mark.engines, pytest.mark.emulator, pytest.mark.slow, pytest.mark.timeout(3600)]

REPO = Path(__file__).resolve().parents[2]
ENV_DIR = REPO / "environments/LIVE/eks-prod"
ACCOUNT_ID = "123456789012"
REGION = "ap-northeast-2"
UNITS = ["00-foundation", "10-networking", "20-security", "60-database", "70-cache", "80-storage"]
# The switches local mode sets (what the emulator cannot do); expectations follow them.
OVERRIDES = yaml.safe_load((ENV_DIR / "emulator-overrides.yaml").read_text()) or {}


# ----------------------------------------------------------------------------- emulator
def install_moto_patches() -> None:
    """Fill one moto gap that no module switch can avoid.

    moto's CreateReplicationGroup lists member clusters (0001-001, ...) but registers no cache
    cluster for them, so DescribeCacheClusters on a member fails and the AWS provider cannot read
    any replication group back. Real AWS creates those clusters; here they are registered with the
    group's settings. (orchestrator/emulator_server.py is the place for this in `orch --local`;
    its own fixes are installed too, see the end of this file.)
    """
    from moto.elasticache.models import CacheCluster, ElastiCacheBackend

    original = ElastiCacheBackend.create_replication_group

    def create_replication_group(self: Any, *args: Any, **kwargs: Any) -> Any:
        group = original(self, *args, **kwargs)
        for member in group.member_clusters:
            if member in self.cache_clusters:
                continue
            cluster = CacheCluster(
                account_id=self.account_id,
                region_name=self.region_name,
                cache_cluster_id=member,
                cache_node_type=getattr(group, "cache_node_type", None),
                replication_group_id=group.replication_group_id,
                az_mode=None,
                preferred_availability_zone=None,
                num_cache_nodes=1,
                engine=getattr(group, "engine", "redis"),
                engine_version=getattr(group, "engine_version", None),
                cache_parameter_group_name=getattr(group, "cache_parameter_group_name", None),
                cache_subnet_group_name=getattr(group, "cache_subnet_group_name", None),
                transit_encryption_enabled=getattr(group, "transit_encryption_enabled", None),
                network_type=None,
                ip_discovery=None,
                snapshot_name=None,
                preferred_maintenance_window=getattr(group, "preferred_maintenance_window", None),
                port=group.port,
                notification_topic_arn=None,
                auto_minor_version_upgrade=getattr(group, "auto_minor_version_upgrade", None),
                snapshot_retention_limit=getattr(group, "snapshot_retention_limit", None),
                snapshot_window=getattr(group, "snapshot_window", None),
                auth_token=getattr(group, "auth_token", None),
                outpost_mode=None,
                preferred_outpost_arn=None,
                preferred_availability_zones=None,
                cache_security_group_names=None,
                security_group_ids=getattr(group, "security_group_ids", None),
                tags=None,
                snapshot_arns=None,
                preferred_outpost_arns=None,
                log_delivery_configurations=[],
                cache_node_ids_to_remove=None,
                cache_node_ids_to_reboot=None,
            )
            # What the provider reads from the first member (setFromCacheCluster) must match the group.
            cluster.at_rest_encryption_enabled = getattr(group, "at_rest_encryption_enabled", False)
            cluster.auth_token_enabled = getattr(group, "auth_token_enabled", False)
            cluster.transit_encryption_mode = getattr(group, "transit_encryption_mode", None)
            sg_ids = kwargs.get("security_group_ids") or getattr(group, "security_group_ids", None) or []
            cluster.security_groups = [{"SecurityGroupId": sg, "Status": "active"} for sg in sg_ids]
            self.cache_clusters[member] = cluster
        return group

    ElastiCacheBackend.create_replication_group = create_replication_group  # type: ignore[method-assign]


# ----------------------------------------------------------------------------- helpers
def _missing_reason() -> str | None:
    for name in ("tofu", "terragrunt"):
        if tools.find_tool(name) is None:
            return f"{name} not installed: run ./scripts/setup.sh"
    if "hashicorp/aws" not in tools.mirror_providers():
        return "hashicorp/aws not in the provider mirror: run ./scripts/setup.sh"
    if tools.cli_config_file() is None:
        return ".venv/orch.tfrc missing: run ./scripts/setup.sh"
    if not (tools.venv_bin() / "moto_server").exists():
        return "moto_server not installed: pip install 'moto[server]'"
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_healthy(endpoint: str, proc: subprocess.Popen[bytes], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"moto_server exited early with {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{endpoint}/moto-api/", timeout=2) as resp:
                if resp.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"moto_server at {endpoint} not healthy after {timeout}s")


def terragrunt(
    args: list[str], env: dict[str, str], cwd: Path = ENV_DIR, timeout: int = 1800
) -> subprocess.CompletedProcess[str]:
    cmd = [str(tools.find_tool("terragrunt")), *args]
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False)


def unit_outputs(unit: str, env: dict[str, str]) -> dict[str, Any]:
    proc = terragrunt(["output", "-json", "--working-dir", str(ENV_DIR / unit)], env, timeout=600)
    assert proc.returncode == 0, f"output of {unit} failed:\n{proc.stdout[-4000:]}\n{proc.stderr[-4000:]}"
    return {k: v["value"] for k, v in json.loads(proc.stdout).items()}


def bootstrap_state(clients: dict[str, Any]) -> None:
    """What `orch bootstrap` does for root.hcl: the state bucket and its KMS alias."""
    env = yaml.safe_load((ENV_DIR / "env.yaml").read_text())
    clients["s3"].create_bucket(
        Bucket=env["state"]["bucket"], CreateBucketConfiguration={"LocationConstraint": env["region"]}
    )
    key_id = clients["kms"].create_key(Description="terraform state")["KeyMetadata"]["KeyId"]
    clients["kms"].create_alias(AliasName=env["state"]["kms_alias"], TargetKeyId=key_id)


# Read-back assertions, reusable by other layer tests (each takes a boto3 client and ids).
def assert_aurora_cluster(
    rds: Any,
    cluster_id: str,
    *,
    instance_class: str = "db.r6g.large",
    instances: int = 2,
    backup_retention: int = 7,
    performance_insights: bool = True,
) -> dict[str, Any]:
    cluster = rds.describe_db_clusters(DBClusterIdentifier=cluster_id)["DBClusters"][0]
    assert cluster["Engine"] == "aurora-mysql"
    assert cluster["EngineVersion"].startswith("8.0.mysql_aurora.3.")
    assert cluster["StorageEncrypted"] is True
    assert cluster["KmsKeyId"].startswith("arn:aws:kms:")
    assert cluster["BackupRetentionPeriod"] == backup_retention
    assert cluster["DeletionProtection"] is True
    assert cluster["IAMDatabaseAuthenticationEnabled"] is True
    assert set(cluster["EnabledCloudwatchLogsExports"]) >= {"audit", "error", "general", "slowquery"}
    assert cluster["MasterUserSecret"]["SecretArn"].startswith("arn:aws:secretsmanager:")

    members = cluster["DBClusterMembers"]
    assert len(members) == instances
    assert sum(1 for m in members if m["IsClusterWriter"]) == 1
    described = [
        rds.describe_db_instances(DBInstanceIdentifier=m["DBInstanceIdentifier"])["DBInstances"][0] for m in members
    ]
    assert {i["DBInstanceClass"] for i in described} == {instance_class}
    assert len({i["AvailabilityZone"] for i in described}) == min(instances, 2), "writer and reader share an AZ"
    for instance in described:
        assert instance["PubliclyAccessible"] is False
        assert instance.get("PerformanceInsightsEnabled", False) is performance_insights
        assert instance["MonitoringInterval"] > 0
        assert instance["AutoMinorVersionUpgrade"] is True
    return cluster


def assert_master_secret(secrets: Any, secret_arn: str) -> None:
    secret = secrets.describe_secret(SecretId=secret_arn)
    assert secret["ARN"] == secret_arn


def assert_redis_replication_group(
    elasticache: Any, group_id: str, *, node_type: str = "cache.r6g.large", shards: int = 2, replicas: int = 1
) -> dict[str, Any]:
    group = elasticache.describe_replication_groups(ReplicationGroupId=group_id)["ReplicationGroups"][0]
    assert group["ClusterEnabled"] is True
    assert group["CacheNodeType"] == node_type
    assert group["AtRestEncryptionEnabled"] is True
    assert group["TransitEncryptionEnabled"] is True
    assert group["AuthTokenEnabled"] is True
    assert group["AutomaticFailover"] == "enabled"
    assert group["MultiAZ"] == "enabled"
    assert group["KmsKeyId"].startswith("arn:aws:kms:")
    assert group["SnapshotRetentionLimit"] >= 1
    assert len(group["MemberClusters"]) == shards * (1 + replicas)
    assert group["ConfigurationEndpoint"]["Address"]
    return group


def assert_auth_token_secret(secrets: Any, secret_arn: str) -> None:
    token = secrets.get_secret_value(SecretId=secret_arn)["SecretString"]
    assert 16 <= len(token) <= 128 and token.isalnum()


def assert_efs(efs: Any, fs_id: str, subnet_ids: list[str]) -> None:
    fs = efs.describe_file_systems(FileSystemId=fs_id)["FileSystems"][0]
    assert fs["Encrypted"] is True
    assert fs["KmsKeyId"].startswith("arn:aws:kms:")
    targets = efs.describe_mount_targets(FileSystemId=fs_id)["MountTargets"]
    assert sorted(t["SubnetId"] for t in targets) == sorted(subnet_ids)
    policy = json.loads(efs.describe_file_system_policy(FileSystemId=fs_id)["Policy"])
    assert any(
        s["Effect"] == "Deny" and s.get("Condition", {}).get("Bool", {}).get("aws:SecureTransport") == "false"
        for s in policy["Statement"]
    )


def assert_bucket_hardened(s3: Any, bucket: str, *, kms: bool) -> None:
    rule = s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]["Rules"][0]
    assert rule["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] == ("aws:kms" if kms else "AES256")
    assert s3.get_bucket_versioning(Bucket=bucket)["Status"] == "Enabled"
    pab = s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"]
    assert all(pab.values())
    owner = s3.get_bucket_ownership_controls(Bucket=bucket)["OwnershipControls"]["Rules"][0]
    assert owner["ObjectOwnership"] == "BucketOwnerEnforced"
    assert "aws:SecureTransport" in s3.get_bucket_policy(Bucket=bucket)["Policy"]


# ----------------------------------------------------------------------------- fixtures
@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    reason = _missing_reason()
    if reason:
        pytest.skip(reason)
    tmp = tmp_path_factory.mktemp("data-layers")
    port = _free_port()
    endpoint = f"http://127.0.0.1:{port}"
    log = (tmp / "moto.log").open("wb")
    moto_env = {**os.environ, "MOTO_ACCOUNT_ID": ACCOUNT_ID}
    moto_env["MOTO_IAM_LOAD_MANAGED_POLICIES"] = "true"  # as orch's emulator: AWS managed policies exist
    proc = subprocess.Popen(
        [sys.executable, __file__, "--serve-moto", "-H", "127.0.0.1", "-p", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=moto_env,
        start_new_session=True,
    )
    try:
        _wait_healthy(endpoint, proc)
        env = tools.engine_env()
        env.pop("AWS_PROFILE", None)
        env.update(
            {
                "ORCH_LOCAL_ENDPOINT": endpoint,
                "ORCH_LOCAL_ACCOUNT_ID": ACCOUNT_ID,
                "AWS_ACCESS_KEY_ID": "test",
                "AWS_SECRET_ACCESS_KEY": "test",
                "AWS_DEFAULT_REGION": REGION,
                "AWS_REGION": REGION,
                "TG_DOWNLOAD_DIR": str(tmp / "tg-cache"),
            }
        )
        kw = {
            "endpoint_url": endpoint,
            "region_name": REGION,
            "aws_access_key_id": "test",
            "aws_secret_access_key": "test",
        }
        clients = {n: boto3.client(n, **kw) for n in ("s3", "kms", "rds", "elasticache", "efs", "secretsmanager")}
        bootstrap_state(clients)

        filters = [arg for unit in UNITS for arg in ("--filter", unit)]
        apply = terragrunt(["run", "--all", *filters, "--", "apply", "-auto-approve", "-input=false"], env)
        assert apply.returncode == 0, f"apply failed:\n{apply.stdout[-8000:]}\n{apply.stderr[-8000:]}"
        outputs = {unit: unit_outputs(unit, env) for unit in UNITS[1:]}
        yield {"env": env, "clients": clients, "outputs": outputs, "endpoint": endpoint, "tmp": tmp}
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


# ----------------------------------------------------------------------------- tests
def test_aurora_cluster_matches_the_plan(stack: dict[str, Any]) -> None:
    db = stack["outputs"]["60-database"]
    cluster = assert_aurora_cluster(
        stack["clients"]["rds"],
        db["cluster_id"],
        performance_insights=OVERRIDES.get("enable_performance_insights", True),
    )
    assert cluster["Endpoint"] == db["cluster_endpoint"]
    assert cluster["MasterUserSecret"]["SecretArn"] == db["master_user_secret_arn"]
    assert_master_secret(stack["clients"]["secretsmanager"], db["master_user_secret_arn"])
    assert cluster["DBSubnetGroup"] == stack["outputs"]["10-networking"]["database_subnet_group_name"]
    assert [g["VpcSecurityGroupId"] for g in cluster["VpcSecurityGroups"]] == [
        stack["outputs"]["20-security"]["rds_security_group_id"]
    ]


def test_redis_replication_group_matches_the_plan(stack: dict[str, Any]) -> None:
    cache = stack["outputs"]["70-cache"]
    group = assert_redis_replication_group(stack["clients"]["elasticache"], cache["replication_group_id"])
    assert group["ConfigurationEndpoint"]["Address"] == cache["configuration_endpoint"]
    assert_auth_token_secret(stack["clients"]["secretsmanager"], cache["auth_token_secret_arn"])
    assert "auth_token" not in json.dumps(cache).lower().replace("auth_token_secret_arn", "")


def test_efs_and_buckets_match_the_plan(stack: dict[str, Any]) -> None:
    storage = stack["outputs"]["80-storage"]
    assert_efs(stack["clients"]["efs"], storage["efs_id"], stack["outputs"]["10-networking"]["private_subnet_ids"])
    buckets = storage["bucket_names"]
    if OVERRIDES.get("create_s3_buckets", True) is False:
        assert buckets == {}, "local mode must not create buckets it cannot read back"
        return
    assert set(buckets) >= {"logs", "artifacts"}
    for purpose, name in buckets.items():
        assert_bucket_hardened(stack["clients"]["s3"], name, kms=purpose != "logs")


def test_second_plan_shows_no_changes(stack: dict[str, Any]) -> None:
    filters = [arg for unit in UNITS for arg in ("--filter", unit)]
    proc = terragrunt(
        ["run", "--all", *filters, "--", "plan", "-detailed-exitcode", "-input=false", "-lock=false"],
        stack["env"],
        timeout=1800,
    )
    log = stack["tmp"] / "second-plan.log"
    log.write_text(proc.stdout + proc.stderr)
    clean = {
        u for u in UNITS if f"[{u}] tofu: No changes. Your infrastructure matches the configuration." in proc.stdout
    }
    assert proc.returncode == 0 and clean == set(UNITS), (
        f"plan after apply is not empty (rc={proc.returncode}; clean: {sorted(clean)}; full log {log}):\n"
        + proc.stdout[-6000:]
    )


if __name__ == "__main__" and sys.argv[1:2] == ["--serve-moto"]:
    # The fixture's emulator process: orch's emulator fixes (plain HTTP here) plus the patch above.
    from orchestrator import emulator_server

    emulator_server.install()
    install_moto_patches()
    from moto.server import main as moto_main

    moto_main(sys.argv[2:])
