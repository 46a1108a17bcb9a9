"""Throttling injected by the emulator (orchestrator/emulator/patches/throttle.py): orch's own boto3
calls and the AWS provider ride it out with their retries."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from orchestrator.emulator.patches import throttle
from orchestrator.errors import OrchError
from tests.helpers import REGION, Emu, clean_env, emulator_provider, run_orch, throttle_state, tofu_runner

pytestmark = pytest.mark.emulator


def test_the_switch_names_operations_and_refuses_anything_else() -> None:
    assert throttle.parse_spec(" ec2:DescribeVpcs=3, sts:GetCallerIdentity=2,cloudwatch:*=1,") == {
        "ec2:DescribeVpcs": 3,
        "sts:GetCallerIdentity": 2,
        "monitoring:*": 1,  # CloudWatch signs as `monitoring`
    }
    assert throttle.parse_spec("") == {}
    for bad in ("ec2=3", "ec2:DescribeVpcs", "ec2:DescribeVpcs=many"):
        with pytest.raises(OrchError, match=f"ORCH_EMULATOR_THROTTLE: '{bad}' is not service:Operation=N"):
            throttle.parse_spec(bad)


def test_throttling_that_outlasts_the_retries_is_not_called_a_credentials_problem() -> None:
    from botocore.exceptions import ClientError

    from orchestrator.aws import credentials

    throttled = ClientError({"Error": {"Code": "Throttling", "Message": "Rate exceeded"}}, "GetCallerIdentity")
    error = credentials._credential_failure(throttled, "ci")
    assert error.message == (
        f"AWS throttled sts:GetCallerIdentity for profile 'ci' through all {credentials.RETRY_ATTEMPTS} attempts "
        "(Throttling)"
    )
    assert credentials.BOTO_CONFIG.retries == {"total_max_attempts": 10, "mode": "standard"}


def test_orch_rides_out_throttled_aws_calls(tmp_path: Path) -> None:
    """Every AWS call of `orch --local bootstrap` that is throttled three times in a row (STS, the S3
    HEAD without a body, KMS over JSON, an S3 write) still succeeds: orch's boto3 clients retry with
    backoff (credentials.BOTO_CONFIG), where three attempts in all used to give up."""
    spec = "sts:GetCallerIdentity=3,s3:HeadBucket=3,kms:CreateKey=3,s3:PutBucketPolicy=3"
    env = clean_env(tmp_path, ORCH_STATE_DIR=str(tmp_path / ".orch"), ORCH_EMULATOR_THROTTLE=spec)
    try:
        up = run_orch("local", "up", "--json", env=env)
        assert up.returncode == 0, up.stderr
        info = json.loads(up.stdout)
        assert throttle_state(info["endpoint"], info["ca_bundle"]) == {"spec": throttle.parse_spec(spec), "served": {}}

        out = run_orch("--local", "bootstrap", "--env", "eks-prod", "--json", env=env, timeout=300)
        assert out.returncode == 0, out.stderr
        assert json.loads(out.stdout)["changed"] is True

        assert throttle_state(info["endpoint"], info["ca_bundle"])["served"] == throttle.parse_spec(spec)
        log = (tmp_path / ".orch" / "local" / "moto.log").read_text()
        for line in (
            "throttled 400 sts:GetCallerIdentity (3 of 3)",
            "throttled 503 s3:HeadBucket (3 of 3)",
            "throttled 400 kms:CreateKey (3 of 3)",
            "throttled 503 s3:PutBucketPolicy (3 of 3)",
        ):
            assert line in log, log[-3000:]
    finally:
        run_orch("local", "down", env=env)


PROVIDER_CONFIG = """
data "aws_caller_identity" "me" {{}}

resource "aws_vpc" "throttled" {{
  cidr_block = "10.42.0.0/16"
}}

data "aws_vpcs" "all" {{
  depends_on = [aws_vpc.throttled]
}}

output "account" {{
  value = data.aws_caller_identity.me.account_id
}}

output "vpcs" {{
  value = data.aws_vpcs.all.ids
}}
"""


@pytest.mark.engines
def test_the_provider_retries_throttled_calls(fresh_emu: Emu, engine_env: dict[str, str], tmp_path: Path) -> None:
    """A resource and data sources whose EC2 and STS calls are throttled (EC2's 503
    RequestLimitExceeded, STS's 400 Throttling) still apply: the provider's SDK retries them."""
    spec = "ec2:CreateVpc=3,ec2:DescribeVpcs=3,sts:GetCallerIdentity=2"
    run = tofu_runner(tmp_path, engine_env, fresh_emu.status.ca_bundle)
    (tmp_path / "main.tf").write_text(
        emulator_provider(fresh_emu.endpoint, "ec2", "sts")
        + PROVIDER_CONFIG.format(region=REGION, endpoint=fresh_emu.endpoint)
    )
    assert (out := run("init")).returncode == 0, out.stdout + out.stderr
    fresh_emu.throttle(spec)
    try:
        out = run("apply", "-auto-approve")
        assert out.returncode == 0, out.stdout[-4000:] + out.stderr[-4000:]
        assert fresh_emu.throttle()["served"] == throttle.parse_spec(spec)
    finally:
        fresh_emu.throttle("")
    outputs = json.loads((tmp_path / "terraform.tfstate").read_text())["outputs"]
    vpc = fresh_emu.client("ec2").describe_vpcs(Filters=[{"Name": "cidr-block", "Values": ["10.42.0.0/16"]}])["Vpcs"]
    assert outputs["account"]["value"] == "123456789012"
    assert [v["VpcId"] for v in vpc] and vpc[0]["VpcId"] in outputs["vpcs"]["value"]
