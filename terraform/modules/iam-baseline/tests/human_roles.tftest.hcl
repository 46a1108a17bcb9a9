# Issue 18 (Phase 5): the developer and audit roles exist when env.yaml's `iam:` block lists their
# principals, and every human role is trusted alike: IAM principals only with MFA, Identity Center
# permission sets by aws:PrincipalArn. The audit role used to trust its principals without MFA.
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
  admin_principal_arns     = ["arn:aws:iam::111111111111:root"]
  developer_principal_arns = ["arn:aws:iam::111111111111:role/aws-reserved/sso.amazonaws.com/*/AWSReservedSSO_Developer_*"]
  audit_principal_arns = [
    "arn:aws:iam::222222222222:role/aws-reserved/sso.amazonaws.com/*/AWSReservedSSO_SecurityAudit_*",
    "arn:aws:iam::222222222222:user/auditor",
  ]
}

run "developer_and_audit_roles_from_principals" {
  command = plan

  assert {
    condition     = aws_iam_role.developer[0].name == "orch-developer-readonly" && aws_iam_role.audit[0].name == "orch-audit-readonly"
    error_message = "Listed developer and audit principals must create both roles."
  }
  assert {
    condition     = aws_iam_role_policy_attachment.developer[0].policy_arn == "arn:aws:iam::aws:policy/ReadOnlyAccess"
    error_message = "Developers are read-only in AWS (their write access is Kubernetes-side, in their namespaces)."
  }
  assert {
    condition     = toset([for a in aws_iam_role_policy_attachment.audit : a.policy_arn]) == toset(["arn:aws:iam::aws:policy/SecurityAudit", "arn:aws:iam::aws:policy/ReadOnlyAccess"])
    error_message = "Auditors get SecurityAudit and ReadOnlyAccess, nothing that writes."
  }
  assert {
    condition     = jsondecode(aws_iam_role.audit[0].assume_role_policy) == jsondecode(data.aws_iam_policy_document.human_trust["audit"].json)
    error_message = "The audit role must use the human trust policy (MFA / Identity Center), like the other human roles."
  }
  assert {
    condition = length([
      for s in jsondecode(data.aws_iam_policy_document.human_trust["audit"].json).Statement : s
      if flatten([s.Principal.AWS]) == ["arn:aws:iam::222222222222:user/auditor"] && try(s.Condition.Bool["aws:MultiFactorAuthPresent"], "") == "true"
    ]) == 1
    error_message = "An IAM auditor may assume the audit role only with MFA."
  }
  assert {
    condition = length([
      for s in jsondecode(data.aws_iam_policy_document.human_trust["audit"].json).Statement : s
      if flatten([s.Principal.AWS]) == ["arn:aws:iam::222222222222:root"] &&
      contains(flatten([try(s.Condition.ArnLike["aws:PrincipalArn"], [])]), "arn:aws:iam::222222222222:role/aws-reserved/sso.amazonaws.com/*/AWSReservedSSO_SecurityAudit_*") &&
      !can(s.Condition.Bool["aws:MultiFactorAuthPresent"])
    ]) == 1
    error_message = "The Audit account's Identity Center permission set must be trusted by aws:PrincipalArn (its root as Principal, no MFA key)."
  }
  assert {
    condition     = alltrue([for s in jsondecode(data.aws_iam_policy_document.human_trust["developer"].json).Statement : !contains(flatten([s.Principal.AWS]), "*")])
    error_message = "No human trust statement may name every principal."
  }
}

run "no_principals_no_roles" {
  command = plan

  variables {
    developer_principal_arns = []
    audit_principal_arns     = []
  }

  assert {
    condition     = length(aws_iam_role.developer) == 0 && length(aws_iam_role.audit) == 0 && length(aws_iam_role_policy_attachment.audit) == 0
    error_message = "Without principals there is no developer or audit role."
  }
  assert {
    condition     = output.developer_role_arn == null && output.audit_role_arn == null
    error_message = "The role outputs are null when the roles do not exist."
  }
}

run "audit_wildcards_only_for_sso_roles" {
  command = plan

  variables {
    audit_principal_arns = ["arn:aws:iam::222222222222:role/*"]
  }

  expect_failures = [var.audit_principal_arns]
}
