"""boto3 read-backs of the operations part of the platform (issue 18): 85-backup, 90-monitoring's
alarm routing, log archive and Prometheus, 95-cost.

Pure assertion helpers used by tests/e2e/test_platform_local.py on what `orch --local apply` built.
"""

from __future__ import annotations

import re
from typing import Any

RUNBOOK = re.compile(r"Runbook: \S+/(?P<file>[a-z-]+\.md)#(?P<anchor>[a-z0-9-]+)$")


def assert_alarm_runbooks(cloudwatch: Any, names: list[str], runbook_dir: Any) -> None:
    """Every alarm's description ends with a runbook link whose file exists and has that section."""
    alarms = []
    for start in range(0, len(names), 100):  # DescribeAlarms takes at most 100 names
        alarms += cloudwatch.describe_alarms(AlarmNames=names[start : start + 100])["MetricAlarms"]
    assert sorted(a["AlarmName"] for a in alarms) == sorted(names)
    for alarm in alarms:
        match = RUNBOOK.search(alarm["AlarmDescription"])
        assert match, f"{alarm['AlarmName']}: no runbook link in {alarm['AlarmDescription']!r}"
        page = runbook_dir / match["file"]
        assert page.is_file(), f"{alarm['AlarmName']}: {page} missing"
        anchors = {_anchor(line) for line in page.read_text().splitlines() if line.startswith("#")}
        assert match["anchor"] in anchors, f"{alarm['AlarmName']}: no section #{match['anchor']} in {page.name}"


def _anchor(heading: str) -> str:
    """GitHub's anchor of a Markdown heading."""
    text = heading.lstrip("#").strip().lower()
    return re.sub(r"[^a-z0-9 -]", "", text).replace(" ", "-")


def assert_slack_channel(
    chatbot: Any, configuration_arn: str, topic_arn: str, *, team_id: str, channel_id: str
) -> None:
    (config,) = chatbot.describe_slack_channel_configurations(ChatConfigurationArn=configuration_arn)[
        "SlackChannelConfigurations"
    ]
    assert (config["SlackTeamId"], config["SlackChannelId"]) == (team_id, channel_id)
    assert config["SnsTopicArns"] == [topic_arn]
    assert config["UserAuthorizationRequired"] is True
    assert config["GuardrailPolicyArns"] == ["arn:aws:iam::aws:policy/ReadOnlyAccess"]


def assert_topic_admits_cost_alerts(sns: Any, topic_arn: str) -> None:
    import json

    policy = json.loads(sns.get_topic_attributes(TopicArn=topic_arn)["Attributes"]["Policy"])
    services: set[str] = set()
    for statement in policy["Statement"]:
        if statement["Effect"] == "Allow":
            principal = statement["Principal"].get("Service", [])
            services |= {principal} if isinstance(principal, str) else set(principal)
    assert {"cloudwatch.amazonaws.com", "budgets.amazonaws.com", "costalerts.amazonaws.com"} <= services


def assert_prometheus_workspace(amp: Any, logs: Any, iam: Any, workspace_id: str, collector_role: str) -> None:
    import json
    from urllib.parse import unquote

    workspace = amp.describe_workspace(workspaceId=workspace_id)["workspace"]
    assert workspace["status"]["statusCode"] == "ACTIVE"
    assert workspace["kmsKeyArn"].startswith("arn:aws:kms:")
    logging = amp.describe_logging_configuration(workspaceId=workspace_id)["loggingConfiguration"]
    group = logging["logGroupArn"].split(":log-group:", 1)[1].removesuffix(":*")
    (described,) = [
        g for g in logs.describe_log_groups(logGroupNamePrefix=group)["logGroups"] if g["logGroupName"] == group
    ]
    assert described.get("kmsKeyId") and described.get("retentionInDays")
    # The collector may remote-write to this workspace and nothing else.
    name = collector_role.rsplit("/", 1)[1]
    (policy_name,) = iam.list_role_policies(RoleName=name)["PolicyNames"]
    document = iam.get_role_policy(RoleName=name, PolicyName=policy_name)["PolicyDocument"]
    document = json.loads(unquote(document)) if isinstance(document, str) else document
    statements = document["Statement"]
    assert [(s["Action"], s["Resource"]) for s in statements] == [("aps:RemoteWrite", workspace["arn"])]


def assert_log_archive(logs: Any, subscriptions: dict[str, str], destination_arn: str | None) -> None:
    """With a destination every listed group has one filter to it; without, no filter anywhere."""
    if destination_arn is None:
        assert subscriptions == {}
        return
    for group in subscriptions.values():
        filters = logs.describe_subscription_filters(logGroupName=group)["subscriptionFilters"]
        assert [f["destinationArn"] for f in filters] == [destination_arn], group


def assert_backup(
    backup: Any, vault_name: str, plan_id: str, *, retention_days: int, protected_arns: list[str]
) -> None:
    vault = backup.describe_backup_vault(BackupVaultName=vault_name)
    assert vault["EncryptionKeyArn"].startswith("arn:aws:kms:")
    assert (vault["Locked"], vault["MinRetentionDays"], vault["MaxRetentionDays"]) == (True, 7, 35)
    assert "ChangeableForDays" not in vault  # governance mode
    plan = backup.get_backup_plan(BackupPlanId=plan_id)["BackupPlan"]
    (rule,) = plan["Rules"]
    assert rule["TargetBackupVaultName"] == vault_name
    assert rule["Lifecycle"]["DeleteAfterDays"] == retention_days
    selections = {
        s["SelectionName"]: backup.get_backup_selection(BackupPlanId=plan_id, SelectionId=s["SelectionId"])[
            "BackupSelection"
        ]
        for s in backup.list_backup_selections(BackupPlanId=plan_id)["BackupSelectionsList"]
    }
    by_arn = [s for s in selections.values() if set(protected_arns) <= set(s.get("Resources", []))]
    assert by_arn, f"no selection protects {protected_arns}: {selections}"
    tagged = [s for s in selections.values() if s.get("Conditions", {}).get("StringEquals")]
    assert tagged and tagged[0]["Conditions"]["StringEquals"] == [
        {"ConditionKey": "aws:ResourceTag/Backup", "ConditionValue": "daily"}
    ]
    role = next(iter(selections.values()))["IamRoleArn"]
    assert all(s["IamRoleArn"] == role for s in selections.values())


def assert_backup_role(iam: Any, role_arn: str) -> None:
    name = role_arn.rsplit("/", 1)[1]
    attached = {p["PolicyName"] for p in iam.list_attached_role_policies(RoleName=name)["AttachedPolicies"]}
    assert attached == {"AWSBackupServiceRolePolicyForBackup", "AWSBackupServiceRolePolicyForRestores"}


def assert_cost(
    budgets: Any,
    ce: Any,
    account_id: str,
    budget_name: str,
    topic_arn: str,
    *,
    amount: float,
    anomaly_subscription_arn: str,
    activated_tags: list[str],
) -> None:
    budget = budgets.describe_budget(AccountId=account_id, BudgetName=budget_name)["Budget"]
    assert float(budget["BudgetLimit"]["Amount"]) == amount and budget["TimeUnit"] == "MONTHLY"
    notifications = budgets.describe_notifications_for_budget(AccountId=account_id, BudgetName=budget_name)[
        "Notifications"
    ]
    assert sorted((n["NotificationType"], float(n["Threshold"])) for n in notifications) == [
        ("ACTUAL", 80.0),
        ("ACTUAL", 100.0),
        ("FORECASTED", 100.0),
    ]
    for notification in notifications:
        subscribers = budgets.describe_subscribers_for_notification(
            AccountId=account_id, BudgetName=budget_name, Notification=notification
        )["Subscribers"]
        assert subscribers == [{"SubscriptionType": "SNS", "Address": topic_arn}]
    (subscription,) = ce.get_anomaly_subscriptions(SubscriptionArnList=[anomaly_subscription_arn])[
        "AnomalySubscriptions"
    ]
    assert subscription["Frequency"] == "IMMEDIATE"
    assert subscription["Subscribers"] == [{"Type": "SNS", "Address": topic_arn, "Status": "CONFIRMED"}]
    monitors = ce.get_anomaly_monitors(MonitorArnList=subscription["MonitorArnList"])["AnomalyMonitors"]
    assert [(m["MonitorType"], m["MonitorDimension"]) for m in monitors] == [("DIMENSIONAL", "SERVICE")]
    active = {t["TagKey"] for t in ce.list_cost_allocation_tags(Status="Active")["CostAllocationTags"]}
    assert active == set(activated_tags)
