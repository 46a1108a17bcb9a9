# Issue 12, item 7: aws:MultiFactorAuthPresent is never present in IAM Identity Center (SSO) role
# sessions, so a trust statement requiring it locks SSO users out of the execution, EKS admin and
# developer roles. SSO permission-set roles (AWSReservedSSO_* under aws-reserved/sso.amazonaws.com/)
# get their own statement matched by aws:PrincipalArn; IAM users keep the MFA condition.
# Plan-only: the real aws_iam_policy_document renders the policies, no AWS call is made.
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

variables {
  admin_principal_arns = [
    "arn:aws:iam::111111111111:user/alice",
    "arn:aws:iam::111111111111:role/aws-reserved/sso.amazonaws.com/ap-northeast-2/AWSReservedSSO_PlatformAdmin_*",
  ]
  developer_principal_arns = [
    "arn:aws:iam::111111111111:role/aws-reserved/sso.amazonaws.com/*/AWSReservedSSO_Developer_*",
  ]
}

run "sso_sessions_trusted_without_the_mfa_key" {
  command = plan

  assert {
    condition = alltrue([
      for doc, sso in {
        (data.aws_iam_policy_document.execution_trust.json)          = "arn:aws:iam::111111111111:role/aws-reserved/sso.amazonaws.com/ap-northeast-2/AWSReservedSSO_PlatformAdmin_*"
        (data.aws_iam_policy_document.human_trust["admin"].json)     = "arn:aws:iam::111111111111:role/aws-reserved/sso.amazonaws.com/ap-northeast-2/AWSReservedSSO_PlatformAdmin_*"
        (data.aws_iam_policy_document.human_trust["developer"].json) = "arn:aws:iam::111111111111:role/aws-reserved/sso.amazonaws.com/*/AWSReservedSSO_Developer_*"
        } : length([
          for s in jsondecode(doc).Statement : s
          if contains(flatten([try(s.Condition.ArnLike["aws:PrincipalArn"], [])]), sso) &&
          flatten([s.Principal.AWS]) == ["arn:aws:iam::111111111111:root"] &&
          !can(s.Condition.Bool["aws:MultiFactorAuthPresent"])
      ]) == 1
    ])
    error_message = "Each trust policy must let its Identity Center role (aws:PrincipalArn ArnLike the AWSReservedSSO_* ARN) assume it without aws:MultiFactorAuthPresent, which SSO sessions never carry."
  }
  assert {
    condition = alltrue([
      for doc in [data.aws_iam_policy_document.execution_trust.json, data.aws_iam_policy_document.human_trust["admin"].json, data.aws_iam_policy_document.human_trust["developer"].json] :
      alltrue([for s in jsondecode(doc).Statement : !anytrue([for p in flatten([s.Principal.AWS]) : strcontains(p, "aws-reserved")])])
    ])
    error_message = "An SSO role is never a Principal itself (wildcards are not allowed there, and it would be MFA-gated)."
  }
  assert {
    condition = alltrue([
      for doc in [data.aws_iam_policy_document.execution_trust.json, data.aws_iam_policy_document.human_trust["admin"].json] :
      length([
        for s in jsondecode(doc).Statement : s
        if flatten([s.Principal.AWS]) == ["arn:aws:iam::111111111111:user/alice"] && try(s.Condition.Bool["aws:MultiFactorAuthPresent"], "") == "true"
      ]) == 1
    ])
    error_message = "IAM users keep the MFA condition (the SSO statement must not weaken it)."
  }
}

run "iam_principals_only_unchanged" {
  command = plan

  variables {
    admin_principal_arns     = ["arn:aws:iam::111111111111:root"]
    developer_principal_arns = []
  }

  assert {
    condition = alltrue([for s in jsondecode(data.aws_iam_policy_document.human_trust["admin"].json).Statement :
    try(s.Condition.Bool["aws:MultiFactorAuthPresent"], "") == "true"])
    error_message = "Without SSO principals every human statement requires MFA."
  }
  assert {
    condition     = !strcontains(data.aws_iam_policy_document.execution_trust.json, "aws:PrincipalArn")
    error_message = "No SSO statement without SSO principals."
  }
}

run "wildcards_only_for_sso_roles" {
  command = plan

  variables {
    admin_principal_arns = ["arn:aws:iam::111111111111:user/*"]
  }

  expect_failures = [var.admin_principal_arns]
}

run "sso_entries_must_be_reserved_sso_roles" {
  command = plan

  variables {
    developer_principal_arns = ["arn:aws:iam::111111111111:role/aws-reserved/sso.amazonaws.com/SomethingElse"]
  }

  expect_failures = [var.developer_principal_arns]
}
