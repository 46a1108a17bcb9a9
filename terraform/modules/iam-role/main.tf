# A generic IAM role: trusted by AWS services, by other roles, or by Kubernetes service
# accounts through the cluster's OIDC provider (IRSA), with managed and inline policies.
locals {
  # "arn:aws:iam::111111111111:oidc-provider/oidc.eks.<region>.amazonaws.com/id/ABC" -> issuer host/path
  oidc_issuer = var.oidc_provider_arn == null ? "" : element(split(":oidc-provider/", var.oidc_provider_arn), 1)
  irsa        = var.oidc_provider_arn != null && length(var.oidc_subjects) > 0
}

data "aws_iam_policy_document" "assume" {
  dynamic "statement" {
    for_each = length(var.trusted_services) > 0 ? [1] : []
    content {
      sid     = var.trust_statement_sids.services
      effect  = "Allow"
      actions = ["sts:AssumeRole"]
      principals {
        type        = "Service"
        identifiers = var.trusted_services
      }
      # Confused deputy: e.g. aws:SourceAccount / aws:SourceArn limit which of the service's
      # requests may assume the role.
      dynamic "condition" {
        for_each = var.trusted_services_conditions
        content {
          test     = condition.value.test
          variable = condition.value.variable
          values   = condition.value.values
        }
      }
    }
  }

  dynamic "statement" {
    for_each = length(var.trusted_role_arns) > 0 ? [1] : []
    content {
      sid     = var.trust_statement_sids.roles
      effect  = "Allow"
      actions = ["sts:AssumeRole"]
      principals {
        type        = "AWS"
        identifiers = var.trusted_role_arns
      }
    }
  }

  dynamic "statement" {
    for_each = local.irsa ? [1] : []
    content {
      sid     = var.trust_statement_sids.service_accounts
      effect  = "Allow"
      actions = ["sts:AssumeRoleWithWebIdentity"]
      principals {
        type        = "Federated"
        identifiers = [var.oidc_provider_arn]
      }
      condition {
        test     = "StringEquals"
        variable = "${local.oidc_issuer}:aud"
        values   = ["sts.amazonaws.com"]
      }
      condition {
        test     = "StringEquals"
        variable = "${local.oidc_issuer}:sub"
        values   = [for s in var.oidc_subjects : "system:serviceaccount:${s}"]
      }
    }
  }
}

resource "aws_iam_role" "this" {
  name                 = var.name
  description          = var.description
  path                 = var.path
  assume_role_policy   = data.aws_iam_policy_document.assume.json
  max_session_duration = var.max_session_duration
  permissions_boundary = var.permissions_boundary_arn

  tags = merge(var.tags, { Name = var.name })

  lifecycle {
    precondition {
      condition     = length(var.trusted_services) + length(var.trusted_role_arns) > 0 || local.irsa
      error_message = "Give at least one trust: trusted_services, trusted_role_arns, or oidc_provider_arn with oidc_subjects."
    }
    precondition {
      condition     = length(var.trusted_services_conditions) == 0 || length(var.trusted_services) > 0
      error_message = "trusted_services_conditions apply to the trusted_services statement: give trusted_services too."
    }
  }
}

resource "aws_iam_role_policy_attachment" "managed" {
  for_each = var.managed_policy_arns

  role       = aws_iam_role.this.name
  policy_arn = each.value
}

resource "aws_iam_role_policy" "inline" {
  for_each = var.inline_policies

  name   = each.key
  role   = aws_iam_role.this.id
  policy = each.value
}
