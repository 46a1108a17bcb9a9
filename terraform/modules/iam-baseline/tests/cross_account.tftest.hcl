# Issue 19: in the multi-account model the execution role of each environment account is assumable
# only by the shared-services CI role (env.yaml execution_role.trusted_ci_role_arn); unset, the trust
# stays as before (this account's CI role and the admins). Plan-only, policies rendered for real.
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
    "arn:aws:iam::111111111111:root",
    "arn:aws:iam::111111111111:role/aws-reserved/sso.amazonaws.com/*/AWSReservedSSO_Admin_*",
  ]
}

run "unset_keeps_the_local_ci_role_and_the_admins" {
  command = plan

  assert {
    condition = toset([for s in jsondecode(aws_iam_role.execution.assume_role_policy).Statement : s.Sid]) == toset([
      "CiAssumes", "AdminsAssume", "AdminsAssumeViaIdentityCenter",
    ])
    error_message = "Without a shared-services CI role the execution role trusts this account's CI role and the admins."
  }
  assert {
    condition     = one([for s in jsondecode(aws_iam_role.execution.assume_role_policy).Statement : s.Principal.AWS if s.Sid == "CiAssumes"]) == "arn:aws:iam::111111111111:role/orch-ci"
    error_message = "The CI statement names this account's orch-ci role."
  }
}

run "shared_services_ci_role_alone" {
  command = plan

  variables {
    execution_role_ci_principal_arn = "arn:aws:iam::333333333333:role/jenkins-agent"
    external_id                     = "orch-eks-prod"
  }

  assert {
    condition     = length(jsondecode(aws_iam_role.execution.assume_role_policy).Statement) == 1
    error_message = "The execution role has exactly one trusted principal: the shared-services CI role."
  }
  assert {
    condition = (
      jsondecode(aws_iam_role.execution.assume_role_policy).Statement[0].Sid == "SharedServicesCiAssumes" &&
      jsondecode(aws_iam_role.execution.assume_role_policy).Statement[0].Principal.AWS == "arn:aws:iam::333333333333:role/jenkins-agent"
    )
    error_message = "The trusted principal is the shared-services CI role, not an account root or this account's CI role."
  }
  assert {
    condition     = jsondecode(aws_iam_role.execution.assume_role_policy).Statement[0].Condition.StringEquals["sts:ExternalId"] == "orch-eks-prod"
    error_message = "The external id still applies to the cross-account assumption."
  }
  assert {
    condition     = aws_iam_role.eks_admin.name == "orch-eks-admin" && aws_iam_role.ci.name == "orch-ci"
    error_message = "The human roles and this account's CI role (EKS view access) remain."
  }
}

run "not_a_role_arn" {
  command = plan
  variables {
    execution_role_ci_principal_arn = "arn:aws:iam::333333333333:root"
  }
  expect_failures = [var.execution_role_ci_principal_arn]
}
