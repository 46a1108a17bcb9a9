"""bootstrap/05-organization on the emulator (issue 19): `orch --local apply --dir bootstrap --layer
05-organization` creates the Organization that bootstrap/accounts.yaml describes, read back with boto3:
the OUs, every member account in its OU, the SCPs on their targets, the organization trail to its
KMS-encrypted, versioned, Object-Locked log archive (TLS-only, CloudTrail-only writes), GuardDuty
and Security Hub administered from the security account, and the cost allocation tags activated by the
management account (which member accounts cannot do). A second plan shows no changes.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
import yaml
from botocore.exceptions import ClientError

from tests.helpers import REPO, Emu, run_orch

pytestmark = [pytest.mark.emulator, pytest.mark.engines, pytest.mark.slow]

ACCOUNTS = yaml.safe_load((REPO / "bootstrap" / "accounts.yaml").read_text())
ORG = ACCOUNTS["organization"]


def _all(client: Any, method: str, key: str, **kwargs: Any) -> list[dict[str, Any]]:
    return [item for page in client.get_paginator(method).paginate(**kwargs) for item in page[key]]


@pytest.fixture(scope="module")
def applied(emu: Emu, tmp_path_factory: pytest.TempPathFactory) -> Emu:
    """One apply for the module's read-backs (about 3 minutes on 2 cores)."""
    emu.reset()
    fresh_emu, tmp_path = emu, tmp_path_factory.mktemp("organization")
    env = fresh_emu.orch_env(tmp_path / "home", ORCH_RUNS_DIR=str(tmp_path / "runs"))
    boot = run_orch("--local", "bootstrap", "--env", "eks-prod", "--json", env=env, timeout=300)
    assert boot.returncode == 0, boot.stdout + boot.stderr
    args = ["--local", "apply", "--dir", "bootstrap", "--layer", "05-organization", "--auto-approve", "--json"]
    out = run_orch(*args, env=env, timeout=900)
    assert out.returncode == 0, out.stdout[-5000:] + out.stderr[-5000:]
    plan = ["--local", "plan", "--dir", "bootstrap", "--layer", "05-organization", "--detailed-exitcode", "--json"]
    again = run_orch(*plan, env=env, timeout=600)
    assert again.returncode == 0, again.stdout[-5000:] + again.stderr[-5000:]  # 0: no changes
    # The state went to the environment's emulator bucket, under management/ (bootstrap/settings.hcl).
    bucket = yaml.safe_load((REPO / "environments/LIVE/eks-prod/env.yaml").read_text())["state"]["bucket"]
    key = "management/bootstrap/05-organization/terraform.tfstate"
    assert fresh_emu.client("s3").head_object(Bucket=bucket, Key=key)["ServerSideEncryption"] == "aws:kms"
    return fresh_emu


def test_organization_ous_accounts_and_scps(applied: Emu) -> None:
    org = applied.client("organizations")
    described = org.describe_organization()["Organization"]
    assert described["FeatureSet"] == "ALL"
    root = org.list_roots()["Roots"][0]
    assert {"Type": "SERVICE_CONTROL_POLICY", "Status": "ENABLED"} in root["PolicyTypes"]

    # OUs: the plan's tree (accounts.yaml), two levels.
    ou_ids: dict[str, str] = {}
    ou_parent: dict[str, str | None] = {}
    for top in _all(org, "list_organizational_units_for_parent", "OrganizationalUnits", ParentId=root["Id"]):
        ou_ids[top["Name"]], ou_parent[top["Name"]] = top["Id"], None
        for child in _all(org, "list_organizational_units_for_parent", "OrganizationalUnits", ParentId=top["Id"]):
            ou_ids[child["Name"]], ou_parent[child["Name"]] = child["Id"], top["Name"]
    assert ou_parent == ORG["organizational_units"]
    assert {"Security", "Infrastructure", "Sandbox", "Workloads"} == {n for n, p in ou_parent.items() if p is None}
    assert {"Production", "Staging", "Development"} == {n for n, p in ou_parent.items() if p == "Workloads"}

    # Accounts: each in its OU, tagged with its purpose.
    accounts = {a["Name"]: a for a in _all(org, "list_accounts", "Accounts")}
    for entry in ACCOUNTS["accounts"]:
        account = accounts[entry["name"]]
        assert account["Email"] == entry["email"] and account["Status"] == "ACTIVE"
        assert org.list_parents(ChildId=account["Id"])["Parents"] == [
            {"Id": ou_ids[entry["ou"]], "Type": "ORGANIZATIONAL_UNIT"}
        ]
        tags = {t["Key"]: t["Value"] for t in org.list_tags_for_resource(ResourceId=account["Id"])["Tags"]}
        assert tags["Purpose"] == entry["purpose"] and tags["OrganizationalUnit"] == entry["ou"]

    # SCPs on their targets: org-wide guardrails on the root, the regional ones on every top-level OU.
    policies = {p["Name"]: p for p in _all(org, "list_policies", "Policies", Filter="SERVICE_CONTROL_POLICY")}
    top_ous = {"Security", "Infrastructure", "Sandbox", "Workloads"}
    expected = {
        "orch-deny-leave-organization": {"Root"},
        "orch-deny-root-user": {"Root"},
        "orch-protect-security-services": {"Root"},
        "orch-restrict-regions": top_ous,
        "orch-protect-ebs-encryption": top_ous,
    }
    for name, targets in expected.items():
        attached = _all(org, "list_targets_for_policy", "Targets", PolicyId=policies[name]["Id"])
        assert {t["Name"] for t in attached} == targets, name
    content = {
        name: json.loads(org.describe_policy(PolicyId=policies[name]["Id"])["Policy"]["Content"]) for name in expected
    }
    assert content["orch-deny-leave-organization"]["Statement"][0]["Action"] == "organizations:LeaveOrganization"
    regions = content["orch-restrict-regions"]["Statement"][0]
    assert regions["Condition"]["StringNotEquals"]["aws:RequestedRegion"] == "ap-northeast-2"
    assert {"iam:*", "organizations:*", "sts:*", "support:*"} <= set(regions["NotAction"])
    protected = set(content["orch-protect-security-services"]["Statement"][0]["Action"])
    assert {"cloudtrail:StopLogging", "config:StopConfigurationRecorder", "guardduty:DeleteDetector"} <= protected
    ebs = content["orch-protect-ebs-encryption"]["Statement"][0]
    assert ebs["Action"] == "ec2:DisableEbsEncryptionByDefault"
    principals = {
        p["ServicePrincipal"] for p in org.list_aws_service_access_for_organization()["EnabledServicePrincipals"]
    }
    assert {"cloudtrail.amazonaws.com", "guardduty.amazonaws.com", "securityhub.amazonaws.com"} <= principals


def test_organization_trail_and_log_archive(applied: Emu) -> None:
    org_id = applied.client("organizations").describe_organization()["Organization"]["Id"]
    bucket = ORG["log_archive_bucket"]
    trail = applied.client("cloudtrail").describe_trails()["trailList"]
    assert len(trail) == 1
    trail = trail[0]
    assert trail["IsOrganizationTrail"] and trail["IsMultiRegionTrail"] and trail["LogFileValidationEnabled"]
    assert trail["S3BucketName"] == bucket and trail["KmsKeyId"].startswith("arn:aws:kms:")
    assert applied.client("cloudtrail").get_trail_status(Name=trail["TrailARN"])["IsLogging"]

    s3 = applied.client("s3")
    assert s3.get_bucket_versioning(Bucket=bucket)["Status"] == "Enabled"
    lock = s3.get_object_lock_configuration(Bucket=bucket)["ObjectLockConfiguration"]
    assert lock["ObjectLockEnabled"] == "Enabled"
    assert lock["Rule"]["DefaultRetention"]["Mode"] == ORG["object_lock_mode"]
    assert lock["Rule"]["DefaultRetention"]["Days"] == ORG["object_lock_days"]
    rule = s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]["Rules"][0]
    assert rule["ApplyServerSideEncryptionByDefault"] == {
        "SSEAlgorithm": "aws:kms",
        "KMSMasterKeyID": trail["KmsKeyId"],
    }
    assert all(s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"].values())
    key = applied.client("kms").describe_key(KeyId=trail["KmsKeyId"])["KeyMetadata"]
    assert applied.client("kms").get_key_rotation_status(KeyId=key["KeyId"])["KeyRotationEnabled"]

    statements = {s["Sid"]: s for s in json.loads(s3.get_bucket_policy(Bucket=bucket)["Policy"])["Statement"]}
    assert statements["DenyInsecureTransport"]["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    only = statements["OnlyCloudTrailWrites"]
    assert only["Effect"] == "Deny" and only["Action"] == "s3:PutObject"
    assert only["Condition"] == {"StringNotEquals": {"aws:PrincipalServiceName": "cloudtrail.amazonaws.com"}}
    writes = statements["CloudTrailWrites"]
    assert writes["Principal"] == {"Service": "cloudtrail.amazonaws.com"}
    assert f"arn:aws:s3:::{bucket}/AWSLogs/{org_id}/*" in writes["Resource"]
    assert writes["Condition"]["StringEquals"]["aws:SourceArn"] == trail["TrailARN"]


def test_delegated_administrators_are_the_security_account(applied: Emu) -> None:
    accounts = {a["Name"]: a["Id"] for a in _all(applied.client("organizations"), "list_accounts", "Accounts")}
    security = accounts[ORG["security_account"]]
    guardduty = applied.client("guardduty").list_organization_admin_accounts()["AdminAccounts"]
    assert guardduty == [{"AdminAccountId": security, "AdminStatus": "ENABLED"}]
    hub = applied.client("securityhub").list_organization_admin_accounts()["AdminAccounts"]
    assert hub == [{"AccountId": security, "Status": "ENABLED"}]


def test_cost_allocation_tags_are_activated_by_the_payer(applied: Emu) -> None:
    keys = ORG["cost_allocation_tags"]
    assert set(keys) == {"Project", "Environment", "Layer", "CostCenter"}
    ce = applied.client("ce")
    active = ce.list_cost_allocation_tags(Status="Active", TagKeys=keys)["CostAllocationTags"]
    assert sorted((t["TagKey"], t["Type"]) for t in active) == sorted((k, "UserDefined") for k in keys)

    # Why here: the member accounts (eks-prod's Production among them) may not activate them.
    accounts = {a["Name"]: a["Id"] for a in _all(applied.client("organizations"), "list_accounts", "Accounts")}
    member_ce = applied.client("ce", **applied.as_account(accounts["production"]))
    with pytest.raises(ClientError) as refused:
        member_ce.update_cost_allocation_tags_status(
            CostAllocationTagsStatus=[{"TagKey": "Layer", "Status": "Inactive"}]
        )
    assert refused.value.response["Error"]["Code"] == "AccessDeniedException"
