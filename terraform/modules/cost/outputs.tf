output "budget_name" {
  description = "Name of the monthly cost budget."
  value       = aws_budgets_budget.monthly.name
}

output "anomaly_monitor_arn" {
  description = "ARN of the per-service cost anomaly monitor."
  value       = aws_ce_anomaly_monitor.services.arn
}

output "anomaly_subscription_arn" {
  description = "ARN of the anomaly subscription that alerts the alarm topic."
  value       = aws_ce_anomaly_subscription.alarms.arn
}

output "cost_allocation_tag_keys" {
  description = "Tag keys activated for cost allocation by this module (empty when activation is left to the payer account)."
  value       = sort(keys(aws_ce_cost_allocation_tag.this))
}
