# Trust-policy logic; data.aws_iam_policy_document renders locally, nothing is called.
provider "aws" {
  region                      = "ap-northeast-2"
  access_key                  = "test"
  secret_key                  = "test"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
}

run "irsa_trust_is_scoped_to_service_account" {
  command = plan

  variables {
    name              = "test-irsa"
    oidc_provider_arn = "arn:aws:iam::111111111111:oidc-provider/oidc.eks.ap-northeast-2.amazonaws.com/id/ABC"
    oidc_subjects     = ["kube-system:aws-node"]
  }

  assert {
    condition     = jsondecode(output.assume_role_policy).Statement[0].Action == "sts:AssumeRoleWithWebIdentity"
    error_message = "IRSA trust must use sts:AssumeRoleWithWebIdentity."
  }
  assert {
    condition = jsondecode(output.assume_role_policy).Statement[0].Condition.StringEquals == {
      "oidc.eks.ap-northeast-2.amazonaws.com/id/ABC:aud" = "sts.amazonaws.com"
      "oidc.eks.ap-northeast-2.amazonaws.com/id/ABC:sub" = "system:serviceaccount:kube-system:aws-node"
    }
    error_message = "IRSA trust must pin audience and service account."
  }
}

run "service_trust" {
  command = plan

  variables {
    name             = "test-service"
    trusted_services = ["eks.amazonaws.com"]
  }

  assert {
    condition     = jsondecode(output.assume_role_policy).Statement[0].Principal.Service == "eks.amazonaws.com"
    error_message = "Service trust must name the service principal."
  }
}

run "no_trust_is_refused" {
  command = plan

  variables {
    name = "test-none"
  }

  expect_failures = [aws_iam_role.this]
}

run "wildcard_subject_is_refused" {
  command = plan

  variables {
    name              = "test-wild"
    oidc_provider_arn = "arn:aws:iam::111111111111:oidc-provider/oidc.eks.ap-northeast-2.amazonaws.com/id/ABC"
    oidc_subjects     = ["kube-system:*"]
  }

  expect_failures = [var.oidc_subjects]
}

# A service trust limited against the confused deputy, with the Sid a hand-written role had
# (vpc's flow logs role moved into this module keeps its trust policy unchanged).
run "service_trust_with_conditions_and_sid" {
  command = plan

  variables {
    name             = "test-flow-logs"
    trusted_services = ["vpc-flow-logs.amazonaws.com"]
    trusted_services_conditions = [
      { test = "StringEquals", variable = "aws:SourceAccount", values = ["111111111111"] },
      { test = "ArnLike", variable = "aws:SourceArn", values = ["arn:aws:ec2:ap-northeast-2:111111111111:vpc-flow-log/*"] },
    ]
    trust_statement_sids = { services = "VpcFlowLogsDelivery" }
  }

  assert {
    condition = jsondecode(output.assume_role_policy).Statement == [{
      Sid       = "VpcFlowLogsDelivery"
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "vpc-flow-logs.amazonaws.com" }
      Condition = {
        StringEquals = { "aws:SourceAccount" = "111111111111" }
        ArnLike      = { "aws:SourceArn" = "arn:aws:ec2:ap-northeast-2:111111111111:vpc-flow-log/*" }
      }
    }]
    error_message = "The service statement must carry the conditions and the given Sid."
  }
}

run "default_sids" {
  command = plan

  variables {
    name              = "test-both"
    trusted_services  = ["ec2.amazonaws.com"]
    oidc_provider_arn = "arn:aws:iam::111111111111:oidc-provider/oidc.eks.ap-northeast-2.amazonaws.com/id/ABC"
    oidc_subjects     = ["kube-system:aws-node"]
  }

  assert {
    condition     = [for s in jsondecode(output.assume_role_policy).Statement : s.Sid] == ["TrustServices", "TrustServiceAccounts"]
    error_message = "Without trust_statement_sids the statements keep their default Sids."
  }
}

run "conditions_without_services_are_refused" {
  command = plan

  variables {
    name              = "test-conditions"
    oidc_provider_arn = "arn:aws:iam::111111111111:oidc-provider/oidc.eks.ap-northeast-2.amazonaws.com/id/ABC"
    oidc_subjects     = ["kube-system:aws-node"]
    trusted_services_conditions = [
      { test = "StringEquals", variable = "aws:SourceAccount", values = ["111111111111"] },
    ]
  }

  expect_failures = [aws_iam_role.this]
}

run "condition_without_values_is_refused" {
  command = plan

  variables {
    name             = "test-empty-condition"
    trusted_services = ["ec2.amazonaws.com"]
    trusted_services_conditions = [
      { test = "StringEquals", variable = "aws:SourceAccount", values = [] },
    ]
  }

  expect_failures = [var.trusted_services_conditions]
}

run "sid_must_be_alphanumeric" {
  command = plan

  variables {
    name                 = "test-sid"
    trusted_services     = ["ec2.amazonaws.com"]
    trust_statement_sids = { services = "not a sid" }
  }

  expect_failures = [var.trust_statement_sids]
}
