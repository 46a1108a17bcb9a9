# The platform's log groups to the log-archive account: one subscription filter per group to a
# CloudWatch Logs destination that the log-archive account owns (its access policy must admit
# this account). Off while log_archive_destination_arn is null. A cross-account destination
# needs no role here: the destination's own role delivers to its Kinesis/Firehose stream.
#
# The groups: this module's Container Insights groups (not `performance`, which carries metrics
# as embedded metric format and is large) and its Prometheus workspace log, plus the groups the
# other layers own and pass in (EKS control plane, VPC flow logs, Aurora, Redis). Every one of
# them is created by its layer with a retention and the logs KMS key.
locals {
  archive_own_groups = merge(
    { for k, g in aws_cloudwatch_log_group.container_insights : "container-insights-${k}" => g.name if contains(var.log_archive_container_insights_kinds, k) },
    { prometheus = aws_cloudwatch_log_group.prometheus.name },
  )
  archive_groups = var.log_archive_destination_arn == null ? {} : merge(local.archive_own_groups, var.log_archive_log_group_names)
}

resource "aws_cloudwatch_log_subscription_filter" "archive" {
  for_each = local.archive_groups

  name            = "${var.name_prefix}-log-archive"
  log_group_name  = each.value
  filter_pattern  = var.log_archive_filter_pattern
  destination_arn = var.log_archive_destination_arn
  distribution    = "ByLogStream"
}
