"""CloudWatch over smithy RPCv2 CBOR on the emulator (orchestrator.emulator.patches.cloudwatch).

The AWS provider's aws-sdk-go-v2 client speaks only RPCv2 CBOR to CloudWatch. botocore 1.44 can
speak it too, but still prefers awsJson1_0 (its protocol priority puts `json` before
`smithy-rpc-v2-cbor`), which moto serves by itself. So the boto3 tests pin a real botocore client
to RPCv2 CBOR through a copy of botocore's CloudWatch model that lists that protocol only, and
check that every answer came back as CBOR. The last test runs the real OpenTofu and AWS provider.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import boto3
import botocore.session
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from tests.helpers import REGION, Emu, tofu_runner

pytestmark = pytest.mark.emulator

TOPIC = f"arn:aws:sns:{REGION}:123456789012:alarms"
ALARM: dict[str, Any] = {
    "AlarmName": "db1-cpu-high",
    "AlarmDescription": "Aurora db1: CPU above 80.5% for 15 minutes",
    "ActionsEnabled": True,
    "AlarmActions": [TOPIC],
    "OKActions": [TOPIC],
    "InsufficientDataActions": [],
    "Namespace": "AWS/RDS",
    "MetricName": "CPUUtilization",
    "Dimensions": [{"Name": "DBInstanceIdentifier", "Value": "db1"}],
    "Statistic": "Average",
    "Period": 300,
    "EvaluationPeriods": 3,
    "DatapointsToAlarm": 2,
    "Threshold": 80.5,
    "ComparisonOperator": "GreaterThanThreshold",
    "TreatMissingData": "notBreaching",
}
METRIC_MATH: list[dict[str, Any]] = [
    {"Id": "rate", "Expression": "errors / 60", "Label": "errors per second", "ReturnData": True},
    {
        "Id": "errors",
        "ReturnData": False,
        "MetricStat": {
            "Metric": {
                "Namespace": "AWS/NATGateway",
                "MetricName": "ErrorPortAllocation",
                "Dimensions": [{"Name": "NatGatewayId", "Value": "nat-0123456789abcdef0"}],
            },
            "Period": 60,
            "Stat": "Sum",
            "Unit": "Count",
        },
    },
]


def cbor_client(emu: Emu, tmp_path: Path, **config: Any) -> Any:
    """A real botocore CloudWatch client whose model offers RPCv2 CBOR only."""
    model = botocore.session.Session().get_component("data_loader").load_service_model("cloudwatch", "service-2")
    model["metadata"]["protocols"] = ["smithy-rpc-v2-cbor"]
    data = tmp_path / "botocore-data"
    (data / "cloudwatch" / model["metadata"]["apiVersion"]).mkdir(parents=True)
    (data / "cloudwatch" / model["metadata"]["apiVersion"] / "service-2.json").write_text(json.dumps(model))
    session = botocore.session.Session()
    session.get_component("data_loader").search_paths.insert(0, str(data))
    client = boto3.Session(botocore_session=session).client(
        "cloudwatch",
        endpoint_url=emu.endpoint,
        region_name=REGION,
        verify=emu.status.ca_bundle,
        aws_access_key_id="test",
        aws_secret_access_key="test",
        config=Config(**config),
    )
    assert client.meta.service_model.resolved_protocol == "smithy-rpc-v2-cbor"
    return client


def assert_cbor(response: dict[str, Any]) -> None:
    headers = response["ResponseMetadata"]["HTTPHeaders"]
    assert headers["smithy-protocol"] == "rpc-v2-cbor" and headers["content-type"] == "application/cbor"


@pytest.fixture
def cloudwatch(fresh_emu: Emu, tmp_path: Path) -> Any:
    return cbor_client(fresh_emu, tmp_path)


def test_alarm_round_trips(cloudwatch: Any) -> None:
    before = datetime.now(UTC) - timedelta(seconds=5)
    assert_cbor(
        cloudwatch.put_metric_alarm(
            **ALARM, Tags=[{"Key": "Name", "Value": "db1-cpu-high"}, {"Key": "Team", "Value": "sre"}]
        )
    )
    described = cloudwatch.describe_alarms(AlarmNames=["db1-cpu-high"], AlarmTypes=["MetricAlarm"])
    assert_cbor(described)
    [alarm] = described["MetricAlarms"]
    assert {k: alarm.get(k) for k in ALARM} == ALARM
    assert alarm["AlarmArn"] == f"arn:aws:cloudwatch:{REGION}:123456789012:alarm:db1-cpu-high"
    # timestamps travel as CBOR tag 1 (epoch seconds) and arrive as the right instant
    assert before <= alarm["AlarmConfigurationUpdatedTimestamp"] <= datetime.now(UTC) + timedelta(seconds=5)

    arn = alarm["AlarmArn"]
    tags = cloudwatch.list_tags_for_resource(ResourceARN=arn)
    assert_cbor(tags)
    assert sorted(t["Key"] + "=" + t["Value"] for t in tags["Tags"]) == ["Name=db1-cpu-high", "Team=sre"]
    cloudwatch.tag_resource(ResourceARN=arn, Tags=[{"Key": "Team", "Value": "platform"}, {"Key": "Tier", "Value": "1"}])
    cloudwatch.untag_resource(ResourceARN=arn, TagKeys=["Name"])
    tags = cloudwatch.list_tags_for_resource(ResourceARN=arn)["Tags"]
    assert sorted(t["Key"] + "=" + t["Value"] for t in tags) == ["Team=platform", "Tier=1"]

    math = {k: v for k, v in ALARM.items() if k not in ("Namespace", "MetricName", "Dimensions", "Statistic", "Period")}
    cloudwatch.put_metric_alarm(**{**math, "AlarmName": "nat-errors"}, Metrics=METRIC_MATH)
    [alarm] = cloudwatch.describe_alarms(AlarmNames=["nat-errors"])["MetricAlarms"]
    assert alarm["Metrics"] == METRIC_MATH

    assert_cbor(cloudwatch.delete_alarms(AlarmNames=["db1-cpu-high", "nat-errors"]))
    assert cloudwatch.describe_alarms()["MetricAlarms"] == []


def test_errors_carry_the_modeled_shape_and_the_query_code(fresh_emu: Emu, tmp_path: Path) -> None:
    """`__type` names the error shape (what aws-sdk-go-v2 matches on); x-amzn-query-error keeps the
    code the query protocol gave (what both SDKs report as the error code)."""
    cloudwatch = cbor_client(fresh_emu, tmp_path, retries={"total_max_attempts": 1})
    missing = f"arn:aws:cloudwatch:{REGION}:123456789012:alarm:missing"
    cases = [
        (
            lambda: cloudwatch.tag_resource(ResourceARN=missing, Tags=[{"Key": "k", "Value": "v"}]),
            404,
            "ResourceNotFoundException",
            "ResourceNotFoundException",
        ),
        (
            lambda: cloudwatch.put_metric_alarm(
                **{k: v for k, v in ALARM.items() if k != "Statistic"}, ExtendedStatistic="tm99"
            ),
            400,
            "InvalidParameterValue",
            "InvalidParameterValueException",
        ),
        # the same query code is another shape for the dashboard operations
        (lambda: cloudwatch.get_dashboard(DashboardName="missing"), 404, "ResourceNotFound", "DashboardNotFoundError"),
        # an operation moto lacks raises out of moto's app: still an RPCv2 error, not an HTML page
        (lambda: cloudwatch.get_metric_widget_image(MetricWidget="{}"), 500, "InternalFailure", "InternalFailure"),
    ]
    for call, status, code, shape in cases:
        with pytest.raises(ClientError) as caught:
            call()
        response = caught.value.response
        assert_cbor(response)
        assert response["ResponseMetadata"]["HTTPStatusCode"] == status
        assert (response["Error"]["Code"], response["Error"]["QueryErrorCode"]) == (code, shape)
        assert response["Error"]["Message"]
    with pytest.raises(cloudwatch.exceptions.ResourceNotFoundException):
        cloudwatch.tag_resource(ResourceARN=missing, Tags=[{"Key": "k", "Value": "v"}])


def test_compressed_metric_data_and_timestamps(cloudwatch: Any) -> None:
    """The SDKs gzip PutMetricData bodies over 10 KiB; the datapoints' timestamps go both ways."""
    sent: list[Any] = []
    cloudwatch.meta.events.register("before-send", lambda request, **_: sent.append(request.headers))
    now = datetime.now(UTC).replace(microsecond=0)
    data = [
        {
            "MetricName": "Requests",
            "Dimensions": [{"Name": "Service", "Value": "api"}],
            "Timestamp": now - timedelta(seconds=i),
            "Value": float(i),
            "Unit": "Count",
        }
        for i in range(300)
    ]
    cloudwatch.put_metric_data(Namespace="Orch/Test", MetricData=data)
    assert sent[-1].get("Content-Encoding") in (b"gzip", "gzip")
    stats = cloudwatch.get_metric_statistics(
        Namespace="Orch/Test",
        MetricName="Requests",
        Dimensions=[{"Name": "Service", "Value": "api"}],
        StartTime=now - timedelta(minutes=10),
        EndTime=now + timedelta(minutes=1),
        Period=3600,
        Statistics=["Sum", "SampleCount"],
    )
    [point] = stats["Datapoints"]
    assert (point["SampleCount"], point["Sum"], point["Unit"]) == (300.0, sum(range(300)), "Count")
    # moto's period starts at the earliest datapoint sent: a timestamp read or written as the
    # wrong instant (local time, lost tag) would move it
    assert point["Timestamp"] == now - timedelta(seconds=299)


PROVIDER_CONFIG = """
terraform {{
  required_providers {{
    aws = {{ source = "hashicorp/aws" }}
  }}
}}

provider "aws" {{
  region                      = "{region}"
  access_key                  = "test"
  secret_key                  = "test"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  default_tags {{
    tags = {{ Project = "orch-eks" }}
  }}
  endpoints {{
    cloudwatch = "{endpoint}"
  }}
}}

resource "aws_cloudwatch_metric_alarm" "cpu" {{
  alarm_name          = "db1-cpu-high"
  alarm_description   = "Aurora db1: CPU high"
  namespace           = "AWS/RDS"
  metric_name         = "CPUUtilization"
  dimensions          = {{ DBInstanceIdentifier = "db1" }}
  statistic           = "Average"
  period              = 300
  evaluation_periods  = 3
  datapoints_to_alarm = 2
  threshold           = {threshold}
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = ["{topic}"]
  ok_actions          = ["{topic}"]
  tags                = {tags}
}}
"""


@pytest.mark.engines
def test_provider_applies_an_alarm_and_plans_no_changes(
    fresh_emu: Emu, engine_env: dict[str, str], tmp_path: Path
) -> None:
    """The real AWS provider creates, reads, re-tags and updates an alarm; no plan shows a change."""
    work = tmp_path / "alarm"
    work.mkdir()

    run = tofu_runner(work, engine_env, fresh_emu.status.ca_bundle)

    def configure(threshold: float, tags: dict[str, str]) -> None:
        hcl_tags = "{ " + ", ".join(f'{k} = "{v}"' for k, v in tags.items()) + " }"
        (work / "main.tf").write_text(
            PROVIDER_CONFIG.format(
                region=REGION, endpoint=fresh_emu.endpoint, topic=TOPIC, threshold=threshold, tags=hcl_tags
            )
        )

    configure(80.5, {"Name": "db1-cpu-high", "Team": "sre"})
    assert (out := run("init")).returncode == 0, out.stdout + out.stderr
    assert (out := run("apply", "-auto-approve")).returncode == 0, out.stdout + out.stderr
    assert (out := run("plan", "-detailed-exitcode")).returncode == 0, out.stdout + out.stderr

    configure(90, {"Name": "db1-cpu-high", "Tier": "1"})  # UntagResource Team, TagResource Tier
    assert (out := run("apply", "-auto-approve")).returncode == 0, out.stdout + out.stderr
    assert "1 changed" in out.stdout
    assert (out := run("plan", "-detailed-exitcode")).returncode == 0, out.stdout + out.stderr

    cloudwatch = cbor_client(fresh_emu, tmp_path)
    [alarm] = cloudwatch.describe_alarms(AlarmNames=["db1-cpu-high"])["MetricAlarms"]
    assert (alarm["Threshold"], alarm["DatapointsToAlarm"], alarm["TreatMissingData"]) == (90, 2, "notBreaching")
    assert alarm["Dimensions"] == [{"Name": "DBInstanceIdentifier", "Value": "db1"}]
    tags = cloudwatch.list_tags_for_resource(ResourceARN=alarm["AlarmArn"])["Tags"]
    assert sorted(t["Key"] + "=" + t["Value"] for t in tags) == ["Name=db1-cpu-high", "Project=orch-eks", "Tier=1"]
