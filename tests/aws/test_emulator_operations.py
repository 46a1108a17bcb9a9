"""What orch adds to moto for the operations layers (85-backup, 90-monitoring, 95-cost):
orchestrator/emulator/patches/{backup,budgets,ce,chatbot,amp,logs}.py.

Every added operation is called with boto3 against a real emulator process (shapes and error codes
as botocore's models declare them), then all of them once through OpenTofu and the AWS provider,
which the patches exist for: an apply, an empty plan, an update, an empty plan again, a destroy.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError

from orchestrator.emulator.patches.budgets import notification_key
from tests.helpers import REGION, Emu, emulator_provider, tofu_runner

pytestmark = pytest.mark.emulator

ACCOUNT = "123456789012"
ARCHIVE_ACCOUNT = "222222222222"
TRUST = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": {"Service": "backup.amazonaws.com"}, "Action": "sts:AssumeRole"}
        ],
    }
)


def code(exc: pytest.ExceptionInfo[ClientError]) -> tuple[str, int]:
    response = exc.value.response
    return response["Error"]["Code"], response["ResponseMetadata"]["HTTPStatusCode"]


def archive_destination(emu: Emu) -> str:
    """A CloudWatch Logs destination of the log-archive account (a role there, as on AWS)."""
    creds = emu.client("sts").assume_role(
        RoleArn=f"arn:aws:iam::{ARCHIVE_ACCOUNT}:role/log-archive-admin", RoleSessionName="log-archive"
    )["Credentials"]
    archive = emu.client(
        "logs",
        aws_access_key_id=creds["AccessKeyId"],
        aws_secret_access_key=creds["SecretAccessKey"],
        aws_session_token=creds["SessionToken"],
    )
    return archive.put_destination(
        destinationName="orch-log-archive",
        targetArn=f"arn:aws:kinesis:{REGION}:{ARCHIVE_ACCOUNT}:stream/archive",
        roleArn=f"arn:aws:iam::{ARCHIVE_ACCOUNT}:role/cwl-to-kinesis",
    )["destination"]["arn"]


def _status(log_line: str) -> int:
    """HTTP status of an `orch-emulator HH:MM:SS <status> <action> ...` line (0 when it has none)."""
    parts = log_line.split()
    return int(parts[2]) if len(parts) > 2 and parts[2].isdigit() else 0


def role(emu: Emu, name: str) -> str:
    return emu.client("iam").create_role(RoleName=name, AssumeRolePolicyDocument=TRUST)["Role"]["Arn"]


# ------------------------------------------------------------------ pure helpers


def test_a_notification_is_its_type_operator_threshold_and_kind() -> None:
    a = {
        "NotificationType": "ACTUAL",
        "ComparisonOperator": "GREATER_THAN",
        "Threshold": 80,
        "ThresholdType": "PERCENTAGE",
    }
    assert notification_key(a) == notification_key({**a, "Threshold": 80.0, "NotificationState": "OK"})
    assert notification_key(a) != notification_key({**a, "NotificationType": "FORECASTED"})
    assert notification_key({k: v for k, v in a.items() if k != "ThresholdType"}) == notification_key(a)


# ------------------------------------------------------------------ AWS Backup


def test_backup_selections(fresh_emu: Emu) -> None:
    backup = fresh_emu.client("backup")
    backup.create_backup_vault(BackupVaultName="v")
    plan_id = backup.create_backup_plan(
        BackupPlan={"BackupPlanName": "p", "Rules": [{"RuleName": "daily", "TargetBackupVaultName": "v"}]}
    )["BackupPlanId"]
    role_arn = role(fresh_emu, "backup")
    by_tag = {
        "SelectionName": "tagged",
        "IamRoleArn": role_arn,
        "Resources": ["arn:aws:ec2:*:*:volume/*"],
        "Conditions": {"StringEquals": [{"ConditionKey": "aws:ResourceTag/Backup", "ConditionValue": "daily"}]},
    }
    created = backup.create_backup_selection(BackupPlanId=plan_id, BackupSelection=by_tag, CreatorRequestId="r1")
    assert created["BackupPlanId"] == plan_id and created["SelectionId"]
    got = backup.get_backup_selection(BackupPlanId=plan_id, SelectionId=created["SelectionId"])
    assert got["BackupSelection"] == by_tag and got["CreatorRequestId"] == "r1"
    listed = backup.list_backup_selections(BackupPlanId=plan_id)["BackupSelectionsList"]
    assert [(s["SelectionName"], s["IamRoleArn"]) for s in listed] == [("tagged", role_arn)]

    # AWS's refusals: a name twice, a role that is no role, nothing selected, an unknown plan.
    with pytest.raises(ClientError) as exc:
        backup.create_backup_selection(BackupPlanId=plan_id, BackupSelection=by_tag)
    assert code(exc) == ("AlreadyExistsException", 400)
    with pytest.raises(ClientError) as exc:
        backup.create_backup_selection(
            BackupPlanId=plan_id, BackupSelection={**by_tag, "SelectionName": "x", "IamRoleArn": "backup"}
        )
    assert code(exc) == ("InvalidParameterValueException", 400)
    with pytest.raises(ClientError) as exc:
        backup.create_backup_selection(
            BackupPlanId=plan_id, BackupSelection={"SelectionName": "empty", "IamRoleArn": role_arn}
        )
    assert code(exc) == ("InvalidParameterValueException", 400)
    with pytest.raises(ClientError) as exc:
        backup.list_backup_selections(BackupPlanId="no-such-plan")
    assert code(exc) == ("ResourceNotFoundException", 404)

    # A plan with selections cannot be deleted; after DeleteBackupSelection it can.
    with pytest.raises(ClientError) as exc:
        backup.delete_backup_plan(BackupPlanId=plan_id)
    assert code(exc) == ("InvalidRequestException", 400)
    backup.delete_backup_selection(BackupPlanId=plan_id, SelectionId=created["SelectionId"])
    with pytest.raises(ClientError) as exc:
        backup.get_backup_selection(BackupPlanId=plan_id, SelectionId=created["SelectionId"])
    assert code(exc) == ("ResourceNotFoundException", 404)
    backup.delete_backup_plan(BackupPlanId=plan_id)


def test_update_backup_plan_makes_a_new_version(fresh_emu: Emu) -> None:
    backup = fresh_emu.client("backup")
    backup.create_backup_vault(BackupVaultName="v")
    rule = {"RuleName": "daily", "TargetBackupVaultName": "v", "Lifecycle": {"DeleteAfterDays": 7}}
    created = backup.create_backup_plan(BackupPlan={"BackupPlanName": "p", "Rules": [rule]})
    updated = backup.update_backup_plan(
        BackupPlanId=created["BackupPlanId"],
        BackupPlan={"BackupPlanName": "p", "Rules": [{**rule, "Lifecycle": {"DeleteAfterDays": 14}}]},
    )
    assert updated["VersionId"] != created["VersionId"]
    plan = backup.get_backup_plan(BackupPlanId=created["BackupPlanId"])["BackupPlan"]
    assert plan["Rules"][0]["Lifecycle"] == {"DeleteAfterDays": 14}


# ------------------------------------------------------------------ AWS Budgets


def test_budget_subscribers_notifications_and_tags(fresh_emu: Emu) -> None:
    budgets = fresh_emu.client("budgets")
    topic = f"arn:aws:sns:{REGION}:{ACCOUNT}:alarms"
    notification = {"NotificationType": "ACTUAL", "ComparisonOperator": "GREATER_THAN", "Threshold": 80.0}
    budgets.create_budget(
        AccountId=ACCOUNT,
        Budget={
            "BudgetName": "monthly",
            "BudgetLimit": {"Amount": "1000.0", "Unit": "USD"},
            "TimeUnit": "MONTHLY",
            "BudgetType": "COST",
        },
        NotificationsWithSubscribers=[
            {
                "Notification": {**notification, "ThresholdType": "PERCENTAGE"},
                "Subscribers": [{"SubscriptionType": "SNS", "Address": topic}],
            }
        ],
        ResourceTags=[{"Key": "Layer", "Value": "95-cost"}],
    )
    subscribers = budgets.describe_subscribers_for_notification(
        AccountId=ACCOUNT, BudgetName="monthly", Notification=notification
    )["Subscribers"]
    assert subscribers == [{"SubscriptionType": "SNS", "Address": topic}]

    mail = {"SubscriptionType": "EMAIL", "Address": "oncall@example.com"}
    budgets.create_subscriber(AccountId=ACCOUNT, BudgetName="monthly", Notification=notification, Subscriber=mail)
    with pytest.raises(ClientError) as exc:
        budgets.create_subscriber(AccountId=ACCOUNT, BudgetName="monthly", Notification=notification, Subscriber=mail)
    assert code(exc)[0] == "DuplicateRecordException"
    budgets.delete_subscriber(AccountId=ACCOUNT, BudgetName="monthly", Notification=notification, Subscriber=mail)
    with pytest.raises(ClientError) as exc:
        budgets.delete_subscriber(AccountId=ACCOUNT, BudgetName="monthly", Notification=notification, Subscriber=mail)
    assert code(exc)[0] == "NotFoundException"

    budgets.update_notification(
        AccountId=ACCOUNT,
        BudgetName="monthly",
        OldNotification=notification,
        NewNotification={**notification, "Threshold": 90.0},
    )
    assert [
        n["Threshold"]
        for n in budgets.describe_notifications_for_budget(AccountId=ACCOUNT, BudgetName="monthly")["Notifications"]
    ] == [90.0]
    with pytest.raises(ClientError) as exc:
        budgets.describe_subscribers_for_notification(
            AccountId=ACCOUNT, BudgetName="monthly", Notification=notification
        )
    assert code(exc)[0] == "NotFoundException"

    budgets.update_budget(
        AccountId=ACCOUNT,
        NewBudget={
            "BudgetName": "monthly",
            "BudgetLimit": {"Amount": "2000.0", "Unit": "USD"},
            "TimeUnit": "MONTHLY",
            "BudgetType": "COST",
        },
    )
    assert (
        budgets.describe_budget(AccountId=ACCOUNT, BudgetName="monthly")["Budget"]["BudgetLimit"]["Amount"] == "2000.0"
    )

    arn = f"arn:aws:budgets::{ACCOUNT}:budget/monthly"
    assert budgets.list_tags_for_resource(ResourceARN=arn)["ResourceTags"] == [{"Key": "Layer", "Value": "95-cost"}]
    budgets.tag_resource(ResourceARN=arn, ResourceTags=[{"Key": "Owner", "Value": "platform"}])
    budgets.untag_resource(ResourceARN=arn, ResourceTagKeys=["Layer"])
    assert budgets.list_tags_for_resource(ResourceARN=arn)["ResourceTags"] == [{"Key": "Owner", "Value": "platform"}]
    with pytest.raises(ClientError) as exc:
        budgets.list_tags_for_resource(ResourceARN=f"arn:aws:budgets::{ACCOUNT}:budget/none")
    assert code(exc)[0] == "NotFoundException"


# ------------------------------------------------------------------ Cost Explorer


def test_anomaly_monitors_and_subscriptions(fresh_emu: Emu) -> None:
    ce = fresh_emu.client("ce")
    topic = f"arn:aws:sns:{REGION}:{ACCOUNT}:alarms"
    monitor = ce.create_anomaly_monitor(
        AnomalyMonitor={"MonitorName": "services", "MonitorType": "DIMENSIONAL", "MonitorDimension": "SERVICE"},
        ResourceTags=[{"Key": "Layer", "Value": "95-cost"}],
    )["MonitorArn"]
    assert monitor.startswith(f"arn:aws:ce::{ACCOUNT}:anomalymonitor/")
    described = ce.get_anomaly_monitors(MonitorArnList=[monitor])["AnomalyMonitors"]
    assert [(m["MonitorName"], m["MonitorDimension"], m["DimensionalValueCount"]) for m in described] == [
        ("services", "SERVICE", 0)
    ]
    assert ce.list_tags_for_resource(ResourceArn=monitor)["ResourceTags"] == [{"Key": "Layer", "Value": "95-cost"}]
    ce.update_anomaly_monitor(MonitorArn=monitor, MonitorName="all-services")
    assert ce.get_anomaly_monitors()["AnomalyMonitors"][0]["MonitorName"] == "all-services"
    with pytest.raises(ClientError) as exc:
        ce.create_anomaly_monitor(AnomalyMonitor={"MonitorName": "x", "MonitorType": "DIMENSIONAL"})
    assert code(exc)[0] == "ValidationException"

    expression = {
        "Dimensions": {
            "Key": "ANOMALY_TOTAL_IMPACT_ABSOLUTE",
            "Values": ["100.00"],
            "MatchOptions": ["GREATER_THAN_OR_EQUAL"],
        }
    }
    subscription = ce.create_anomaly_subscription(
        AnomalySubscription={
            "SubscriptionName": "alarms",
            "MonitorArnList": [monitor],
            "Subscribers": [{"Type": "SNS", "Address": topic}],
            "Frequency": "IMMEDIATE",
            "ThresholdExpression": expression,
        }
    )["SubscriptionArn"]
    found = ce.get_anomaly_subscriptions(MonitorArn=monitor)["AnomalySubscriptions"]
    assert [(s["SubscriptionArn"], s["Subscribers"][0]["Status"], s["ThresholdExpression"]) for s in found] == [
        (subscription, "CONFIRMED", expression)
    ]
    ce.update_anomaly_subscription(
        SubscriptionArn=subscription, Frequency="DAILY", Subscribers=[{"Type": "EMAIL", "Address": "a@example.com"}]
    )
    assert (
        ce.get_anomaly_subscriptions(SubscriptionArnList=[subscription])["AnomalySubscriptions"][0]["Frequency"]
        == "DAILY"
    )
    # IMMEDIATE alerts go to SNS only, as on AWS; unknown monitors and subscriptions are errors.
    with pytest.raises(ClientError) as exc:
        ce.update_anomaly_subscription(SubscriptionArn=subscription, Frequency="IMMEDIATE")
    assert code(exc)[0] == "ValidationException"
    with pytest.raises(ClientError) as exc:
        ce.create_anomaly_subscription(
            AnomalySubscription={
                "SubscriptionName": "x",
                "MonitorArnList": [monitor + "0"],
                "Subscribers": [{"Type": "SNS", "Address": topic}],
                "Frequency": "DAILY",
            }
        )
    assert code(exc)[0] == "UnknownMonitorException"

    ce.delete_anomaly_subscription(SubscriptionArn=subscription)
    with pytest.raises(ClientError) as exc:
        ce.get_anomaly_subscriptions(SubscriptionArnList=[subscription])
    assert code(exc)[0] == "UnknownSubscriptionException"
    ce.delete_anomaly_monitor(MonitorArn=monitor)
    with pytest.raises(ClientError) as exc:
        ce.delete_anomaly_monitor(MonitorArn=monitor)
    assert code(exc)[0] == "UnknownMonitorException"


def test_cost_allocation_tags(fresh_emu: Emu) -> None:
    ce = fresh_emu.client("ce")
    assert ce.list_cost_allocation_tags()["CostAllocationTags"] == []  # a new account has set none
    answer = ce.update_cost_allocation_tags_status(
        CostAllocationTagsStatus=[{"TagKey": "Project", "Status": "Active"}, {"TagKey": "Layer", "Status": "Inactive"}]
    )
    assert answer["Errors"] == []
    tags = {t["TagKey"]: (t["Type"], t["Status"]) for t in ce.list_cost_allocation_tags()["CostAllocationTags"]}
    assert tags == {"Project": ("UserDefined", "Active"), "Layer": ("UserDefined", "Inactive")}
    active = ce.list_cost_allocation_tags(Status="Active", TagKeys=["Project", "Layer"])["CostAllocationTags"]
    assert [t["TagKey"] for t in active] == ["Project"]

    # The same status again changes nothing, not even the date; aws: keys are AWS's.
    (before,) = ce.list_cost_allocation_tags(TagKeys=["Project"])["CostAllocationTags"]
    ce.update_cost_allocation_tags_status(CostAllocationTagsStatus=[{"TagKey": "Project", "Status": "Active"}])
    assert ce.list_cost_allocation_tags(TagKeys=["Project"])["CostAllocationTags"] == [before]
    ce.update_cost_allocation_tags_status(CostAllocationTagsStatus=[{"TagKey": "aws:createdBy", "Status": "Active"}])
    generated = ce.list_cost_allocation_tags(Type="AWSGenerated")["CostAllocationTags"]
    assert [(t["TagKey"], t["Status"]) for t in generated] == [("aws:createdBy", "Active")]

    # Pages: MaxResults and an opaque NextToken.
    ce.update_cost_allocation_tags_status(
        CostAllocationTagsStatus=[{"TagKey": f"Key{i:02}", "Status": "Active"} for i in range(20)]
    )
    first = ce.list_cost_allocation_tags(Status="Active", MaxResults=15)
    assert len(first["CostAllocationTags"]) == 15 and first["NextToken"]
    rest = ce.list_cost_allocation_tags(Status="Active", MaxResults=15, NextToken=first["NextToken"])
    keys = [t["TagKey"] for t in first["CostAllocationTags"] + rest["CostAllocationTags"]]
    assert "NextToken" not in rest and keys == sorted(keys) and len(keys) == 22
    with pytest.raises(ClientError) as exc:
        ce.list_cost_allocation_tags(NextToken="not-a-token")
    assert code(exc) == ("InvalidNextTokenException", 400)

    # Refused whole: an unknown status, more than 20 keys.
    for changes in (
        [{"TagKey": "X", "Status": "On"}],
        [{"TagKey": f"K{i}", "Status": "Active"} for i in range(21)],
    ):
        with pytest.raises(ClientError) as exc:
            ce.update_cost_allocation_tags_status(CostAllocationTagsStatus=changes)
        assert code(exc) == ("ValidationException", 400)
    assert ce.list_cost_allocation_tags(TagKeys=["X", "K0"])["CostAllocationTags"] == []


def test_only_the_payer_activates_cost_allocation_tags(fresh_emu: Emu) -> None:
    org = fresh_emu.client("organizations")
    org.create_organization(FeatureSet="ALL")
    created = org.create_account(AccountName="production", Email="aws+production@example.com")
    member = org.describe_create_account_status(CreateAccountRequestId=created["CreateAccountStatus"]["Id"])[
        "CreateAccountStatus"
    ]["AccountId"]
    tag = [{"TagKey": "Project", "Status": "Active"}]

    member_ce = fresh_emu.client("ce", **fresh_emu.as_account(member))
    with pytest.raises(ClientError) as exc:
        member_ce.update_cost_allocation_tags_status(CostAllocationTagsStatus=tag)
    assert code(exc) == ("AccessDeniedException", 400)
    assert "Linked account doesn't have access to cost allocation tags" in exc.value.response["Error"]["Message"]

    # The management account activates them for the organization.
    assert fresh_emu.client("ce").update_cost_allocation_tags_status(CostAllocationTagsStatus=tag)["Errors"] == []
    assert [t["TagKey"] for t in fresh_emu.client("ce").list_cost_allocation_tags()["CostAllocationTags"]] == [
        "Project"
    ]


# ------------------------------------------------------------------ AWS Chatbot


def test_slack_channel_configurations(fresh_emu: Emu) -> None:
    chatbot = fresh_emu.client("chatbot")
    role_arn = role(fresh_emu, "chatbot")
    topic = f"arn:aws:sns:{REGION}:{ACCOUNT}:alarms"
    created = chatbot.create_slack_channel_configuration(
        ConfigurationName="alarms",
        SlackTeamId="T0123ABCDEF",
        SlackChannelId="C0123ABCDEF",
        IamRoleArn=role_arn,
        SnsTopicArns=[topic],
        LoggingLevel="ERROR",
        GuardrailPolicyArns=["arn:aws:iam::aws:policy/ReadOnlyAccess"],
        UserAuthorizationRequired=True,
        Tags=[{"TagKey": "Layer", "TagValue": "90-monitoring"}],
    )["ChannelConfiguration"]
    arn = created["ChatConfigurationArn"]
    assert arn == f"arn:aws:chatbot::{ACCOUNT}:chat-configuration/slack-channel/alarms"
    assert (created["SnsTopicArns"], created["State"], created["UserAuthorizationRequired"]) == (
        [topic],
        "ENABLED",
        True,
    )
    described = chatbot.describe_slack_channel_configurations(ChatConfigurationArn=arn)["SlackChannelConfigurations"]
    assert [c["ConfigurationName"] for c in described] == ["alarms"]

    chatbot.update_slack_channel_configuration(
        ChatConfigurationArn=arn, SlackChannelId="C0NEWCHANNEL", LoggingLevel="INFO"
    )
    described = chatbot.describe_slack_channel_configurations()["SlackChannelConfigurations"]
    assert (described[0]["SlackChannelId"], described[0]["LoggingLevel"], described[0]["SnsTopicArns"]) == (
        "C0NEWCHANNEL",
        "INFO",
        [topic],
    )

    chatbot.tag_resource(ResourceARN=arn, Tags=[{"TagKey": "Owner", "TagValue": "platform"}])
    chatbot.untag_resource(ResourceARN=arn, TagKeys=["Layer"])
    assert chatbot.list_tags_for_resource(ResourceARN=arn)["Tags"] == [{"TagKey": "Owner", "TagValue": "platform"}]

    # AWS's refusals: the same name twice, malformed ids, an unknown configuration.
    with pytest.raises(ClientError) as exc:
        chatbot.create_slack_channel_configuration(
            ConfigurationName="alarms", SlackTeamId="T0123ABCDEF", SlackChannelId="C1", IamRoleArn=role_arn
        )
    assert code(exc) == ("ConflictException", 400)
    with pytest.raises(ClientError) as exc:
        chatbot.create_slack_channel_configuration(
            ConfigurationName="other", SlackTeamId="my workspace", SlackChannelId="#alarms", IamRoleArn=role_arn
        )
    assert code(exc) == ("InvalidParameterException", 400)
    chatbot.delete_slack_channel_configuration(ChatConfigurationArn=arn)
    assert chatbot.describe_slack_channel_configurations()["SlackChannelConfigurations"] == []
    with pytest.raises(ClientError) as exc:
        chatbot.delete_slack_channel_configuration(ChatConfigurationArn=arn)
    assert code(exc) == ("ResourceNotFoundException", 404)


# ------------------------------------------------------------------ AMP and CloudWatch Logs


def test_prometheus_workspace_keeps_its_kms_key(fresh_emu: Emu) -> None:
    amp = fresh_emu.client("amp")
    key = fresh_emu.client("kms").create_key()["KeyMetadata"]["Arn"]
    workspace = amp.create_workspace(alias="platform", kmsKeyArn=key)
    assert workspace["kmsKeyArn"] == key
    assert amp.describe_workspace(workspaceId=workspace["workspaceId"])["workspace"]["kmsKeyArn"] == key
    plain = amp.create_workspace(alias="plain")
    assert "kmsKeyArn" not in amp.describe_workspace(workspaceId=plain["workspaceId"])["workspace"]
    with pytest.raises(ClientError) as exc:
        amp.create_workspace(alias="bad", kmsKeyArn="arn:aws:kms:ap-northeast-2:123456789012:alias/platform")
    assert code(exc)[0] == "ValidationException"


def test_subscription_filter_to_a_cross_account_destination(fresh_emu: Emu) -> None:
    # The log-archive account owns the destination; the platform's account subscribes to it.
    destination = archive_destination(fresh_emu)
    assert destination == f"arn:aws:logs:{REGION}:{ARCHIVE_ACCOUNT}:destination:orch-log-archive"

    logs = fresh_emu.client("logs")
    logs.create_log_group(logGroupName="/aws/eks/c/cluster")
    logs.put_subscription_filter(
        logGroupName="/aws/eks/c/cluster", filterName="archive", filterPattern="", destinationArn=destination
    )
    filters = logs.describe_subscription_filters(logGroupName="/aws/eks/c/cluster")["subscriptionFilters"]
    assert [(f["filterName"], f["destinationArn"]) for f in filters] == [("archive", destination)]
    with pytest.raises(ClientError) as exc:
        logs.put_subscription_filter(
            logGroupName="/aws/eks/c/cluster",
            filterName="nowhere",
            filterPattern="",
            destinationArn=destination.replace("orch-log-archive", "missing"),
        )
    assert code(exc)[0] == "InvalidParameterException"


# ------------------------------------------------------------------ through the provider

PROVIDER_CONFIG = """
resource "aws_kms_key" "this" {{
  description = "operations"
}}

resource "aws_sns_topic" "alarms" {{
  name = "alarms"
}}

resource "aws_iam_role" "this" {{
  for_each = toset(["backup", "chatbot"])
  name     = "ops-${{each.key}}"
  assume_role_policy = jsonencode({{
    Version   = "2012-10-17"
    Statement = [{{
      Effect    = "Allow"
      Principal = {{ Service = "${{each.key}}.amazonaws.com" }}
      Action    = "sts:AssumeRole"
    }}]
  }})
}}

resource "aws_budgets_budget" "monthly" {{
  name         = "ops-monthly"
  budget_type  = "COST"
  limit_amount = "{budget}"
  limit_unit   = "USD"
  time_unit    = "MONTHLY"
  dynamic "notification" {{
    for_each = {{ ACTUAL = {threshold}, FORECASTED = 100 }}
    content {{
      comparison_operator       = "GREATER_THAN"
      threshold                 = notification.value
      threshold_type            = "PERCENTAGE"
      notification_type         = notification.key
      subscriber_sns_topic_arns = [aws_sns_topic.alarms.arn]
    }}
  }}
  tags = {{ Layer = "95-cost" }}
}}

resource "aws_ce_anomaly_monitor" "services" {{
  name              = "ops-services"
  monitor_type      = "DIMENSIONAL"
  monitor_dimension = "SERVICE"
  tags              = {{ Layer = "95-cost" }}
}}

resource "aws_ce_anomaly_subscription" "alarms" {{
  name             = "ops-anomalies"
  frequency        = "IMMEDIATE"
  monitor_arn_list = [aws_ce_anomaly_monitor.services.arn]
  subscriber {{
    type    = "SNS"
    address = aws_sns_topic.alarms.arn
  }}
  threshold_expression {{
    dimension {{
      key           = "ANOMALY_TOTAL_IMPACT_ABSOLUTE"
      match_options = ["GREATER_THAN_OR_EQUAL"]
      values        = ["{anomaly}"]
    }}
  }}
  tags = {{ Layer = "95-cost" }}
}}

resource "aws_ce_cost_allocation_tag" "this" {{
  for_each = toset(["Project", "Environment", "Layer", "CostCenter"])
  tag_key  = each.value
  status   = "Active"
}}

resource "aws_backup_vault" "this" {{
  name        = "ops-backup"
  kms_key_arn = aws_kms_key.this.arn
  tags        = {{ Layer = "85-backup" }}
}}

resource "aws_backup_vault_lock_configuration" "this" {{
  backup_vault_name  = aws_backup_vault.this.name
  min_retention_days = 7
  max_retention_days = 35
}}

resource "aws_backup_plan" "this" {{
  name = "ops-daily"
  rule {{
    rule_name                    = "daily"
    target_vault_name            = aws_backup_vault.this.name
    schedule                     = "cron(0 3 ? * * *)"
    schedule_expression_timezone = "Asia/Seoul"
    start_window                 = 60
    completion_window            = 480
    lifecycle {{
      delete_after = {retention}
    }}
  }}
  tags = {{ Layer = "85-backup" }}
}}

resource "aws_backup_selection" "tagged_ebs" {{
  name         = "ops-tagged-ebs"
  plan_id      = aws_backup_plan.this.id
  iam_role_arn = aws_iam_role.this["backup"].arn
  resources    = ["arn:aws:ec2:{region}:123456789012:volume/*"]
  condition {{
    string_equals {{
      key   = "aws:ResourceTag/Backup"
      value = "daily"
    }}
  }}
}}

resource "aws_cloudwatch_log_group" "prometheus" {{
  name = "/aws/prometheus/ops"
}}

resource "aws_prometheus_workspace" "this" {{
  alias       = "ops"
  kms_key_arn = aws_kms_key.this.arn
  logging_configuration {{
    log_group_arn = "${{aws_cloudwatch_log_group.prometheus.arn}}:*"
  }}
  tags = {{ Layer = "90-monitoring" }}
}}

resource "aws_chatbot_slack_channel_configuration" "alarms" {{
  configuration_name          = "ops-alarms"
  iam_role_arn                = aws_iam_role.this["chatbot"].arn
  slack_team_id               = "T0123ABCDEF"
  slack_channel_id            = "{channel}"
  sns_topic_arns              = [aws_sns_topic.alarms.arn]
  logging_level               = "ERROR"
  guardrail_policy_arns       = ["arn:aws:iam::aws:policy/ReadOnlyAccess"]
  user_authorization_required = true
  tags                        = {{ Layer = "90-monitoring" }}
}}

resource "aws_cloudwatch_log_subscription_filter" "archive" {{
  name            = "ops-log-archive"
  log_group_name  = aws_cloudwatch_log_group.prometheus.name
  filter_pattern  = ""
  destination_arn = "{destination}"
  distribution    = "ByLogStream"
}}
"""


@pytest.mark.engines
def test_provider_applies_the_operations_resources(fresh_emu: Emu, engine_env: dict[str, str], tmp_path: Path) -> None:
    """Budget, anomaly monitor and subscription, cost allocation tags, locked vault, plan and tag
    selection, encrypted Prometheus workspace with logging, Chatbot channel, subscription filter to a
    cross-account destination: applied, planned empty, updated in place, planned empty, destroyed."""
    destination = archive_destination(fresh_emu)
    run = tofu_runner(tmp_path, engine_env, fresh_emu.status.ca_bundle)
    log = Path(fresh_emu.status.log) if fresh_emu.status.log else None
    log_start = log.stat().st_size if log and log.exists() else 0

    def configure(**changes: Any) -> None:
        values = {"budget": "15000", "threshold": 80, "anomaly": "100", "retention": 7, "channel": "C0123ABCDEF"}
        values.update(changes)
        (tmp_path / "main.tf").write_text(
            emulator_provider(
                fresh_emu.endpoint, "amp", "backup", "budgets", "ce", "chatbot", "iam", "kms", "logs", "sns", "sts"
            )
            + PROVIDER_CONFIG.format(region=REGION, endpoint=fresh_emu.endpoint, destination=destination, **values)
        )

    def ok(out: Any) -> bool:
        return out.returncode == 0

    configure()
    assert ok(out := run("init")), out.stdout + out.stderr
    assert ok(out := run("apply", "-auto-approve", "-parallelism=20")), out.stdout[-4000:] + out.stderr[-4000:]
    assert ok(out := run("plan", "-detailed-exitcode")), out.stdout[-4000:] + out.stderr[-4000:]

    configure(budget="20000", threshold=90, anomaly="250", retention=14, channel="C0NEWCHANNEL")
    assert ok(out := run("apply", "-auto-approve", "-parallelism=20")), out.stdout[-4000:] + out.stderr[-4000:]
    assert "4 changed" in out.stdout, out.stdout[-4000:]
    assert ok(out := run("plan", "-detailed-exitcode")), out.stdout[-4000:] + out.stderr[-4000:]

    budget = fresh_emu.client("budgets").describe_budget(AccountId=ACCOUNT, BudgetName="ops-monthly")["Budget"]
    assert budget["BudgetLimit"]["Amount"].startswith("20000")
    ce = fresh_emu.client("ce")
    assert {t["TagKey"] for t in ce.list_cost_allocation_tags(Status="Active")["CostAllocationTags"]} == {
        "Project",
        "Environment",
        "Layer",
        "CostCenter",
    }
    vault = fresh_emu.client("backup").describe_backup_vault(BackupVaultName="ops-backup")
    assert (vault["Locked"], vault["MinRetentionDays"], vault["MaxRetentionDays"]) == (True, 7, 35)
    if log:  # no call the provider made failed (request_log lines; a retry after a slow answer is not a failure)
        with log.open(errors="replace") as lines:
            lines.seek(log_start)
            failed = [ln for ln in lines if ln.startswith("orch-emulator") and _status(ln) >= 400]
        assert failed == []

    assert ok(out := run("destroy", "-auto-approve", "-parallelism=20")), out.stdout[-4000:] + out.stderr[-4000:]
    assert fresh_emu.client("ce").get_anomaly_monitors()["AnomalyMonitors"] == []
    assert fresh_emu.client("chatbot").describe_slack_channel_configurations()["SlackChannelConfigurations"] == []
