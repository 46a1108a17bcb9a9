"""What orch adds to moto for the data layers (orchestrator/emulator/patches/: s3, s3control_proxy,
efs, rds), checked against a real emulator process with real boto3 clients, and once with the real
OpenTofu and AWS provider, the client the patches exist for.
"""

from __future__ import annotations

import json
import socket
from pathlib import Path
from typing import Any

import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from orchestrator.emulator.patches.s3 import policy_grants_log_delivery, tags_from_create_body
from orchestrator.emulator.patches.s3control_proxy import parse_connect
from tests.helpers import REGION, Emu, tofu_runner

pytestmark = pytest.mark.emulator

ACCOUNT = "123456789012"


def log_bucket_policy(bucket: str, resource_suffix: str) -> str:
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "S3ServerAccessLogDelivery",
                    "Effect": "Allow",
                    "Principal": {"Service": "logging.s3.amazonaws.com"},
                    "Action": "s3:PutObject",
                    "Resource": f"arn:aws:s3:::{bucket}/{resource_suffix}",
                    "Condition": {"StringEquals": {"aws:SourceAccount": ACCOUNT}},
                }
            ],
        }
    )


# ------------------------------------------------------------------ pure helpers


def test_tags_are_read_from_a_create_bucket_body() -> None:
    body = (
        b'<CreateBucketConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">'
        b"<LocationConstraint>ap-northeast-2</LocationConstraint><Tags>"
        b"<Tag><Key>Name</Key><Value>logs</Value></Tag><Tag><Key>Empty</Key><Value></Value></Tag>"
        b"</Tags></CreateBucketConfiguration>"
    )
    assert tags_from_create_body(body) == {"Name": "logs", "Empty": ""}
    assert (
        tags_from_create_body(
            b"<CreateBucketConfiguration><LocationConstraint>x</LocationConstraint></CreateBucketConfiguration>"
        )
        == {}
    )
    assert tags_from_create_body(b"not xml <") == {}
    assert tags_from_create_body(None) == {}


@pytest.mark.parametrize(
    ("resource", "prefix", "granted"),
    [
        ("s3-access/*", "s3-access/app/", True),
        ("*", "s3-access/app/", True),
        ("s3-access/app/*", "s3-access/app/", True),
        ("s3-access/other/*", "s3-access/app/", False),
        ("alb/*", "s3-access/app/", False),
    ],
)
def test_log_delivery_grant_covers_the_target_prefix(resource: str, prefix: str, granted: bool) -> None:
    arn = "arn:aws:s3:::logs"
    assert policy_grants_log_delivery(log_bucket_policy("logs", resource), arn, prefix) is granted


def test_log_delivery_grant_needs_the_logging_service_and_allow() -> None:
    arn = "arn:aws:s3:::logs"
    policy = json.loads(log_bucket_policy("logs", "*"))
    policy["Statement"][0]["Principal"] = {"Service": "delivery.logs.amazonaws.com"}
    assert not policy_grants_log_delivery(json.dumps(policy), arn, "p/")
    policy = json.loads(log_bucket_policy("logs", "*"))
    policy["Statement"][0]["Effect"] = "Deny"
    assert not policy_grants_log_delivery(json.dumps(policy), arn, "p/")
    assert not policy_grants_log_delivery(None, arn, "p/")


def test_parse_connect() -> None:
    assert parse_connect(b"CONNECT 123456789012.127.0.0.1:4566 HTTP/1.1\r\nHost: x\r\n\r\n") == (
        "123456789012.127.0.0.1",
        4566,
    )
    assert parse_connect(b"GET http://example.com/ HTTP/1.1\r\n\r\n") is None
    assert parse_connect(b"garbage") is None


# ------------------------------------------------------------------ against the emulator


def test_bucket_tags_given_at_creation_are_kept(fresh_emu: Emu) -> None:
    s3 = fresh_emu.client("s3")
    s3.create_bucket(
        Bucket="tagged-at-create",
        CreateBucketConfiguration={
            "LocationConstraint": REGION,
            "Tags": [{"Key": "Name", "Value": "tagged-at-create"}, {"Key": "Layer", "Value": "80-storage"}],
        },
    )
    tags = {t["Key"]: t["Value"] for t in s3.get_bucket_tagging(Bucket="tagged-at-create")["TagSet"]}
    assert tags == {"Name": "tagged-at-create", "Layer": "80-storage"}


def test_s3_control_reaches_the_emulator_through_its_proxy(fresh_emu: Emu) -> None:
    """S3 Control calls go to <account>.127.0.0.1, which only the emulator's CONNECT proxy reaches;
    the certificate names that host, so TLS is verified the whole way."""
    assert fresh_emu.status.proxy
    s3 = fresh_emu.client("s3")
    s3.create_bucket(
        Bucket="via-s3control",
        CreateBucketConfiguration={"LocationConstraint": REGION, "Tags": [{"Key": "Team", "Value": "platform"}]},
    )
    s3control = fresh_emu.client("s3control", config=Config(proxies={"https": fresh_emu.status.proxy}))
    arn = "arn:aws:s3:::via-s3control"
    assert s3control.list_tags_for_resource(AccountId=ACCOUNT, ResourceArn=arn)["Tags"] == [
        {"Key": "Team", "Value": "platform"}
    ]
    s3control.tag_resource(AccountId=ACCOUNT, ResourceArn=arn, Tags=[{"Key": "Tier", "Value": "1"}])
    tags = {t["Key"]: t["Value"] for t in s3.get_bucket_tagging(Bucket="via-s3control")["TagSet"]}
    assert tags == {"Team": "platform", "Tier": "1"}


def test_proxy_tunnels_only_to_the_emulator(fresh_emu: Emu) -> None:
    assert fresh_emu.status.proxy
    host, port = fresh_emu.status.proxy.removeprefix("http://").rsplit(":", 1)
    with socket.create_connection((host, int(port)), timeout=5) as sock:
        sock.sendall(b"CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n")
        assert sock.recv(100).startswith(b"HTTP/1.1 403")
    with socket.create_connection((host, int(port)), timeout=5) as sock:
        sock.sendall(f"CONNECT {ACCOUNT}.127.0.0.1:{fresh_emu.status.port} HTTP/1.1\r\n\r\n".encode())
        assert sock.recv(100).startswith(b"HTTP/1.1 200")


def test_access_logging_accepts_a_bucket_policy_grant_over_the_prefix(fresh_emu: Emu) -> None:
    s3 = fresh_emu.client("s3")
    for bucket in ("access-logs", "app-data"):
        s3.create_bucket(
            Bucket=bucket,
            CreateBucketConfiguration={"LocationConstraint": REGION},
            ObjectOwnership="BucketOwnerEnforced",
        )
    status = {"LoggingEnabled": {"TargetBucket": "access-logs", "TargetPrefix": "s3-access/app-data/"}}
    with pytest.raises(ClientError) as refused:  # no grant yet: refused, as on AWS
        s3.put_bucket_logging(Bucket="app-data", BucketLoggingStatus=status)
    assert refused.value.response["Error"]["Code"] == "InvalidTargetBucketForLogging"
    s3.put_bucket_policy(Bucket="access-logs", Policy=log_bucket_policy("access-logs", "s3-access/*"))
    s3.put_bucket_logging(Bucket="app-data", BucketLoggingStatus=status)
    assert s3.get_bucket_logging(Bucket="app-data")["LoggingEnabled"] == status["LoggingEnabled"]


def test_efs_backup_policy_is_stored_and_read_back(fresh_emu: Emu) -> None:
    efs = fresh_emu.client("efs")
    fs_id = efs.create_file_system(CreationToken="backups", Encrypted=True)["FileSystemId"]
    with pytest.raises(ClientError) as missing:
        efs.describe_backup_policy(FileSystemId=fs_id)
    assert missing.value.response["Error"]["Code"] == "PolicyNotFound"
    assert efs.put_backup_policy(FileSystemId=fs_id, BackupPolicy={"Status": "ENABLED"})["BackupPolicy"] == {
        "Status": "ENABLED"
    }
    assert efs.describe_backup_policy(FileSystemId=fs_id)["BackupPolicy"] == {"Status": "ENABLED"}
    efs.put_backup_policy(FileSystemId=fs_id, BackupPolicy={"Status": "DISABLED"})
    assert efs.describe_backup_policy(FileSystemId=fs_id)["BackupPolicy"] == {"Status": "DISABLED"}
    with pytest.raises(ClientError) as unknown:
        efs.put_backup_policy(FileSystemId="fs-00000000", BackupPolicy={"Status": "ENABLED"})
    assert unknown.value.response["Error"]["Code"] == "FileSystemNotFound"


def test_rds_performance_insights_are_read_back(fresh_emu: Emu) -> None:
    rds = fresh_emu.client("rds")
    rds.create_db_cluster(
        DBClusterIdentifier="pi", Engine="aurora-mysql", MasterUsername="admin", ManageMasterUserPassword=True
    )
    key = f"arn:aws:kms:{REGION}:{ACCOUNT}:key/11111111-2222-3333-4444-555555555555"
    rds.create_db_instance(
        DBInstanceIdentifier="pi-1",
        DBClusterIdentifier="pi",
        Engine="aurora-mysql",
        DBInstanceClass="db.r6g.large",
        EnablePerformanceInsights=True,
        PerformanceInsightsKMSKeyId=key,
    )

    def insights() -> dict[str, Any]:
        instance = rds.describe_db_instances(DBInstanceIdentifier="pi-1")["DBInstances"][0]
        return {k: v for k, v in instance.items() if k.startswith("PerformanceInsights")}

    assert insights() == {
        "PerformanceInsightsEnabled": True,
        "PerformanceInsightsKMSKeyId": key,
        "PerformanceInsightsRetentionPeriod": 7,
    }
    rds.modify_db_instance(DBInstanceIdentifier="pi-1", PerformanceInsightsRetentionPeriod=31, ApplyImmediately=True)
    assert insights()["PerformanceInsightsRetentionPeriod"] == 31
    rds.modify_db_instance(DBInstanceIdentifier="pi-1", EnablePerformanceInsights=False, ApplyImmediately=True)
    assert insights() == {"PerformanceInsightsEnabled": False}


# ------------------------------------------------------------------ the real provider

BUCKETS_CONFIG = """
terraform {{
  required_providers {{
    aws = {{ source = "hashicorp/aws" }}
  }}
}}

# As environments/root.hcl generates it in local mode.
provider "aws" {{
  region                      = "{region}"
  access_key                  = "test"
  secret_key                  = "test"
  allowed_account_ids         = ["{account}"]
  s3_use_path_style           = true
  skip_credentials_validation = true
  skip_metadata_api_check     = true
  https_proxy                 = "{proxy}"
  default_tags {{
    tags = {{ Project = "orch-eks" }}
  }}
  endpoints {{
    iam       = "{endpoint}"
    s3        = "{endpoint}"
    s3control = "{endpoint}"
    sts       = "{endpoint}"
  }}
}}

resource "aws_s3_bucket" "logs" {{
  bucket = "provider-logs"
  tags   = {{ Name = "provider-logs", Team = "{team}" }}
}}

resource "aws_s3_bucket_ownership_controls" "logs" {{
  bucket = aws_s3_bucket.logs.id
  rule {{
    object_ownership = "BucketOwnerEnforced"
  }}
}}

resource "aws_s3_bucket_policy" "logs" {{
  bucket = aws_s3_bucket.logs.id
  policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [{{
      Effect    = "Allow"
      Principal = {{ Service = "logging.s3.amazonaws.com" }}
      Action    = "s3:PutObject"
      Resource  = "${{aws_s3_bucket.logs.arn}}/s3-access/*"
    }}]
  }})
}}

resource "aws_s3_bucket" "data" {{
  bucket = "provider-data"
  tags   = {{ Name = "provider-data" }}
}}

resource "aws_s3_bucket_logging" "data" {{
  bucket        = aws_s3_bucket.data.id
  target_bucket = aws_s3_bucket_policy.logs.bucket
  target_prefix = "s3-access/data/"
}}
"""


@pytest.mark.engines
def test_provider_tags_buckets_and_plans_no_changes(fresh_emu: Emu, engine_env: dict[str, str], tmp_path: Path) -> None:
    """The AWS provider tags buckets on create, reads the tags back through S3 Control (via the
    proxy), re-tags through S3 Control, and switches on access logging; no plan shows a change."""

    run = tofu_runner(tmp_path, engine_env, fresh_emu.status.ca_bundle)

    def configure(team: str) -> None:
        (tmp_path / "main.tf").write_text(
            BUCKETS_CONFIG.format(
                region=REGION, account=ACCOUNT, endpoint=fresh_emu.endpoint, proxy=fresh_emu.status.proxy, team=team
            )
        )

    configure("platform")
    assert (out := run("init")).returncode == 0, out.stdout + out.stderr
    assert (out := run("apply", "-auto-approve")).returncode == 0, out.stdout + out.stderr
    assert (out := run("plan", "-detailed-exitcode")).returncode == 0, out.stdout + out.stderr

    configure("sre")  # an in-place tag update goes through S3 Control TagResource/UntagResource
    assert (out := run("apply", "-auto-approve")).returncode == 0, out.stdout + out.stderr
    assert "1 changed" in out.stdout
    assert (out := run("plan", "-detailed-exitcode")).returncode == 0, out.stdout + out.stderr

    s3 = fresh_emu.client("s3")
    tags = {t["Key"]: t["Value"] for t in s3.get_bucket_tagging(Bucket="provider-logs")["TagSet"]}
    assert tags == {"Name": "provider-logs", "Team": "sre", "Project": "orch-eks"}
    assert s3.get_bucket_logging(Bucket="provider-data")["LoggingEnabled"]["TargetPrefix"] == "s3-access/data/"


def test_a_retried_call_is_not_carried_out_twice(fresh_emu: Emu) -> None:
    """An SDK retry (same amz-sdk-invocation-id, attempt=2) of a create that already succeeded gets
    the first answer instead of InvalidPermission.Duplicate; a new call repeating it still fails."""
    import ssl
    import urllib.error
    import urllib.request

    ec2 = fresh_emu.client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
    group = ec2.create_security_group(GroupName="retried", Description="retries", VpcId=vpc)["GroupId"]
    sent: list[Any] = []
    ec2.meta.events.register("before-send.ec2.AuthorizeSecurityGroupEgress", lambda request, **_: sent.append(request))
    rule = [{"IpProtocol": "tcp", "FromPort": 53, "ToPort": 53, "IpRanges": [{"CidrIp": "10.9.0.0/16"}]}]
    first = ec2.authorize_security_group_egress(GroupId=group, IpPermissions=rule)["SecurityGroupRules"]
    [request] = sent
    context = ssl.create_default_context(cafile=fresh_emu.status.ca_bundle)

    def resend(**headers: str) -> tuple[int, bytes]:
        merged = {k: v.decode() if isinstance(v, bytes) else v for k, v in request.headers.items()}
        merged.update(headers)
        body = request.body.encode() if isinstance(request.body, str) else request.body
        replay = urllib.request.Request(request.url, data=body, headers=merged, method="POST")
        try:
            with urllib.request.urlopen(replay, context=context, timeout=10) as resp:
                return resp.status, resp.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read()

    status, body = resend(**{"amz-sdk-request": "attempt=2; max=3"})
    assert status == 200, body
    assert first[0]["SecurityGroupRuleId"].encode() in body
    status, body = resend(
        **{"amz-sdk-request": "attempt=1; max=3", "amz-sdk-invocation-id": "00000000-0000-4000-8000-000000000000"}
    )
    assert status == 400 and b"InvalidPermission.Duplicate" in body
    rules = ec2.describe_security_group_rules(Filters=[{"Name": "group-id", "Values": [group]}])["SecurityGroupRules"]
    assert sum(1 for r in rules if r.get("FromPort") == 53) == 1


def test_failed_requests_are_logged_with_their_action_and_attempt(fresh_emu: Emu) -> None:
    ec2 = fresh_emu.client("ec2")
    with pytest.raises(ClientError):
        ec2.describe_security_groups(GroupIds=["sg-0000000000000000f"])
    assert fresh_emu.status.log
    lines = [
        ln
        for ln in Path(fresh_emu.status.log).read_text().splitlines()
        if ln.startswith("orch-emulator") and " DescribeSecurityGroups " in ln
    ]
    assert lines and " 400 " in lines[-1] and "[attempt=1;" in lines[-1] and "invocation=" in lines[-1]
    assert "sg-0000000000000000f" not in lines[-1]  # the request itself is never logged


def test_ebs_default_kms_key_can_be_read_set_and_reset(fresh_emu: Emu) -> None:
    """What aws_ebs_default_kms_key does: read (AWS managed key before any choice), modify, read, reset."""
    ec2, kms = fresh_emu.client("ec2"), fresh_emu.client("kms")
    managed = ec2.get_ebs_default_kms_key_id()["KmsKeyId"]
    assert managed == kms.describe_key(KeyId="alias/aws/ebs")["KeyMetadata"]["Arn"]
    platform_key = kms.create_key(Description="platform ebs")["KeyMetadata"]["Arn"]
    assert ec2.modify_ebs_default_kms_key_id(KmsKeyId=platform_key)["KmsKeyId"] == platform_key
    assert ec2.get_ebs_default_kms_key_id()["KmsKeyId"] == platform_key
    assert ec2.reset_ebs_default_kms_key_id()["KmsKeyId"] == managed
    assert ec2.get_ebs_default_kms_key_id()["KmsKeyId"] == managed


def test_elasticache_user_groups_and_user_password_changes(fresh_emu: Emu) -> None:
    """What aws_elasticache_user_group and a passwords_wo rotation of aws_elasticache_user call."""
    ec = fresh_emu.client("elasticache")
    ec.create_user(
        UserId="app-default", UserName="default", Engine="redis", AccessString="on ~* +@all", Passwords=["a" * 32]
    )
    ec.create_user(
        UserId="app-reader", UserName="reader", Engine="redis", AccessString="on ~* +@read", Passwords=["b" * 32]
    )
    with pytest.raises(ClientError, match="username default"):
        ec.create_user_group(UserGroupId="app", Engine="redis", UserIds=["app-reader"])
    created = ec.create_user_group(
        UserGroupId="app", Engine="redis", UserIds=["app-default"], Tags=[{"Key": "Name", "Value": "app"}]
    )
    assert created["Status"] == "active" and created["UserIds"] == ["app-default"]
    assert ec.list_tags_for_resource(ResourceName=created["ARN"])["TagList"] == [{"Key": "Name", "Value": "app"}]
    ec.modify_user_group(UserGroupId="app", UserIdsToAdd=["app-reader"])
    assert ec.describe_user_groups(UserGroupId="app")["UserGroups"][0]["UserIds"] == ["app-default", "app-reader"]
    ec.modify_user(UserId="app-default", Passwords=["c" * 40])
    user = ec.describe_users(UserId="app-default")["Users"][0]
    assert user["Authentication"] == {"Type": "password", "PasswordCount": 1}
    ec.delete_user_group(UserGroupId="app")
    with pytest.raises(ClientError) as gone:
        ec.describe_user_groups(UserGroupId="app")
    assert gone.value.response["Error"]["Code"] == "UserGroupNotFound"
