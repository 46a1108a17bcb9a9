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
