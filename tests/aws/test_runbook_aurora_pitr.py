"""docs/runbooks/aurora-pitr.md on the emulator: each `aws rds` command of the runbook as the same
boto3 call, against an Aurora MySQL cluster set up like 60-database's (KMS key, subnet group,
security group, cluster parameter group)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.helpers import Emu

pytestmark = [pytest.mark.emulator]

SRC = "orch-eks-prod-aurora"


def test_the_aurora_pitr_runbook_restores_into_a_new_cluster(fresh_emu: Emu) -> None:
    rds, ec2, kms = fresh_emu.client("rds"), fresh_emu.client("ec2"), fresh_emu.client("kms")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnets = [
        ec2.create_subnet(VpcId=vpc, CidrBlock=cidr, AvailabilityZone=az)["Subnet"]["SubnetId"]
        for cidr, az in (("10.0.1.0/24", "ap-northeast-2a"), ("10.0.2.0/24", "ap-northeast-2c"))
    ]
    rds.create_db_subnet_group(DBSubnetGroupName=f"{SRC}-db", DBSubnetGroupDescription="db", SubnetIds=subnets)
    sg = ec2.create_security_group(GroupName="rds", Description="rds", VpcId=vpc)["GroupId"]
    key = kms.create_key()["KeyMetadata"]["Arn"]
    rds.create_db_cluster_parameter_group(
        DBClusterParameterGroupName=f"{SRC}-cluster", DBParameterGroupFamily="aurora-mysql8.0", Description="c"
    )
    rds.create_db_cluster(
        DBClusterIdentifier=SRC,
        Engine="aurora-mysql",
        MasterUsername="admin_user",
        ManageMasterUserPassword=True,
        DBSubnetGroupName=f"{SRC}-db",
        VpcSecurityGroupIds=[sg],
        StorageEncrypted=True,
        KmsKeyId=key,
        DBClusterParameterGroupName=f"{SRC}-cluster",
        BackupRetentionPeriod=7,
    )

    # The runbook's commands, in order.
    window = rds.describe_db_clusters(DBClusterIdentifier=SRC)["DBClusters"][0]
    restore_to = window.get("LatestRestorableTime") or datetime.now(UTC)
    rds.restore_db_cluster_to_point_in_time(
        SourceDBClusterIdentifier=SRC,
        DBClusterIdentifier=f"{SRC}-restore",
        RestoreToTime=restore_to,
        DBSubnetGroupName=f"{SRC}-db",
        VpcSecurityGroupIds=[sg],
        KmsKeyId=key,
        DBClusterParameterGroupName=f"{SRC}-cluster",
    )
    rds.create_db_instance(
        DBInstanceIdentifier=f"{SRC}-restore-1",
        DBClusterIdentifier=f"{SRC}-restore",
        Engine="aurora-mysql",
        DBInstanceClass="db.r6g.large",
    )
    rds.get_waiter("db_instance_available").wait(
        DBInstanceIdentifier=f"{SRC}-restore-1", WaiterConfig={"Delay": 1, "MaxAttempts": 30}
    )

    restored = rds.describe_db_clusters(DBClusterIdentifier=f"{SRC}-restore")["DBClusters"][0]
    assert restored["Engine"] == "aurora-mysql" and restored["DBSubnetGroup"] == f"{SRC}-db"
    assert [m["DBInstanceIdentifier"] for m in restored["DBClusterMembers"]] == [f"{SRC}-restore-1"]
    assert rds.describe_db_clusters(DBClusterIdentifier=SRC)["DBClusters"][0]["Status"] == "available"
