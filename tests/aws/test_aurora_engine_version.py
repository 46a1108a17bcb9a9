"""rds-aurora after an AWS-side minor upgrade: the plan stays empty instead of a downgrade.

The module's instances upgrade minor versions automatically, so AWS moves a cluster created at
`engine_version` to a newer minor. The module applied with the real OpenTofu and AWS provider
against the emulator, then the upgrade done as AWS does it (ModifyDBCluster with a newer
EngineVersion, here through boto3), then a re-plan: it must be empty and engine_version_actual must
show the new version. A module pinned to the exact minor plans the old version back, which AWS (and
the emulator's rds patch) refuses.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from botocore.exceptions import ClientError

from orchestrator.planfile import summarize
from tests.helpers import REGION, Emu, emulator_network, emulator_provider, tofu_runner

pytestmark = [pytest.mark.emulator, pytest.mark.engines]

MODULE = Path(__file__).resolve().parents[2] / "terraform/modules/rds-aurora"
CREATED_WITH = "8.0.mysql_aurora.3.08.0"
UPGRADED_TO = "8.0.mysql_aurora.3.09.0"

CONFIG = """
module "aurora" {{
  source = "{module}"

  name                        = "ver-aurora"
  azs                         = ["{region}a", "{region}c"]
  db_subnet_group_name        = null
  subnet_ids                  = [for s in aws_subnet.this : s.id]
  vpc_security_group_ids      = [aws_security_group.this.id]
  kms_key_arn                 = aws_kms_key.this.arn
  cloudwatch_logs_kms_key_arn = aws_kms_key.this.arn
  engine_version              = "{version}"
  apply_immediately           = true
}}

output "engine_version_actual" {{
  value = module.aurora.engine_version_actual
}}
"""


def test_plan_stays_empty_after_an_aws_side_minor_upgrade(
    fresh_emu: Emu, engine_env: dict[str, str], tmp_path: Path
) -> None:
    run = tofu_runner(tmp_path, engine_env, fresh_emu.status.ca_bundle)

    def configure(version: str) -> None:
        (tmp_path / "main.tf").write_text(
            # A relative (local) source: an absolute one is a package of its own, which the module's
            # ../iam-role would escape.
            emulator_provider(fresh_emu.endpoint, "ec2", "iam", "kms", "logs", "rds", "secretsmanager", "sts")
            + emulator_network("aurora-version", 44)
            + CONFIG.format(
                region=REGION, endpoint=fresh_emu.endpoint, module=os.path.relpath(MODULE, tmp_path), version=version
            )
        )

    configure(CREATED_WITH)
    assert (out := run("init")).returncode == 0, out.stdout + out.stderr
    assert (out := run("apply", "-auto-approve")).returncode == 0, out.stdout[-3000:] + out.stderr[-3000:]
    assert run("output", "-raw", "engine_version_actual").stdout == CREATED_WITH

    # AWS's automatic minor upgrade (in the maintenance window); the instances follow the cluster.
    rds = fresh_emu.client("rds")
    rds.modify_db_cluster(DBClusterIdentifier="ver-aurora", EngineVersion=UPGRADED_TO, ApplyImmediately=True)
    members = rds.describe_db_clusters(DBClusterIdentifier="ver-aurora")["DBClusters"][0]["DBClusterMembers"]
    for member in members:
        instance = rds.describe_db_instances(DBInstanceIdentifier=member["DBInstanceIdentifier"])["DBInstances"][0]
        assert instance["EngineVersion"] == UPGRADED_TO

    # The plan changes no resource; only the root output engine_version_actual moves (which alone
    # makes `plan -detailed-exitcode` exit 2, as any output change does). A module pinned to the exact
    # minor plans engine_version back to the old minor here: a downgrade AWS refuses.
    planned = run("plan", "-out=upgraded.tfplan")
    assert planned.returncode == 0, planned.stdout[-3000:] + planned.stderr[-3000:]
    summary = summarize(json.loads(run("show", "-json", "upgraded.tfplan").stdout))
    assert (summary.resource_changes, summary.output_changes) == (0, ["engine_version_actual"]), summary.counts()
    assert (out := run("apply", "-auto-approve", "upgraded.tfplan")).returncode == 0, out.stdout[-3000:] + out.stderr
    assert "0 added, 0 changed, 0 destroyed" in out.stdout
    assert run("output", "-raw", "engine_version_actual").stdout == UPGRADED_TO
    planned = run("plan", "-detailed-exitcode")
    assert planned.returncode == 0, "the plan after the upgrade is not empty:\n" + planned.stdout[-4000:]
    assert rds.describe_db_clusters(DBClusterIdentifier="ver-aurora")["DBClusters"][0]["EngineVersion"] == UPGRADED_TO

    # Raising engine_version above the running version changes nothing, but says so.
    configure("8.0.mysql_aurora.3.10.0")
    planned = run("plan", "-detailed-exitcode")
    assert planned.returncode == 0, planned.stdout[-4000:] + planned.stderr[-3000:]
    warned = " ".join((planned.stdout + planned.stderr).split())
    assert "check.engine_version_floor" in warned or "engine_version_floor" in warned, warned[-3000:]
    assert f"The cluster runs {UPGRADED_TO}, older than engine_version 8.0.mysql_aurora.3.10.0" in warned


def test_cluster_engine_versions_change_like_aws(fresh_emu: Emu) -> None:
    """The rds patch: a downgrade is refused, a new major version needs AllowMajorVersionUpgrade."""
    rds = fresh_emu.client("rds")
    rds.create_db_cluster(
        DBClusterIdentifier="ver",
        Engine="aurora-mysql",
        EngineVersion=CREATED_WITH,
        MasterUsername="admin",
        ManageMasterUserPassword=True,
    )

    def refused(version: str, **kwargs: object) -> tuple[str, str]:
        with pytest.raises(ClientError) as raised:
            rds.modify_db_cluster(DBClusterIdentifier="ver", EngineVersion=version, ApplyImmediately=True, **kwargs)
        return raised.value.response["Error"]["Code"], raised.value.response["Error"]["Message"]

    rds.modify_db_cluster(DBClusterIdentifier="ver", EngineVersion=UPGRADED_TO, ApplyImmediately=True)
    assert refused(CREATED_WITH) == (
        "InvalidParameterCombination",
        f"Cannot upgrade aurora-mysql from {UPGRADED_TO} to {CREATED_WITH}",
    )
    assert refused("8.4.mysql_aurora.4.00.0")[0] == "InvalidParameterCombination"
    rds.modify_db_cluster(
        DBClusterIdentifier="ver",
        EngineVersion="8.4.mysql_aurora.4.00.0",
        AllowMajorVersionUpgrade=True,
        ApplyImmediately=True,
    )
    rds.modify_db_cluster(DBClusterIdentifier="ver", BackupRetentionPeriod=3)  # no version: nothing to check
    cluster = rds.describe_db_clusters(DBClusterIdentifier="ver")["DBClusters"][0]
    assert cluster["EngineVersion"] == "8.4.mysql_aurora.4.00.0"
