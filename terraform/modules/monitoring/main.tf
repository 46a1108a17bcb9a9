data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id

  # Groups the CloudWatch agent and Fluent Bit of the observability add-on write to; created
  # here first so they are encrypted and expire instead of being created plain and kept forever.
  container_insights_log_groups = toset(["application", "dataplane", "host", "performance"])

  alarm_actions = [aws_sns_topic.alarms.arn]

  # Every alarm description ends with its runbook (docs/runbooks/<family>.md#<alarm>).
  runbooks = trimsuffix(var.runbook_base_url, "/")

  alarm_aurora_instances = var.create_metric_alarms ? toset(var.aurora_instance_ids) : toset([])
  alarm_redis_nodes      = var.create_metric_alarms ? toset(var.redis_member_clusters) : toset([])
  alarm_nat_gateways     = var.create_metric_alarms ? toset(var.nat_gateway_ids) : toset([])
}

# ---------------------------------------------------------------- alarm topic
resource "aws_sns_topic" "alarms" {
  name              = "${var.name_prefix}-alarms"
  display_name      = "${var.name_prefix} alarms"
  kms_master_key_id = var.sns_kms_key_arn

  tags = merge(var.tags, { Name = "${var.name_prefix}-alarms" })
}

data "aws_iam_policy_document" "alarms" {
  statement {
    sid       = "CloudWatchAlarmsPublish"
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.alarms.arn]

    principals {
      type        = "Service"
      identifiers = ["cloudwatch.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }

  # AWS Budgets (95-cost) and Cost Anomaly Detection alert through the same topic.
  statement {
    sid       = "CostAlertsPublish"
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.alarms.arn]

    principals {
      type        = "Service"
      identifiers = ["budgets.amazonaws.com", "costalerts.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }

  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.alarms.arn]

    principals {
      type        = "AWS"
      identifiers = ["*"]
    }

    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_sns_topic_policy" "alarms" {
  arn    = aws_sns_topic.alarms.arn
  policy = data.aws_iam_policy_document.alarms.json
}

resource "aws_sns_topic_subscription" "email" {
  for_each = toset(var.alarm_email_addresses)

  topic_arn = aws_sns_topic.alarms.arn
  protocol  = "email"
  endpoint  = each.value
}

# ---------------------------------------------------------------- Container Insights
resource "aws_cloudwatch_log_group" "container_insights" {
  for_each = local.container_insights_log_groups

  name              = "/aws/containerinsights/${var.cluster_name}/${each.value}"
  retention_in_days = var.cloudwatch_logs_retention_days
  kms_key_id        = var.cloudwatch_logs_kms_key_arn

  tags = merge(var.tags, { Name = "/aws/containerinsights/${var.cluster_name}/${each.value}" })
}

resource "aws_eks_addon" "cloudwatch_observability" {
  cluster_name                = var.cluster_name
  addon_name                  = "amazon-cloudwatch-observability"
  addon_version               = var.cloudwatch_observability_addon_version
  service_account_role_arn    = module.irsa["cloudwatch-agent"].arn
  resolve_conflicts_on_create = "OVERWRITE"
  resolve_conflicts_on_update = "PRESERVE"

  tags = merge(var.tags, { Name = "${var.cluster_name}-amazon-cloudwatch-observability" })

  depends_on = [aws_cloudwatch_log_group.container_insights, module.irsa]
}

# ---------------------------------------------------------------- alarms
resource "aws_cloudwatch_metric_alarm" "aurora_cpu" {
  for_each = local.alarm_aurora_instances

  alarm_name          = "${each.value}-cpu-high"
  alarm_description   = "Aurora instance ${each.value}: CPU above ${var.cpu_threshold_percent}% for 15 minutes. Runbook: ${local.runbooks}/aurora.md#cpu-high"
  namespace           = "AWS/RDS"
  metric_name         = "CPUUtilization"
  dimensions          = { DBInstanceIdentifier = each.value }
  statistic           = "Average"
  period              = 300
  evaluation_periods  = 3
  threshold           = var.cpu_threshold_percent
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "missing"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions

  tags = merge(var.tags, { Name = "${each.value}-cpu-high" })
}

resource "aws_cloudwatch_metric_alarm" "aurora_memory" {
  for_each = local.alarm_aurora_instances

  alarm_name          = "${each.value}-freeable-memory-low"
  alarm_description   = "Aurora instance ${each.value}: freeable memory below ${var.aurora_freeable_memory_threshold_bytes} bytes for 15 minutes. Runbook: ${local.runbooks}/aurora.md#freeable-memory-low"
  namespace           = "AWS/RDS"
  metric_name         = "FreeableMemory"
  dimensions          = { DBInstanceIdentifier = each.value }
  statistic           = "Average"
  period              = 300
  evaluation_periods  = 3
  threshold           = var.aurora_freeable_memory_threshold_bytes
  comparison_operator = "LessThanThreshold"
  treat_missing_data  = "missing"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions

  tags = merge(var.tags, { Name = "${each.value}-freeable-memory-low" })
}

resource "aws_cloudwatch_metric_alarm" "redis_cpu" {
  for_each = local.alarm_redis_nodes

  alarm_name          = "${each.value}-engine-cpu-high"
  alarm_description   = "Redis node ${each.value}: engine CPU above ${var.cpu_threshold_percent}% for 15 minutes. Runbook: ${local.runbooks}/redis.md#engine-cpu-high"
  namespace           = "AWS/ElastiCache"
  metric_name         = "EngineCPUUtilization"
  dimensions          = { CacheClusterId = each.value }
  statistic           = "Average"
  period              = 300
  evaluation_periods  = 3
  threshold           = var.cpu_threshold_percent
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "missing"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions

  tags = merge(var.tags, { Name = "${each.value}-engine-cpu-high" })
}

resource "aws_cloudwatch_metric_alarm" "redis_memory" {
  for_each = local.alarm_redis_nodes

  alarm_name          = "${each.value}-memory-high"
  alarm_description   = "Redis node ${each.value}: memory use above ${var.redis_memory_threshold_percent}% for 15 minutes. Runbook: ${local.runbooks}/redis.md#memory-high"
  namespace           = "AWS/ElastiCache"
  metric_name         = "DatabaseMemoryUsagePercentage"
  dimensions          = { CacheClusterId = each.value }
  statistic           = "Average"
  period              = 300
  evaluation_periods  = 3
  threshold           = var.redis_memory_threshold_percent
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "missing"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions

  tags = merge(var.tags, { Name = "${each.value}-memory-high" })
}

resource "aws_cloudwatch_metric_alarm" "nat_port_allocation" {
  for_each = local.alarm_nat_gateways

  alarm_name          = "${each.value}-port-allocation-errors"
  alarm_description   = "NAT gateway ${each.value}: source port allocation failed (connection exhaustion). Runbook: ${local.runbooks}/nat-gateway.md#port-allocation-errors"
  namespace           = "AWS/NATGateway"
  metric_name         = "ErrorPortAllocation"
  dimensions          = { NatGatewayId = each.value }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions

  tags = merge(var.tags, { Name = "${each.value}-port-allocation-errors" })
}
