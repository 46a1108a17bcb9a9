# Issue 18 (Phase 5): interface endpoints for the services the platform calls from private subnets
# (Secrets Manager, KMS, EKS, EKS Auth, EFS, CloudWatch metrics besides the existing ones), private
# DNS, in the private subnets behind the 443-from-VPC security group, each with a policy limited to
# this account. Plan-only: the AWS provider is real but never called (account and partition are
# overridden) so that aws_iam_policy_document renders the actual policies.
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
  environment          = "eks-prod"
  region               = "ap-northeast-2"
  azs                  = ["ap-northeast-2a", "ap-northeast-2c"]
  flow_log_kms_key_arn = "arn:aws:kms:ap-northeast-2:111111111111:key/00000000-0000-0000-0000-000000000000"
}

run "interface_endpoints" {
  command = plan

  assert {
    condition = toset(keys(aws_vpc_endpoint.interface)) == toset([
      "ecr.api", "ecr.dkr", "sts", "logs", "ec2", "elasticloadbalancing", "autoscaling", "ssm", "ssmmessages",
      "ec2messages", "secretsmanager", "kms", "eks", "eks-auth", "elasticfilesystem", "monitoring",
    ])
    error_message = "The platform's services must have interface endpoints (Phase 5 adds secretsmanager, kms, eks, eks-auth, elasticfilesystem, monitoring)."
  }
  assert {
    condition = alltrue([for s, e in aws_vpc_endpoint.interface : (
      e.service_name == "com.amazonaws.ap-northeast-2.${s}" && e.vpc_endpoint_type == "Interface" && e.private_dns_enabled
    )])
    error_message = "Every interface endpoint has private DNS, so SDKs reach it under the service's own name."
  }
}

run "endpoint_policies_this_account_only" {
  command = plan

  assert {
    condition = alltrue([for s, e in aws_vpc_endpoint.interface : (
      jsondecode(e.policy) == jsondecode(data.aws_iam_policy_document.endpoint[s].json)
    )])
    error_message = "Every interface endpoint carries its policy."
  }
  assert {
    condition = alltrue([for s, d in data.aws_iam_policy_document.endpoint : anytrue([
      for st in jsondecode(d.json).Statement : st.Sid == "OnlyThisAccountsPrincipals" && st.Principal == "*" && st.Action == "*" &&
      st.Condition.StringEquals["aws:PrincipalAccount"] == "111111111111"
    ])])
    error_message = "Only principals of this account may use an endpoint."
  }
  assert {
    condition = alltrue([for s in ["secretsmanager", "kms", "logs", "monitoring", "elasticfilesystem", "eks", "eks-auth"] : (
      jsondecode(data.aws_iam_policy_document.endpoint[s].json).Statement[0].Condition.StringEqualsIfExists["aws:ResourceAccount"] == "111111111111"
    )])
    error_message = "The data services' endpoints reach only this account's resources."
  }
  assert {
    condition = alltrue([for s in ["ecr.api", "ecr.dkr", "ec2", "ssm"] : (
      !can(jsondecode(data.aws_iam_policy_document.endpoint[s].json).Statement[0].Condition.StringEqualsIfExists)
    )])
    error_message = "ECR, EC2 and SSM must still serve AWS-owned images, AMIs and parameters."
  }
  assert {
    condition = anytrue([for st in jsondecode(data.aws_iam_policy_document.endpoint["sts"].json).Statement : (
      st.Sid == "WebIdentityIntoThisAccountsRoles" && st.Action == "sts:AssumeRoleWithWebIdentity" && st.Resource == "arn:aws:iam::111111111111:role/*"
    )])
    error_message = "IRSA's unsigned AssumeRoleWithWebIdentity (no principal account) must work, into this account's roles only."
  }
  assert {
    condition     = output.interface_endpoint_policies["kms"] == data.aws_iam_policy_document.endpoint["kms"].json
    error_message = "The policies are an output (read back by tests/e2e)."
  }
}

run "resource_restriction_refused_for_aws_owned_resources" {
  command = plan

  variables {
    endpoint_resource_account_services = ["ecr.dkr"]
  }

  expect_failures = [var.endpoint_resource_account_services]
}
