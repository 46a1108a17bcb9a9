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
  value       = module.irsa["cloudwatch-agent"].arn
}

output "alarm_names" {
  description = "Names of all alarms created."
  value = sort(concat(
    [for a in aws_cloudwatch_metric_alarm.aurora_cpu : a.alarm_name],
    [for a in aws_cloudwatch_metric_alarm.aurora_memory : a.alarm_name],
    [for a in aws_cloudwatch_metric_alarm.redis_cpu : a.alarm_name],
    [for a in aws_cloudwatch_metric_alarm.redis_memory : a.alarm_name],
    [for a in aws_cloudwatch_metric_alarm.nat_port_allocation : a.alarm_name],
    [for a in aws_cloudwatch_metric_alarm.metric : a.alarm_name],
    [for a in aws_cloudwatch_metric_alarm.query : a.alarm_name],
  ))
}

output "prometheus_workspace_id" {
  description = "Id of the Amazon Managed Service for Prometheus workspace."
  value       = aws_prometheus_workspace.this.id
}

output "prometheus_workspace_arn" {
  description = "ARN of the Prometheus workspace."
  value       = aws_prometheus_workspace.this.arn
}

output "prometheus_remote_write_url" {
  description = "Remote-write URL of the Prometheus workspace (SigV4)."
  value       = local.remote_write_url
}

output "prometheus_collector_role_arn" {
  description = "IRSA role of the Prometheus collector (aps:RemoteWrite on this workspace only)."
  value       = module.irsa["prometheus-collector"].arn
}

output "grafana_role_arn" {
  description = "IRSA role of Grafana (queries the workspace, reads CloudWatch metrics)."
  value       = module.irsa["grafana"].arn
}

output "dashboard_names" {
  description = "Dashboards provisioned into Grafana from dashboards/*.json."
  value       = sort(keys(local.dashboards))
}

output "slack_channel_configuration_arn" {
  description = "ARN of the AWS Chatbot Slack channel configuration (null without slack_channel)."
  value       = try(aws_chatbot_slack_channel_configuration.alarms[0].chat_configuration_arn, null)
}

output "log_archive_subscriptions" {
  description = "Log groups subscribed to the log-archive destination, by key (empty without log_archive_destination_arn)."
  value       = { for k, f in aws_cloudwatch_log_subscription_filter.archive : k => f.log_group_name }
}
