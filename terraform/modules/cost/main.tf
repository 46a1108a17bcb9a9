locals {
  # Budget alerts: the actual spend crosses each percentage, and the month's forecast crosses 100%.
  budget_notifications = merge(
    { for p in var.budget_actual_thresholds_percent : "actual-${p}" => { type = "ACTUAL", threshold = p } },
    { "forecast-100" = { type = "FORECASTED", threshold = 100 } },
  )
}

# One account per environment (plan.md's account model): the account's whole spend is the
# environment's, so the budget needs no tag filter and counts from the first day, before any
# cost allocation tag is active.
resource "aws_budgets_budget" "monthly" {
  name         = "${var.name_prefix}-monthly"
  budget_type  = "COST"
  limit_amount = format("%.2f", var.monthly_budget_usd)
  limit_unit   = "USD"
  time_unit    = "MONTHLY"

  dynamic "notification" {
    for_each = local.budget_notifications
    content {
      comparison_operator       = "GREATER_THAN"
      threshold                 = notification.value.threshold
      threshold_type            = "PERCENTAGE"
      notification_type         = notification.value.type
      subscriber_sns_topic_arns = [var.alarm_topic_arn]
    }
  }

  tags = merge(var.tags, { Name = "${var.name_prefix}-monthly" })
}

# Cost Anomaly Detection: a per-service monitor of this account, an immediate SNS alert when an
# anomaly's total impact reaches the threshold (IMMEDIATE supports SNS subscribers only).
resource "aws_ce_anomaly_monitor" "services" {
  name              = "${var.name_prefix}-services"
  monitor_type      = "DIMENSIONAL"
  monitor_dimension = "SERVICE"

  tags = merge(var.tags, { Name = "${var.name_prefix}-services" })
}

resource "aws_ce_anomaly_subscription" "alarms" {
  name             = "${var.name_prefix}-cost-anomalies"
  frequency        = "IMMEDIATE"
  monitor_arn_list = [aws_ce_anomaly_monitor.services.arn]

  subscriber {
    type    = "SNS"
    address = var.alarm_topic_arn
  }

  threshold_expression {
    dimension {
      key           = "ANOMALY_TOTAL_IMPACT_ABSOLUTE"
      match_options = ["GREATER_THAN_OR_EQUAL"]
      values        = [format("%.2f", var.anomaly_threshold_usd)]
    }
  }

  tags = merge(var.tags, { Name = "${var.name_prefix}-cost-anomalies" })
}

# Cost allocation tags: activated, Cost Explorer and the Cost and Usage Report split spend by them.
# Only the payer (management) account of an organization can activate them; a member account
# sets activate_cost_allocation_tags = false and the management account activates the same keys.
resource "aws_ce_cost_allocation_tag" "this" {
  for_each = var.activate_cost_allocation_tags ? toset(var.cost_allocation_tag_keys) : toset([])

  tag_key = each.value
  status  = "Active"
}
