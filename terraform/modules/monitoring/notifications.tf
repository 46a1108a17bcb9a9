# Who else the alarm topic reaches, besides e-mail (main.tf):
#
# - Slack through AWS Chatbot. An SNS subscription cannot post to a Slack incoming webhook: SNS
#   first sends a SubscriptionConfirmation that Slack never confirms, and its JSON envelope is not
#   Slack's message format. Chatbot subscribes to the topic itself, renders CloudWatch alarms,
#   budget and anomaly alerts as Slack messages, and needs no secret: the Slack workspace is
#   authorised once in the Chatbot console (OAuth), after which team and channel ids suffice.
# - Any SNS-aware HTTPS receiver (PagerDuty, Opsgenie, an in-house relay): an `https` subscription
#   whose URL, a credential, is read from Secrets Manager by name at plan time. It never appears in
#   env.yaml, the repository or the plan output (the value is sensitive); it is in the state,
#   which is encrypted with the state KMS key.

# ---------------------------------------------------------------- Slack (AWS Chatbot)
resource "aws_chatbot_slack_channel_configuration" "alarms" {
  count = var.slack_channel == null ? 0 : 1

  configuration_name = "${var.name_prefix}-alarms"
  iam_role_arn       = module.chatbot_role[0].arn
  slack_team_id      = var.slack_channel.team_id
  slack_channel_id   = var.slack_channel.channel_id
  sns_topic_arns     = [aws_sns_topic.alarms.arn]
  logging_level      = "ERROR"
  # Whatever the channel role may do, commands typed in Slack are capped at read-only, and each
  # Slack user must link an identity of their own first.
  guardrail_policy_arns       = ["arn:${data.aws_partition.current.partition}:iam::aws:policy/ReadOnlyAccess"]
  user_authorization_required = true

  tags = merge(var.tags, { Name = "${var.name_prefix}-alarms" })
}

# ---------------------------------------------------------------- HTTPS receiver (secret URL)
data "aws_secretsmanager_secret_version" "alarm_webhook" {
  count = var.alarm_webhook_secret_name == null ? 0 : 1

  secret_id = var.alarm_webhook_secret_name
}

resource "aws_sns_topic_subscription" "webhook" {
  count = var.alarm_webhook_secret_name == null ? 0 : 1

  topic_arn = aws_sns_topic.alarms.arn
  protocol  = "https"
  endpoint  = data.aws_secretsmanager_secret_version.alarm_webhook[0].secret_string
  # SNS retries a failing receiver with backoff; the receiver confirms the subscription itself.
  endpoint_auto_confirms = false

  lifecycle {
    precondition {
      # Checked without printing the value: the URL is a credential.
      condition     = nonsensitive(startswith(data.aws_secretsmanager_secret_version.alarm_webhook[0].secret_string, "https://"))
      error_message = "The alarm webhook secret (alarm_webhook_secret_name) must hold an https:// URL and nothing else."
    }
  }
}
