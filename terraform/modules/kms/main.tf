# One customer managed key per purpose. Key policies are least privilege:
# - the account root gets key administration only (no encrypt/decrypt), which keeps
#   the key manageable through IAM without handing data access to every admin;
# - data use is allowed only through the AWS service that owns the data
#   (kms:ViaService + kms:CallerAccount), or to the service principal itself where the
#   service calls KMS directly (CloudWatch Logs with an encryption-context condition,
#   the Auto Scaling service-linked role for EBS, CloudWatch/EventBridge for SNS, the EKS
#   cluster role for Kubernetes secrets).
module "naming" {
  source = "../naming"

  environment = var.environment
  name_prefix = var.name_prefix
}

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  root_arn   = "arn:${local.partition}:iam::${local.account_id}:root"

  # The AWS services that use each key on the caller's behalf (kms:ViaService). Secrets Manager
  # encrypts the secrets that belong to a data store with that store's key: the RDS-managed
  # master user secret (rds) and the Redis AUTH token (elasticache).
  via_services = {
    eks         = ["eks"]
    logs        = [] # CloudWatch Logs calls KMS as its own service principal (below)
    ebs         = ["ec2"]
    rds         = ["rds", "secretsmanager"]
    elasticache = ["elasticache", "secretsmanager"]
    sns         = ["sns"]
    efs         = ["elasticfilesystem"]
    s3          = ["s3"]
  }

  descriptions = {
    eks         = "EKS Kubernetes secrets envelope encryption"
    logs        = "CloudWatch Logs log groups (EKS control plane, VPC flow logs, applications)"
    ebs         = "EBS volumes of EKS nodes and the EBS CSI driver"
    rds         = "Aurora MySQL storage, snapshots, Performance Insights and the master user secret"
    elasticache = "ElastiCache Redis at-rest encryption, snapshots and the AUTH token secret"
    sns         = "SNS topics for alarms"
    efs         = "EFS file systems for the EFS CSI driver"
    s3          = "S3 buckets of the platform"
  }

  admin_actions = [
    "kms:CancelKeyDeletion",
    "kms:CreateAlias",
    "kms:Delete*",
    "kms:Describe*",
    "kms:Disable*",
    "kms:Enable*",
    "kms:Get*",
    "kms:List*",
    "kms:Put*",
    "kms:Revoke*",
    "kms:RotateKeyOnDemand",
    "kms:ScheduleKeyDeletion",
    "kms:TagResource",
    "kms:UntagResource",
    "kms:Update*",
  ]

  use_actions = [
    "kms:Decrypt",
    "kms:DescribeKey",
    "kms:Encrypt",
    "kms:GenerateDataKey*",
    "kms:ReEncrypt*",
  ]

  # The Auto Scaling service-linked role is a principal of the EBS key policy. KMS rejects a key
  # policy naming a principal that does not exist (MalformedPolicyDocumentException), and on a
  # new account the role does not exist until the first Auto Scaling group is created. So the
  # module creates it and the policy takes the ARN from that resource: the reference orders the
  # creation before the key policy. When the account already has the role, the caller sets
  # create_autoscaling_service_linked_role = false and the ARN is built from its name.
  create_autoscaling_role = var.create_autoscaling_service_linked_role && contains(var.purposes, "ebs")
  autoscaling_role_suffix = trimprefix(trimprefix(var.autoscaling_service_linked_role_name, "AWSServiceRoleForAutoScaling"), "_")
  autoscaling_role_arn = (local.create_autoscaling_role
    ? aws_iam_service_linked_role.autoscaling[0].arn
    : "arn:${local.partition}:iam::${local.account_id}:role/aws-service-role/autoscaling.amazonaws.com/${var.autoscaling_service_linked_role_name}"
  )

  # The EKS control plane calls KMS for secrets envelope encryption with the cluster role's own
  # session (API server start-up, KEK rotation, health checks), not on behalf of a caller through
  # the EKS API, so kms:ViaService cannot be relied on for those calls. The role is named by
  # aws:PrincipalArn rather than as a Principal: it is created later (30-eks-cluster) and KMS
  # rejects principals that do not exist yet.
  eks_cluster_role_name = coalesce(var.eks_cluster_role_name, "${module.naming.name_prefix}-cluster")
  eks_cluster_role_arn  = "arn:${local.partition}:iam::${local.account_id}:role/${local.eks_cluster_role_name}"
}

resource "aws_iam_service_linked_role" "autoscaling" {
  count = local.create_autoscaling_role ? 1 : 0

  aws_service_name = "autoscaling.amazonaws.com"
  custom_suffix    = local.autoscaling_role_suffix == "" ? null : local.autoscaling_role_suffix
  description      = "Auto Scaling launches EKS managed node group instances with volumes encrypted by ${module.naming.name_prefix} KMS keys."

  tags = merge(var.tags, { Name = var.autoscaling_service_linked_role_name })
}

data "aws_iam_policy_document" "key" {
  for_each = var.purposes

  # checkov:skip=CKV_AWS_109:A key policy's Resource "*" is the key itself; administration is limited to the account root (delegated to IAM).
  # checkov:skip=CKV_AWS_111:A key policy's Resource "*" is the key itself; write actions are limited to the account and the owning service.
  # checkov:skip=CKV_AWS_356:A key policy's Resource "*" always means this key; it cannot name another resource.
  statement {
    sid       = "KeyAdministrationByAccount"
    effect    = "Allow"
    actions   = local.admin_actions
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = [local.root_arn]
    }
  }

  # Data use through the owning service only, by principals of this account whose IAM
  # policies allow it (e.g. the EKS cluster role, the RDS service, node roles via EC2).
  dynamic "statement" {
    for_each = length(local.via_services[each.key]) == 0 ? [] : [local.via_services[each.key]]
    content {
      sid       = "UseViaService"
      effect    = "Allow"
      actions   = concat(local.use_actions, ["kms:CreateGrant", "kms:ListGrants"])
      resources = ["*"]
      principals {
        type        = "AWS"
        identifiers = [local.root_arn]
      }
      condition {
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = [for service in statement.value : "${service}.${var.region}.amazonaws.com"]
      }
      condition {
        test     = "StringEquals"
        variable = "kms:CallerAccount"
        values   = [local.account_id]
      }
    }
  }

  # CloudWatch Logs encrypts with its own service principal; the encryption context
  # pins use to log groups of this account and region.
  dynamic "statement" {
    for_each = each.key == "logs" ? [1] : []
    content {
      sid    = "CloudWatchLogs"
      effect = "Allow"
      actions = [
        "kms:Decrypt*",
        "kms:Describe*",
        "kms:Encrypt*",
        "kms:GenerateDataKey*",
        "kms:ReEncrypt*",
      ]
      resources = ["*"]
      principals {
        type        = "Service"
        identifiers = ["logs.${var.region}.amazonaws.com"]
      }
      condition {
        test     = "ArnLike"
        variable = "kms:EncryptionContext:aws:logs:arn"
        values   = ["arn:${local.partition}:logs:${var.region}:${local.account_id}:log-group:*"]
      }
    }
  }

  # EKS managed node groups launch instances through Auto Scaling, whose service-linked
  # role must be able to use the key for encrypted launch-template volumes.
  dynamic "statement" {
    for_each = each.key == "ebs" ? [1] : []
    content {
      sid       = "AutoScalingServiceLinkedRoleUse"
      effect    = "Allow"
      actions   = local.use_actions
      resources = ["*"]
      principals {
        type        = "AWS"
        identifiers = [local.autoscaling_role_arn]
      }
    }
  }

  dynamic "statement" {
    for_each = each.key == "ebs" ? [1] : []
    content {
      sid       = "AutoScalingServiceLinkedRoleGrants"
      effect    = "Allow"
      actions   = ["kms:CreateGrant"]
      resources = ["*"]
      principals {
        type        = "AWS"
        identifiers = [local.autoscaling_role_arn]
      }
      condition {
        test     = "Bool"
        variable = "kms:GrantIsForAWSResource"
        values   = ["true"]
      }
    }
  }

  # Secrets envelope encryption by the EKS control plane, which uses the cluster role's own
  # session (see eks_cluster_role_arn above): exactly the actions the eks-cluster module's
  # cluster role policy allows, for that one role of this account.
  dynamic "statement" {
    for_each = each.key == "eks" ? [1] : []
    content {
      sid       = "EksClusterRoleSecretsEncryption"
      effect    = "Allow"
      actions   = ["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:ListGrants"]
      resources = ["*"]
      principals {
        type        = "AWS"
        identifiers = [local.root_arn]
      }
      condition {
        test     = "ArnEquals"
        variable = "aws:PrincipalArn"
        values   = [local.eks_cluster_role_arn]
      }
    }
  }

  # CloudWatch alarms publish to encrypted topics of this account; CloudWatch sends
  # aws:SourceAccount, which pins use to this account's alarms.
  dynamic "statement" {
    for_each = each.key == "sns" ? [1] : []
    content {
      sid       = "CloudWatchAlarmsPublish"
      effect    = "Allow"
      actions   = ["kms:Decrypt", "kms:GenerateDataKey*"]
      resources = ["*"]
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
  }

  # AWS Budgets and Cost Anomaly Detection (95-cost) alert through the encrypted alarm topic; both
  # send aws:SourceAccount, which pins use to this account's budgets and monitors.
  dynamic "statement" {
    for_each = each.key == "sns" ? [1] : []
    content {
      sid       = "CostAlertsPublish"
      effect    = "Allow"
      actions   = ["kms:Decrypt", "kms:GenerateDataKey*"]
      resources = ["*"]
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
  }

  # EventBridge rules publish to encrypted topics of this account. No aws:SourceAccount /
  # aws:SourceArn / aws:SourceOrgID here: the SNS developer guide (key management, "Enable
  # compatibility between event sources from AWS services and encrypted topics") states that
  # these keys in a KMS key policy are not supported for EventBridge-to-encrypted topics, so a
  # source condition makes every delivery fail. Which rules may publish is decided by the topic
  # policy (sns:Publish for events.amazonaws.com with aws:SourceArn = the rule), not here.
  dynamic "statement" {
    for_each = each.key == "sns" ? [1] : []
    content {
      sid       = "EventBridgeRulesPublish"
      effect    = "Allow"
      actions   = ["kms:Decrypt", "kms:GenerateDataKey*"]
      resources = ["*"]
      principals {
        type        = "Service"
        identifiers = ["events.amazonaws.com"]
      }
    }
  }
}

resource "aws_kms_key" "this" {
  for_each = var.purposes

  description         = "${module.naming.name_prefix}: ${local.descriptions[each.key]}"
  key_usage           = "ENCRYPT_DECRYPT"
  enable_key_rotation = true
  # 365 days is the AWS default period: leave it unset then (the attribute is optional and
  # computed, so the provider adopts what KMS reports and no period is sent). Moto reports no
  # RotationPeriodInDays at all, which would otherwise show as a diff on every plan.
  rotation_period_in_days = var.rotation_period_in_days == 365 ? null : var.rotation_period_in_days
  deletion_window_in_days = var.deletion_window_in_days
  policy                  = data.aws_iam_policy_document.key[each.key].json

  tags = merge(var.tags, { Name = "${module.naming.name_prefix}-${each.key}", Purpose = each.key })
}

resource "aws_kms_alias" "this" {
  for_each = var.purposes

  name          = module.naming.kms_alias_names[each.key]
  target_key_id = aws_kms_key.this[each.key].key_id
}
