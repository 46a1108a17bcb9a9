# Plan-only checks of the budget alerts, the anomaly subscription and the tag activation (no AWS calls).
mock_provider "aws" {
  mock_resource "aws_ce_anomaly_monitor" {
    defaults = { arn = "arn:aws:ce::111111111111:anomalymonitor/00000000-0000-0000-0000-000000000001" }
  }
}

variables {
  name_prefix        = "orch-eks-prod"
  alarm_topic_arn    = "arn:aws:sns:ap-northeast-2:111111111111:orch-eks-prod-alarms"
  monthly_budget_usd = 20000
}

run "budget_and_anomaly_alerts_reach_the_alarm_topic" {
  command = plan

  assert {
    condition     = aws_budgets_budget.monthly.limit_amount == "20000.00" && aws_budgets_budget.monthly.time_unit == "MONTHLY"
    error_message = "A monthly USD budget of the configured amount is expected."
  }
  assert {
    condition = toset([for n in aws_budgets_budget.monthly.notification : "${n.notification_type}-${n.threshold}"]) == toset(["ACTUAL-80", "ACTUAL-100", "FORECASTED-100"]) && alltrue([
      for n in aws_budgets_budget.monthly.notification : n.subscriber_sns_topic_arns == toset([var.alarm_topic_arn])
    ])
    error_message = "Actual 80%/100% and forecast 100% must notify the alarm topic."
  }
  assert {
    condition = (
      aws_ce_anomaly_subscription.alarms.frequency == "IMMEDIATE" &&
      one(aws_ce_anomaly_subscription.alarms.subscriber).address == var.alarm_topic_arn &&
      one(one(aws_ce_anomaly_subscription.alarms.threshold_expression).dimension).values == toset(["100.00"])
    )
    error_message = "Anomalies of 100 USD or more must reach the alarm topic at once."
  }
  assert {
    condition     = toset(keys(aws_ce_cost_allocation_tag.this)) == toset(["Project", "Environment", "Layer", "CostCenter"])
    error_message = "The standard tags must be activated for cost allocation."
  }
}

run "member_account_leaves_activation_to_the_payer" {
  command = plan

  variables {
    activate_cost_allocation_tags = false
  }

  assert {
    condition     = length(aws_ce_cost_allocation_tag.this) == 0
    error_message = "A member account must not try to activate cost allocation tags."
  }
}

run "negative_budget_is_refused" {
  command = plan

  variables {
    monthly_budget_usd = 0
  }

  expect_failures = [var.monthly_budget_usd]
}
