output "alarm_topic_arn" {
  description = "ARN of the SNS topic every alarm notifies."
  value       = aws_sns_topic.alarms.arn
}

output "container_insights_log_group_names" {
  description = "Container Insights / Fluent Bit log groups by kind."
  value       = { for k, g in aws_cloudwatch_log_group.container_insights : k => g.name }
}

output "cloudwatch_agent_role_arn" {
  description = "IRSA role ARN of the CloudWatch agent."
  value       = aws_iam_role.cloudwatch_agent.arn
}

output "alarm_names" {
  description = "Names of all alarms created."
  value = sort(concat(
    [for a in aws_cloudwatch_metric_alarm.aurora_cpu : a.alarm_name],
    [for a in aws_cloudwatch_metric_alarm.aurora_memory : a.alarm_name],
    [for a in aws_cloudwatch_metric_alarm.redis_cpu : a.alarm_name],
    [for a in aws_cloudwatch_metric_alarm.redis_memory : a.alarm_name],
    [for a in aws_cloudwatch_metric_alarm.nat_port_allocation : a.alarm_name],
  ))
}
