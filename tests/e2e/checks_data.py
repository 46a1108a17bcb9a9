"""boto3 read-backs of 60-database, 70-cache and 80-storage.

Pure assertion helpers used by tests/e2e/test_platform_local.py on what `orch --local apply` built.
"""

from __future__ import annotations

import json
from typing import Any


def assert_aurora_cluster(
    rds: Any,
    cluster_id: str,
    *,
    instance_class: str = "db.r6g.large",
    instances: int = 2,
    backup_retention: int = 7,
    kms_key_arn: str | None = None,
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
        assert instance["PerformanceInsightsEnabled"] is True
        assert instance["PerformanceInsightsRetentionPeriod"] == 7
        if kms_key_arn:
            assert instance["PerformanceInsightsKMSKeyId"] == kms_key_arn
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
    # AUTH goes through the RBAC user group's `default` user, whose password is write-only
    # (elasticache-redis: the group's own auth_token would be stored in state).
    assert group["AuthTokenEnabled"] is False and group["UserGroupIds"] == [group_id]
    user_group = elasticache.describe_user_groups(UserGroupId=group_id)["UserGroups"][0]
    assert user_group["Status"] == "active" and group_id in user_group["ReplicationGroups"]
    users = [elasticache.describe_users(UserId=u)["Users"][0] for u in user_group["UserIds"]]
    assert [(u["UserName"], u["Authentication"]["Type"], u["Authentication"]["PasswordCount"]) for u in users] == [
        ("default", "password", 1)
    ]
    assert group["AutomaticFailover"] == "enabled"
    assert group["MultiAZ"] == "enabled"
    assert group["KmsKeyId"].startswith("arn:aws:kms:")
    assert group["SnapshotRetentionLimit"] >= 1
    assert len(group["MemberClusters"]) == shards * (1 + replicas)
    assert group["ConfigurationEndpoint"]["Address"]
    return group


# What elasticache-redis sets in its own parameter group by default (cluster-enabled and its `parameters`).
REDIS_PARAMETERS = {"cluster-enabled": "yes", "maxmemory-policy": "volatile-lru", "slowlog-log-slower-than": "10000"}


def assert_redis_parameter_group(
    elasticache: Any, group: dict[str, Any], parameter_group_name: str, *, expected: dict[str, str] = REDIS_PARAMETERS
) -> None:
    """Every member cluster uses the module's own redis7 group, which holds the module's parameters."""
    assert not parameter_group_name.startswith("default."), parameter_group_name
    for member in group["MemberClusters"]:
        cluster = elasticache.describe_cache_clusters(CacheClusterId=member)["CacheClusters"][0]
        assert cluster["CacheParameterGroup"]["CacheParameterGroupName"] == parameter_group_name, member
        assert cluster["CacheParameterGroup"]["ParameterApplyStatus"] == "in-sync", member
    described = elasticache.describe_cache_parameter_groups(CacheParameterGroupName=parameter_group_name)
    assert described["CacheParameterGroups"][0]["CacheParameterGroupFamily"] == "redis7"
    user = elasticache.describe_cache_parameters(CacheParameterGroupName=parameter_group_name, Source="user")
    assert {p["ParameterName"]: p["ParameterValue"] for p in user["Parameters"]} == expected


def assert_auth_token_secret(secrets: Any, secret_arn: str) -> None:
    token = secrets.get_secret_value(SecretId=secret_arn)["SecretString"]
    assert 16 <= len(token) <= 128 and token.isalnum()


def assert_efs(efs: Any, fs_id: str, subnet_ids: list[str]) -> None:
    fs = efs.describe_file_systems(FileSystemId=fs_id)["FileSystems"][0]
    assert fs["Encrypted"] is True
    assert fs["KmsKeyId"].startswith("arn:aws:kms:")
    targets = efs.describe_mount_targets(FileSystemId=fs_id)["MountTargets"]
    assert sorted(t["SubnetId"] for t in targets) == sorted(subnet_ids)
    assert efs.describe_backup_policy(FileSystemId=fs_id)["BackupPolicy"]["Status"] == "ENABLED"
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


def assert_bucket_tags(s3: Any, bucket: str, expected: dict[str, str]) -> None:
    tags = {t["Key"]: t["Value"] for t in s3.get_bucket_tagging(Bucket=bucket)["TagSet"]}
    assert expected.items() <= tags.items(), tags
    assert tags.get("Name") == bucket


def assert_access_logging(s3: Any, bucket: str, *, target_bucket: str, prefix: str) -> None:
    logging = s3.get_bucket_logging(Bucket=bucket)["LoggingEnabled"]
    assert logging == {"TargetBucket": target_bucket, "TargetPrefix": prefix}


def assert_alarms(cloudwatch: Any, names: list[str], topic_arn: str) -> None:
    alarms = cloudwatch.describe_alarms(AlarmNames=names)["MetricAlarms"]
    assert sorted(a["AlarmName"] for a in alarms) == sorted(names)
    for alarm in alarms:
        assert alarm["AlarmActions"] == [topic_arn], alarm["AlarmName"]
        assert alarm["ActionsEnabled"] is True


# ----------------------------------------------------------------------------- fixtures
