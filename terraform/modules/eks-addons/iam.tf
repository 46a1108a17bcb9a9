# Least-privilege policies for the controllers. Each is bound to exactly one namespace /
# service account through IRSA (see local.irsa_roles in main.tf).
data "aws_partition" "current" {}
data "aws_caller_identity" "current" {}

locals {
  partition  = data.aws_partition.current.partition
  account_id = data.aws_caller_identity.current.account_id
  elb_arn    = "arn:${local.partition}:elasticloadbalancing:${var.region}:${local.account_id}"
  ec2_arn    = "arn:${local.partition}:ec2:${var.region}:${local.account_id}"
  lbc_tag    = "elbv2.k8s.aws/cluster"
}

# ---------------------------------------------------------------------------------------
# EBS CSI driver: the AWS managed policy plus use of the customer-managed EBS key.
# ---------------------------------------------------------------------------------------
data "aws_iam_policy_document" "ebs_csi_kms" {
  statement {
    sid       = "GrantsForAttachedVolumes"
    effect    = "Allow"
    actions   = ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"]
    resources = [var.ebs_kms_key_arn]
    condition {
      test     = "Bool"
      variable = "kms:GrantIsForAWSResource"
      values   = ["true"]
    }
  }
  statement {
    sid       = "UseEbsKey"
    effect    = "Allow"
    actions   = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"]
    resources = [var.ebs_kms_key_arn]
  }
}

# ---------------------------------------------------------------------------------------
# AWS Load Balancer Controller (follows the controller's published policy; every
# mutating call is limited to resources tagged elbv2.k8s.aws/cluster)
# ---------------------------------------------------------------------------------------
data "aws_iam_policy_document" "load_balancer_controller" {
  #checkov:skip=CKV_AWS_356:Describe/List calls and CreateSecurityGroup/CreateListener cannot be scoped to ARNs; mutations are limited by tag conditions below.
  #checkov:skip=CKV_AWS_111:Write actions on "*" are constrained by aws:ResourceTag/aws:RequestTag elbv2.k8s.aws/cluster conditions, as in the controller's published policy.
  #checkov:skip=CKV_AWS_109:iam:CreateServiceLinkedRole is limited to elasticloadbalancing.amazonaws.com by condition.
  statement {
    sid       = "ServiceLinkedRole"
    effect    = "Allow"
    actions   = ["iam:CreateServiceLinkedRole"]
    resources = ["*"]
    condition {
      test     = "StringEquals"
      variable = "iam:AWSServiceName"
      values   = ["elasticloadbalancing.amazonaws.com"]
    }
  }

  statement {
    sid    = "Describe"
    effect = "Allow"
    actions = [
      "ec2:DescribeAccountAttributes", "ec2:DescribeAddresses", "ec2:DescribeAvailabilityZones",
      "ec2:DescribeInternetGateways", "ec2:DescribeVpcs", "ec2:DescribeVpcPeeringConnections",
      "ec2:DescribeSubnets", "ec2:DescribeSecurityGroups", "ec2:DescribeInstances",
      "ec2:DescribeNetworkInterfaces", "ec2:DescribeTags", "ec2:DescribeRouteTables",
      "ec2:GetCoipPoolUsage", "ec2:DescribeCoipPools", "ec2:GetSecurityGroupsForVpc", "ec2:DescribeIpamPools",
      "elasticloadbalancing:DescribeLoadBalancers", "elasticloadbalancing:DescribeLoadBalancerAttributes",
      "elasticloadbalancing:DescribeListeners", "elasticloadbalancing:DescribeListenerCertificates",
      "elasticloadbalancing:DescribeListenerAttributes", "elasticloadbalancing:DescribeSSLPolicies",
      "elasticloadbalancing:DescribeRules", "elasticloadbalancing:DescribeTargetGroups",
      "elasticloadbalancing:DescribeTargetGroupAttributes", "elasticloadbalancing:DescribeTargetHealth",
      "elasticloadbalancing:DescribeTags", "elasticloadbalancing:DescribeTrustStores",
      "elasticloadbalancing:DescribeCapacityReservation",
    ]
    resources = ["*"]
  }

  statement {
    sid    = "Integrations"
    effect = "Allow"
    actions = [
      "cognito-idp:DescribeUserPoolClient", "acm:ListCertificates", "acm:DescribeCertificate",
      "iam:ListServerCertificates", "iam:GetServerCertificate",
      "waf-regional:GetWebACL", "waf-regional:GetWebACLForResource", "waf-regional:AssociateWebACL",
      "waf-regional:DisassociateWebACL", "wafv2:GetWebACL", "wafv2:GetWebACLForResource",
      "wafv2:AssociateWebACL", "wafv2:DisassociateWebACL",
      "shield:GetSubscriptionState", "shield:DescribeProtection", "shield:CreateProtection", "shield:DeleteProtection",
    ]
    resources = ["*"]
  }

  statement {
    sid       = "CreateSecurityGroup"
    effect    = "Allow"
    actions   = ["ec2:CreateSecurityGroup"]
    resources = ["*"]
  }

  statement {
    sid       = "TagNewSecurityGroup"
    effect    = "Allow"
    actions   = ["ec2:CreateTags"]
    resources = ["${local.ec2_arn}:security-group/*"]
    condition {
      test     = "StringEquals"
      variable = "ec2:CreateAction"
      values   = ["CreateSecurityGroup"]
    }
    condition {
      test     = "Null"
      variable = "aws:RequestTag/${local.lbc_tag}"
      values   = ["false"]
    }
  }

  statement {
    sid       = "RetagOwnSecurityGroups"
    effect    = "Allow"
    actions   = ["ec2:CreateTags", "ec2:DeleteTags"]
    resources = ["${local.ec2_arn}:security-group/*"]
    condition {
      test     = "Null"
      variable = "aws:RequestTag/${local.lbc_tag}"
      values   = ["true"]
    }
    condition {
      test     = "Null"
      variable = "aws:ResourceTag/${local.lbc_tag}"
      values   = ["false"]
    }
  }

  statement {
    sid       = "ManageOwnSecurityGroups"
    effect    = "Allow"
    actions   = ["ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress", "ec2:DeleteSecurityGroup"]
    resources = ["*"]
    condition {
      test     = "Null"
      variable = "aws:ResourceTag/${local.lbc_tag}"
      values   = ["false"]
    }
  }

  # Node/pod security groups the controller opens to its load balancers (backend rules).
  statement {
    sid       = "BackendSecurityGroupRules"
    effect    = "Allow"
    actions   = ["ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress"]
    resources = ["${local.ec2_arn}:security-group/*"]
    condition {
      test     = "StringEquals"
      variable = "ec2:Vpc"
      values   = ["${local.ec2_arn}:vpc/${var.vpc_id}"]
    }
  }

  statement {
    sid       = "CreateTaggedLoadBalancers"
    effect    = "Allow"
    actions   = ["elasticloadbalancing:CreateLoadBalancer", "elasticloadbalancing:CreateTargetGroup"]
    resources = ["*"]
    condition {
      test     = "Null"
      variable = "aws:RequestTag/${local.lbc_tag}"
      values   = ["false"]
    }
  }

  statement {
    sid    = "ListenersAndRules"
    effect = "Allow"
    actions = [
      "elasticloadbalancing:CreateListener", "elasticloadbalancing:DeleteListener",
      "elasticloadbalancing:CreateRule", "elasticloadbalancing:DeleteRule",
    ]
    resources = ["*"]
  }

  statement {
    sid     = "RetagOwnLoadBalancers"
    effect  = "Allow"
    actions = ["elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"]
    resources = [
      "${local.elb_arn}:targetgroup/*/*",
      "${local.elb_arn}:loadbalancer/net/*/*",
      "${local.elb_arn}:loadbalancer/app/*/*",
    ]
    condition {
      test     = "Null"
      variable = "aws:RequestTag/${local.lbc_tag}"
      values   = ["true"]
    }
    condition {
      test     = "Null"
      variable = "aws:ResourceTag/${local.lbc_tag}"
      values   = ["false"]
    }
  }

  statement {
    sid     = "TagListenersAndRules"
    effect  = "Allow"
    actions = ["elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"]
    resources = [
      "${local.elb_arn}:listener/net/*/*/*",
      "${local.elb_arn}:listener/app/*/*/*",
      "${local.elb_arn}:listener-rule/net/*/*/*",
      "${local.elb_arn}:listener-rule/app/*/*/*",
    ]
  }

  statement {
    sid    = "ModifyOwnLoadBalancers"
    effect = "Allow"
    actions = [
      "elasticloadbalancing:ModifyLoadBalancerAttributes", "elasticloadbalancing:SetIpAddressType",
      "elasticloadbalancing:SetSecurityGroups", "elasticloadbalancing:SetSubnets",
      "elasticloadbalancing:DeleteLoadBalancer", "elasticloadbalancing:ModifyTargetGroup",
      "elasticloadbalancing:ModifyTargetGroupAttributes", "elasticloadbalancing:DeleteTargetGroup",
      "elasticloadbalancing:ModifyListenerAttributes", "elasticloadbalancing:ModifyCapacityReservation",
      "elasticloadbalancing:ModifyIpPools",
    ]
    resources = ["*"]
    condition {
      test     = "Null"
      variable = "aws:ResourceTag/${local.lbc_tag}"
      values   = ["false"]
    }
  }

  statement {
    sid     = "TagOnCreate"
    effect  = "Allow"
    actions = ["elasticloadbalancing:AddTags"]
    resources = [
      "${local.elb_arn}:targetgroup/*/*",
      "${local.elb_arn}:loadbalancer/net/*/*",
      "${local.elb_arn}:loadbalancer/app/*/*",
    ]
    condition {
      test     = "StringEquals"
      variable = "elasticloadbalancing:CreateAction"
      values   = ["CreateTargetGroup", "CreateLoadBalancer"]
    }
    condition {
      test     = "Null"
      variable = "aws:RequestTag/${local.lbc_tag}"
      values   = ["false"]
    }
  }

  statement {
    sid       = "Targets"
    effect    = "Allow"
    actions   = ["elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets"]
    resources = ["${local.elb_arn}:targetgroup/*/*"]
  }

  statement {
    sid    = "ListenerSettings"
    effect = "Allow"
    actions = [
      "elasticloadbalancing:SetWebAcl", "elasticloadbalancing:ModifyListener",
      "elasticloadbalancing:AddListenerCertificates", "elasticloadbalancing:RemoveListenerCertificates",
      "elasticloadbalancing:ModifyRule", "elasticloadbalancing:SetRulePriorities",
    ]
    resources = ["*"]
  }
}

# ---------------------------------------------------------------------------------------
# Cluster Autoscaler: read everywhere, scale only node groups tagged as owned by this cluster
# ---------------------------------------------------------------------------------------
data "aws_iam_policy_document" "cluster_autoscaler" {
  #checkov:skip=CKV_AWS_356:Describe calls of Auto Scaling and EC2 do not support resource-level permissions.
  #checkov:skip=CKV_AWS_111:SetDesiredCapacity/TerminateInstanceInAutoScalingGroup are limited by the k8s.io/cluster-autoscaler/<cluster> = owned resource tag.
  statement {
    sid    = "Discover"
    effect = "Allow"
    actions = [
      "autoscaling:DescribeAutoScalingGroups", "autoscaling:DescribeAutoScalingInstances",
      "autoscaling:DescribeLaunchConfigurations", "autoscaling:DescribeScalingActivities",
      "autoscaling:DescribeTags", "ec2:DescribeImages", "ec2:DescribeInstanceTypes",
      "ec2:DescribeLaunchTemplateVersions", "ec2:GetInstanceTypesFromInstanceRequirements",
    ]
    resources = ["*"]
  }

  statement {
    sid       = "NodegroupTemplates"
    effect    = "Allow"
    actions   = ["eks:DescribeNodegroup"]
    resources = ["arn:${local.partition}:eks:${var.region}:${local.account_id}:nodegroup/${var.cluster_name}/*/*"]
  }

  statement {
    sid       = "ScaleOwnedGroups"
    effect    = "Allow"
    actions   = ["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"]
    resources = ["*"]
    condition {
      test     = "StringEquals"
      variable = "aws:ResourceTag/k8s.io/cluster-autoscaler/${var.cluster_name}"
      values   = ["owned"]
    }
  }
}

# ---------------------------------------------------------------------------------------
# External DNS: change records only in the listed zones
# ---------------------------------------------------------------------------------------
data "aws_iam_policy_document" "external_dns" {
  #checkov:skip=CKV_AWS_356:route53:ListHostedZones and ListTagsForResources have no resource-level permissions.
  statement {
    sid       = "ListZones"
    effect    = "Allow"
    actions   = ["route53:ListHostedZones", "route53:ListTagsForResources", "route53:ListTagsForResource"]
    resources = ["*"]
  }

  dynamic "statement" {
    for_each = length(var.route53_zone_arns) > 0 ? [1] : []
    content {
      sid       = "ManageRecords"
      effect    = "Allow"
      actions   = ["route53:ChangeResourceRecordSets", "route53:ListResourceRecordSets"]
      resources = var.route53_zone_arns
    }
  }
}

# ---------------------------------------------------------------------------------------
# cert-manager (DNS-01): only _acme-challenge TXT records in the listed zones
# ---------------------------------------------------------------------------------------
data "aws_iam_policy_document" "cert_manager" {
  #checkov:skip=CKV_AWS_356:route53:ListHostedZonesByName has no resource-level permissions; GetChange is limited to change/*.
  statement {
    sid       = "FindZones"
    effect    = "Allow"
    actions   = ["route53:ListHostedZonesByName"]
    resources = ["*"]
  }

  statement {
    sid       = "WatchChanges"
    effect    = "Allow"
    actions   = ["route53:GetChange"]
    resources = ["arn:${local.partition}:route53:::change/*"]
  }

  dynamic "statement" {
    for_each = length(var.route53_zone_arns) > 0 ? [1] : []
    content {
      sid       = "AcmeChallengeRecords"
      effect    = "Allow"
      actions   = ["route53:ChangeResourceRecordSets"]
      resources = var.route53_zone_arns
      condition {
        test     = "ForAllValues:StringEquals"
        variable = "route53:ChangeResourceRecordSetsRecordTypes"
        values   = ["TXT"]
      }
      condition {
        test     = "ForAllValues:StringLike"
        variable = "route53:ChangeResourceRecordSetsNormalizedRecordNames"
        values   = ["_acme-challenge.*"]
      }
    }
  }

  dynamic "statement" {
    for_each = length(var.route53_zone_arns) > 0 ? [1] : []
    content {
      sid       = "ReadRecords"
      effect    = "Allow"
      actions   = ["route53:ListResourceRecordSets"]
      resources = var.route53_zone_arns
    }
  }
}

# ---------------------------------------------------------------------------------------
# External Secrets Operator: read this environment's secrets only, decrypt only through
# Secrets Manager and only with this environment's keys
# ---------------------------------------------------------------------------------------
locals {
  external_secrets_prefix = coalesce(var.external_secrets.secret_name_prefix, "${var.cluster_name}/")
  # Secrets named under the environment's prefix, plus individual secrets whose names the
  # environment does not choose (the RDS-managed master secret is rds!cluster-<uuid>).
  external_secrets_arns = distinct(concat(
    ["arn:${local.partition}:secretsmanager:${var.region}:${local.account_id}:secret:${local.external_secrets_prefix}*"],
    var.external_secrets.secret_arns,
    var.database_secret == null ? [] : [var.database_secret.secret_arn],
  ))
}

data "aws_iam_policy_document" "external_secrets" {
  statement {
    sid       = "ReadThisEnvironmentsSecrets"
    effect    = "Allow"
    actions   = ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret", "secretsmanager:ListSecretVersionIds"]
    resources = local.external_secrets_arns
  }

  # Secrets encrypted with a customer managed key need kms:Decrypt on it; only through Secrets
  # Manager, so the role cannot decrypt anything else those keys protect (RDS storage, snapshots).
  dynamic "statement" {
    for_each = length(var.external_secrets.kms_key_arns) > 0 ? [1] : []
    content {
      sid       = "DecryptThroughSecretsManager"
      effect    = "Allow"
      actions   = ["kms:Decrypt"]
      resources = var.external_secrets.kms_key_arns
      condition {
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = ["secretsmanager.${var.region}.amazonaws.com"]
      }
    }
  }
}
