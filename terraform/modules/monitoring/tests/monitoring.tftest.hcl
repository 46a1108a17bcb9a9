# Plan-only checks of the alarm subscribers, the alarm set, the log archive and Prometheus (no AWS calls).
mock_provider "aws" {
  mock_data "aws_iam_policy_document" {
    defaults = { json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}" }
  }
  mock_data "aws_caller_identity" {
    defaults = { account_id = "111111111111" }
  }
  mock_resource "aws_sns_topic" {
    defaults = { arn = "arn:aws:sns:ap-northeast-2:111111111111:orch-eks-prod-alarms" }
  }
  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::111111111111:role/orch-eks-prod-cloudwatch-agent" }
  }
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
  mock_resource "aws_prometheus_workspace" {
    defaults = {
      arn                 = "arn:aws:aps:ap-northeast-2:111111111111:workspace/ws-00000000-0000-0000-0000-000000000000"
      prometheus_endpoint = "https://aps-workspaces.ap-northeast-2.amazonaws.com/workspaces/ws-00000000-0000-0000-0000-000000000000/"
    }
  }
  mock_resource "aws_kms_key" {
    defaults = { arn = "arn:aws:kms:ap-northeast-2:111111111111:key/00000000-0000-0000-0000-000000000003" }
  }
  mock_resource "aws_cloudwatch_log_group" {
    defaults = { arn = "arn:aws:logs:ap-northeast-2:111111111111:log-group:/aws/prometheus/orch-eks-prod" }
  }
  mock_data "aws_secretsmanager_secret_version" {
    defaults = { secret_string = "https://events.example.com/integration/0000/enqueue" }
  }
}

mock_provider "helm" {}
mock_provider "kubernetes" {}

variables {
  name_prefix                        = "orch-eks-prod"
  sns_kms_key_arn                    = "arn:aws:kms:ap-northeast-2:111111111111:key/00000000-0000-0000-0000-000000000001"
  cloudwatch_logs_kms_key_arn        = "arn:aws:kms:ap-northeast-2:111111111111:key/00000000-0000-0000-0000-000000000002"
  cluster_name                       = "orch-eks-prod"
  oidc_provider_arn                  = "arn:aws:iam::111111111111:oidc-provider/oidc.eks.ap-northeast-2.amazonaws.com/id/00000000000000000000000000000000"
  oidc_issuer_url                    = "https://oidc.eks.ap-northeast-2.amazonaws.com/id/00000000000000000000000000000000"
  alarm_email_addresses              = ["platform-oncall@example.com"]
  aurora_instance_ids                = ["orch-eks-prod-aurora-01", "orch-eks-prod-aurora-02"]
  redis_member_clusters              = ["orch-eks-prod-redis-0001-001", "orch-eks-prod-redis-0001-002"]
  nat_gateway_ids                    = ["nat-0000000000000000a", "nat-0000000000000000c"]
  backup_vault_name                  = "orch-eks-prod-backup"
  cluster_endpoint                   = "https://0000000000000000000000000000000A.gr7.ap-northeast-2.eks.amazonaws.com"
  cluster_certificate_authority_data = "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1PQ0sKLS0tLS1FTkQgQ0VSVElGSUNBVEUtLS0tLQo="
}

# No tier given: the module assumes production and refuses an alarm topic nobody reads.
run "production_without_subscriber_is_refused" {
  command = plan

  variables {
    alarm_email_addresses = []
  }

  expect_failures = [var.alarm_email_addresses]
}

run "production_with_subscriber" {
  command = plan

  variables {
    alarm_email_addresses = ["platform-oncall@example.com"]
  }

  assert {
    condition     = keys(aws_sns_topic_subscription.email) == ["platform-oncall@example.com"] && aws_sns_topic_subscription.email["platform-oncall@example.com"].protocol == "email"
    error_message = "The on-call address must be subscribed to the alarm topic by e-mail."
  }
}

run "staging_may_go_without_subscriber" {
  command = plan

  variables {
    tier                  = "staging"
    alarm_email_addresses = []
  }

  assert {
    condition     = length(aws_sns_topic_subscription.email) == 0
    error_message = "A non-production tier needs no subscriber."
  }
}

run "every_alarm_family_with_its_runbook" {
  command = plan

  assert {
    condition = alltrue([for name in [
      "orch-eks-prod-apiserver-5xx", "orch-eks-prod-apiserver-get-latency", "orch-eks-prod-unschedulable-pods",
      "orch-eks-prod-node-cpu-high", "orch-eks-prod-node-memory-high", "orch-eks-prod-node-disk-high",
      "orch-eks-prod-nodes-not-ready", "orch-eks-prod-node-count-low",
      "orch-eks-prod-aurora-01-replica-lag", "orch-eks-prod-aurora-02-connections-high",
      "orch-eks-prod-aurora-01-free-local-storage-low", "orch-eks-prod-aurora-01-deadlocks",
      "orch-eks-prod-redis-0001-001-evictions", "orch-eks-prod-redis-0001-002-replication-lag",
      "orch-eks-prod-redis-0001-001-connections-high", "nat-0000000000000000a-packets-dropped",
      "orch-eks-prod-backup-jobs-failed",
    ] : contains(keys(aws_cloudwatch_metric_alarm.metric), name)])
    error_message = "Control plane, node, Aurora, Redis, NAT and backup alarms are all expected."
  }
  assert {
    condition     = toset(keys(aws_cloudwatch_metric_alarm.query)) == toset(["orch-eks-prod-alb-5xx", "orch-eks-prod-alb-target-5xx", "orch-eks-prod-alb-unhealthy-targets", "orch-eks-prod-pod-restarts"])
    error_message = "ALB and pod-restart alarms are Metrics Insights queries over every ALB and pod."
  }
  assert {
    condition = alltrue(concat(
      [for a in aws_cloudwatch_metric_alarm.metric : can(regex("Runbook: docs/runbooks/[a-z-]+\\.md#[a-z0-9-]+$", a.alarm_description))],
      [for a in aws_cloudwatch_metric_alarm.query : can(regex("Runbook: docs/runbooks/[a-z-]+\\.md#[a-z0-9-]+$", a.alarm_description))],
      [for a in aws_cloudwatch_metric_alarm.aurora_cpu : can(regex("Runbook: docs/runbooks/aurora\\.md#cpu-high$", a.alarm_description))],
    ))
    error_message = "Every alarm description must end with its runbook link."
  }
  assert {
    condition = alltrue([for a in aws_cloudwatch_metric_alarm.metric :
    a.alarm_actions == toset(["arn:aws:sns:ap-northeast-2:111111111111:orch-eks-prod-alarms"]) && a.ok_actions == a.alarm_actions])
    error_message = "Every alarm notifies the alarm topic on alarm and on OK."
  }
  assert {
    condition     = length(aws_chatbot_slack_channel_configuration.alarms) == 0 && length(aws_sns_topic_subscription.webhook) == 0 && length(aws_cloudwatch_log_subscription_filter.archive) == 0
    error_message = "Slack, the webhook and the log archive are off unless configured."
  }
}

run "slack_through_chatbot" {
  command = plan

  variables {
    slack_channel = { team_id = "T0123ABCDEF", channel_id = "C0123ABCDEF" }
  }

  assert {
    condition = (
      aws_chatbot_slack_channel_configuration.alarms[0].sns_topic_arns == toset(["arn:aws:sns:ap-northeast-2:111111111111:orch-eks-prod-alarms"]) &&
      aws_chatbot_slack_channel_configuration.alarms[0].guardrail_policy_arns == tolist(["arn:aws:iam::aws:policy/ReadOnlyAccess"]) &&
      aws_chatbot_slack_channel_configuration.alarms[0].user_authorization_required
    )
    error_message = "Chatbot must subscribe the channel to the alarm topic, read-only and with user authorisation."
  }
}

run "slack_ids_are_checked" {
  command = plan

  variables {
    slack_channel = { team_id = "my-workspace", channel_id = "#alarms" }
  }

  expect_failures = [var.slack_channel]
}

run "webhook_url_from_secrets_manager" {
  command = plan

  variables {
    alarm_webhook_secret_name = "orch-eks-prod/alarm-webhook"
  }

  assert {
    condition     = aws_sns_topic_subscription.webhook[0].protocol == "https" && data.aws_secretsmanager_secret_version.alarm_webhook[0].secret_id == "orch-eks-prod/alarm-webhook"
    error_message = "The webhook subscription takes its URL from the named secret."
  }
}

run "webhook_secret_must_hold_an_https_url" {
  command = plan

  variables {
    alarm_webhook_secret_name = "orch-eks-prod/alarm-webhook"
  }

  override_data {
    target = data.aws_secretsmanager_secret_version.alarm_webhook
    values = { secret_string = "http://plain.example.com/hook" }
  }

  expect_failures = [aws_sns_topic_subscription.webhook[0]]
}

run "log_groups_to_the_log_archive" {
  command = plan

  variables {
    log_archive_destination_arn = "arn:aws:logs:ap-northeast-2:222222222222:destination:orch-log-archive"
    log_archive_log_group_names = {
      eks-control-plane = "/aws/eks/orch-eks-prod/cluster"
      vpc-flow-logs     = "/aws/vpc/orch-eks-prod-flow-logs"
    }
  }

  assert {
    condition = toset(keys(aws_cloudwatch_log_subscription_filter.archive)) == toset([
      "container-insights-application", "container-insights-dataplane", "container-insights-host", "prometheus",
      "eks-control-plane", "vpc-flow-logs",
    ]) && alltrue([for f in aws_cloudwatch_log_subscription_filter.archive : f.destination_arn == "arn:aws:logs:ap-northeast-2:222222222222:destination:orch-log-archive"])
    error_message = "The platform's log groups (not Container Insights performance) go to the log-archive destination."
  }
}

run "log_archive_destination_is_validated" {
  command = plan

  variables {
    log_archive_destination_arn = "arn:aws:kinesis:ap-northeast-2:222222222222:stream/logs"
  }

  expect_failures = [var.log_archive_destination_arn]
}

run "prometheus_workspace_collector_and_grafana" {
  command = plan

  assert {
    condition     = aws_prometheus_workspace.this.kms_key_arn == "arn:aws:kms:ap-northeast-2:111111111111:key/00000000-0000-0000-0000-000000000003" && aws_kms_key.prometheus.enable_key_rotation
    error_message = "The workspace is encrypted with its own rotating key."
  }
  assert {
    condition     = one(aws_prometheus_workspace.this.logging_configuration).log_group_arn == "arn:aws:logs:ap-northeast-2:111111111111:log-group:/aws/prometheus/orch-eks-prod:*"
    error_message = "The workspace logs to its encrypted log group."
  }
  assert {
    condition     = length(helm_release.prometheus) == 1 && length(helm_release.grafana) == 1 && output.dashboard_names == tolist(["data-tier", "eks-cluster"])
    error_message = "The collector and Grafana are installed with both dashboards."
  }
  assert {
    condition     = strcontains(helm_release.prometheus[0].values[0], "api/v1/remote_write") && strcontains(helm_release.grafana[0].values[0], "sigV4Auth")
    error_message = "The collector remote-writes and Grafana queries with SigV4."
  }
}

run "no_kubernetes_api_no_helm" {
  command = plan

  variables {
    enable_kubernetes_resources = false
  }

  assert {
    condition     = length(helm_release.prometheus) == 0 && length(helm_release.grafana) == 0 && aws_prometheus_workspace.this.alias == "orch-eks-prod"
    error_message = "Without the Kubernetes API only the AWS side (workspace, roles) is created."
  }
}
