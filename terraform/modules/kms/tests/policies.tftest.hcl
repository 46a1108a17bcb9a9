# Plan-only checks of the key policies (issue 12: EKS secrets key, SNS publishers below), rendered by the real aws_iam_policy_document (no AWS
# calls: the provider skips credential checks and the two identity data sources are overridden).
provider "aws" {
  region                      = "ap-northeast-2"
  access_key                  = "mock"
  secret_key                  = "mock"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
}

override_data {
  target = data.aws_caller_identity.current
  values = { account_id = "111111111111", arn = "arn:aws:iam::111111111111:root", user_id = "111111111111" }
}

override_data {
  target = data.aws_partition.current
  values = { partition = "aws", dns_suffix = "amazonaws.com" }
}

# The service-linked role's ARN is known only after it is created; a plan-time value stands in.
override_resource {
  target = aws_iam_service_linked_role.autoscaling
  values = { arn = "arn:aws:iam::111111111111:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling" }
}

variables {
  environment = "eks-prod"
  region      = "ap-northeast-2"
}

run "keys_and_policies" {
  command = plan

  assert {
    condition     = length(aws_kms_key.this) == 8 && alltrue([for k in values(aws_kms_key.this) : k.enable_key_rotation && k.deletion_window_in_days == 30])
    error_message = "Eight keys, rotation on, 30-day deletion window."
  }
  assert {
    condition     = aws_kms_alias.this["logs"].name == "alias/orch-eks-prod/logs"
    error_message = "Aliases come from the naming module."
  }
  assert {
    condition = alltrue([for p, d in data.aws_iam_policy_document.key : alltrue([
      for s in jsondecode(d.json).Statement : !contains(flatten([s.Action]), "kms:Decrypt") && !contains(flatten([s.Action]), "kms:CreateGrant") && !contains(flatten([s.Action]), "kms:*")
      if s.Sid == "KeyAdministrationByAccount"
    ])])
    error_message = "The account root administers keys but cannot use them or grant use."
  }
  assert {
    condition = alltrue([for p in ["eks", "ebs", "rds", "elasticache", "sns", "efs", "s3"] : contains(
      flatten([for s in jsondecode(data.aws_iam_policy_document.key[p].json).Statement : [s.Condition.StringEquals["kms:ViaService"]] if s.Sid == "UseViaService"]),
      "${p == "ebs" ? "ec2" : p == "efs" ? "elasticfilesystem" : p}.ap-northeast-2.amazonaws.com"
    )])
    error_message = "Data use goes through the owning service only (kms:ViaService)."
  }
  assert {
    condition = alltrue([for p in ["eks", "ebs", "rds", "elasticache", "sns", "efs", "s3"] : contains(
      flatten([for s in jsondecode(data.aws_iam_policy_document.key[p].json).Statement : [s.Condition.StringEquals["kms:ViaService"]] if s.Sid == "UseViaService"]),
      "secretsmanager.ap-northeast-2.amazonaws.com"
    ) == contains(["rds", "elasticache"], p)])
    error_message = "Secrets Manager may use the rds key (RDS-managed master secret) and the elasticache key (AUTH token secret), and no other key."
  }
  assert {
    condition = one([
      for s in jsondecode(data.aws_iam_policy_document.key["logs"].json).Statement :
      s.Principal.Service == "logs.ap-northeast-2.amazonaws.com" && s.Condition.ArnLike["kms:EncryptionContext:aws:logs:arn"] == "arn:aws:logs:ap-northeast-2:111111111111:log-group:*"
      if s.Sid == "CloudWatchLogs"
    ])
    error_message = "CloudWatch Logs may use the logs key only for log groups of this account and region."
  }
  assert {
    condition     = length([for s in jsondecode(data.aws_iam_policy_document.key["logs"].json).Statement : s if s.Sid == "UseViaService"]) == 0
    error_message = "The logs key has no generic via-service statement."
  }
  assert {
    condition     = strcontains(data.aws_iam_policy_document.key["ebs"].json, "role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling")
    error_message = "The EBS key lets the Auto Scaling service-linked role launch encrypted volumes."
  }
}

# Issue 12, item 11: the EKS control plane encrypts Kubernetes secrets with the cluster role's own
# session (API server start-up, KEK rotation, health checks), not on behalf of a caller through the
# EKS API, so a key usable only with kms:ViaService = eks.<region>.amazonaws.com can fail those
# calls. The eks key names the cluster role (by aws:PrincipalArn: it does not exist yet when the key
# is created) for exactly the actions its IAM policy has. Plan-only.
run "cluster_role_uses_the_eks_key_directly" {
  command = plan

  assert {
    condition = length([
      for s in jsondecode(data.aws_iam_policy_document.key["eks"].json).Statement : s
      if !can(s.Condition.StringEquals["kms:ViaService"]) && contains(flatten([s.Action]), "kms:Encrypt") &&
      s.Principal.AWS == "arn:aws:iam::111111111111:root" &&
      try(s.Condition.ArnEquals["aws:PrincipalArn"], "") == "arn:aws:iam::111111111111:role/orch-eks-prod-cluster" &&
      toset(flatten([s.Action])) == toset(["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:ListGrants"])
    ]) == 1
    error_message = "The eks key must let the cluster role (orch-eks-prod-cluster, by aws:PrincipalArn) Encrypt/Decrypt/DescribeKey/ListGrants without kms:ViaService."
  }
  assert {
    condition = alltrue([
      for p, d in data.aws_iam_policy_document.key : !strcontains(d.json, "orch-eks-prod-cluster") if p != "eks"
    ])
    error_message = "Only the eks key names the cluster role."
  }
}

run "cluster_role_name_override" {
  command = plan

  variables {
    eks_cluster_role_name = "custom-eks-cluster"
  }

  assert {
    condition     = strcontains(data.aws_iam_policy_document.key["eks"].json, "arn:aws:iam::111111111111:role/custom-eks-cluster")
    error_message = "eks_cluster_role_name overrides the derived role name."
  }
}

# Issue 12, item 8: EventBridge does not send aws:SourceAccount / aws:SourceArn when it publishes to
# an encrypted SNS topic; the SNS developer guide says source condition keys in the KMS key policy
# are not supported for EventBridge-to-encrypted topics. A condition there drops every alarm routed
# through EventBridge. CloudWatch alarms keep their aws:SourceAccount condition. Plan-only.
run "eventbridge_without_source_conditions" {
  command = plan

  assert {
    condition = length([
      for s in jsondecode(data.aws_iam_policy_document.key["sns"].json).Statement : s
      if contains(flatten([try(s.Principal.Service, [])]), "events.amazonaws.com")
    ]) == 1
    error_message = "The sns key must let EventBridge (events.amazonaws.com) encrypt messages for topics."
  }
  assert {
    condition = alltrue([
      for s in jsondecode(data.aws_iam_policy_document.key["sns"].json).Statement :
      !can(s.Condition) && toset(flatten([s.Action])) == toset(["kms:Decrypt", "kms:GenerateDataKey*"])
      if contains(flatten([try(s.Principal.Service, [])]), "events.amazonaws.com")
    ])
    error_message = "The EventBridge statement must carry no aws:SourceAccount/aws:SourceArn condition (unsupported for EventBridge-to-encrypted topics: deliveries would fail) and only Decrypt + GenerateDataKey*."
  }
  assert {
    condition = length([
      for s in jsondecode(data.aws_iam_policy_document.key["sns"].json).Statement : s
      if contains(flatten([try(s.Principal.Service, [])]), "cloudwatch.amazonaws.com") &&
      try(s.Condition.StringEquals["aws:SourceAccount"], "") == "111111111111"
    ]) == 1
    error_message = "CloudWatch alarms keep the aws:SourceAccount condition (CloudWatch sends it)."
  }
}
