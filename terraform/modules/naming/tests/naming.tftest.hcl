variables {
  environment = "eks-prod"
  azs         = ["ap-northeast-2a", "ap-northeast-2c"]
  tags        = { Project = "orch-eks" }
}

run "derives_names" {
  command = plan

  assert {
    condition     = output.name_prefix == "orch-eks-prod" && output.cluster_name == "orch-eks-prod"
    error_message = "name_prefix must be <project>-<environment>."
  }
  assert {
    condition     = output.subnet_names.private["ap-northeast-2c"] == "orch-eks-prod-private-c"
    error_message = "Per-AZ names must end with the zone letter."
  }
  assert {
    condition     = output.kms_alias_names.logs == "alias/orch-eks-prod/logs" && length(output.kms_alias_names) == 8
    error_message = "One alias per KMS purpose."
  }
  assert {
    condition     = output.tags["orch:environment"] == "eks-prod" && output.tags.Project == "orch-eks"
    error_message = "Tags must keep the environment's tags."
  }
}

run "prefix_override" {
  command = plan
  variables {
    name_prefix = "acme-stg"
  }
  assert {
    condition     = output.names.vpc == "acme-stg-vpc"
    error_message = "An explicit name_prefix wins."
  }
}

run "rejects_bad_environment" {
  command = plan
  variables {
    environment = "EKS_Prod"
  }
  expect_failures = [var.environment]
}
