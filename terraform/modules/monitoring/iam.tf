# The module's IAM roles, all through the iam-role module: the IRSA roles of the CloudWatch agent
# (observability add-on, main.tf), the Prometheus collector and Grafana (prometheus.tf), each
# trusted only by its service account, and AWS Chatbot's channel role (notifications.tf). Each
# keeps the Sid its hand-written trust policy had, so moving it here changes nothing in AWS.
locals {
  irsa_roles = {
    cloudwatch-agent = {
      description = "IRSA role of the CloudWatch agent and Fluent Bit (amazon-cloudwatch-observability add-on)"
      subject     = "amazon-cloudwatch:cloudwatch-agent"
      sid         = "CloudWatchAgentIrsa"
      managed     = { cloudwatch-agent-server = "arn:${data.aws_partition.current.partition}:iam::aws:policy/CloudWatchAgentServerPolicy" }
      inline      = {}
    }
    prometheus-collector = {
      description = "IRSA role of the Prometheus collector: remote write to workspace ${var.name_prefix} only"
      subject     = "${var.prometheus_namespace}:${local.prometheus_service_account}"
      sid         = "Irsa"
      managed     = {}
      inline      = { remote-write = data.aws_iam_policy_document.collector.json }
    }
    grafana = {
      description = "IRSA role of Grafana: queries workspace ${var.name_prefix} and reads CloudWatch metrics"
      subject     = "${var.prometheus_namespace}:${local.grafana_service_account}"
      sid         = "Irsa"
      managed     = {}
      inline      = { query = data.aws_iam_policy_document.grafana.json }
    }
  }
}

module "irsa" {
  source   = "../iam-role"
  for_each = local.irsa_roles

  name                 = "${var.name_prefix}-${each.key}"
  description          = each.value.description
  oidc_provider_arn    = var.oidc_provider_arn
  oidc_subjects        = [each.value.subject]
  trust_statement_sids = { service_accounts = each.value.sid }
  managed_policy_arns  = each.value.managed
  inline_policies      = each.value.inline
  tags                 = var.tags
}

module "chatbot_role" {
  source = "../iam-role"
  count  = var.slack_channel == null ? 0 : 1

  name                 = "${var.name_prefix}-chatbot"
  description          = "AWS Chatbot channel role of ${var.name_prefix}: reads the alarms it posts (CloudWatch read-only)"
  trusted_services     = ["chatbot.amazonaws.com"]
  trust_statement_sids = { services = "ChatbotAssumes" }
  managed_policy_arns  = { cloudwatch-read-only = "arn:${data.aws_partition.current.partition}:iam::aws:policy/CloudWatchReadOnlyAccess" }
  tags                 = var.tags
}

# The IRSA trust names the issuer through oidc_provider_arn; oidc_issuer_url (kept for callers)
# must be that provider's issuer, as 30-eks-cluster's outputs always are.
check "oidc_issuer_matches_the_provider" {
  assert {
    condition     = trimprefix(var.oidc_issuer_url, "https://") == try(split(":oidc-provider/", var.oidc_provider_arn)[1], "")
    error_message = "oidc_issuer_url is not the issuer of oidc_provider_arn: the IRSA roles trust the provider's issuer."
  }
}

# The roles were hand-written (main.tf, prometheus.tf, notifications.tf) before; moved, not replaced.
moved {
  from = aws_iam_role.cloudwatch_agent
  to   = module.irsa["cloudwatch-agent"].aws_iam_role.this
}

moved {
  from = aws_iam_role_policy_attachment.cloudwatch_agent
  to   = module.irsa["cloudwatch-agent"].aws_iam_role_policy_attachment.managed["cloudwatch-agent-server"]
}

moved {
  from = aws_iam_role.collector
  to   = module.irsa["prometheus-collector"].aws_iam_role.this
}

moved {
  from = aws_iam_role_policy.collector
  to   = module.irsa["prometheus-collector"].aws_iam_role_policy.inline["remote-write"]
}

moved {
  from = aws_iam_role.grafana
  to   = module.irsa["grafana"].aws_iam_role.this
}

moved {
  from = aws_iam_role_policy.grafana
  to   = module.irsa["grafana"].aws_iam_role_policy.inline["query"]
}

moved {
  from = aws_iam_role.chatbot[0]
  to   = module.chatbot_role[0].aws_iam_role.this
}

moved {
  from = aws_iam_role_policy_attachment.chatbot[0]
  to   = module.chatbot_role[0].aws_iam_role_policy_attachment.managed["cloudwatch-read-only"]
}
