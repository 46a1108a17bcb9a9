# Issue 12, item 8: EventBridge does not send aws:SourceAccount / aws:SourceArn when it publishes to
# an encrypted SNS topic; the SNS developer guide says source condition keys in the KMS key policy
# are not supported for EventBridge-to-encrypted topics. A condition there drops every alarm routed
# through EventBridge. CloudWatch alarms keep their aws:SourceAccount condition. Plan-only.
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
