# Issue 14: the AWS Backup service role comes from the iam-role module (moved from the hand-written
# aws_iam_role.backup, not replaced). Its trust policy must be the one the hand-written role had,
# Sid included, or every deployed vault would see an in-place change. Plan-only: the AWS provider is
# real but never called (account, partition and region are overridden) so that the policies render.
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

override_data {
  target = data.aws_region.current
  values = { region = "ap-northeast-2", name = "ap-northeast-2" }
}

variables {
  name_prefix = "orch-eks-prod"
  resource_arns = {
    aurora = "arn:aws:rds:ap-northeast-2:111111111111:cluster:orch-eks-prod-aurora"
  }
}

run "service_role_trust_is_unchanged" {
  command = plan

  assert {
    condition = jsondecode(module.service_role.assume_role_policy) == {
      Version = "2012-10-17"
      Statement = [{
        Sid       = "BackupAssumes"
        Effect    = "Allow"
        Action    = "sts:AssumeRole"
        Principal = { Service = "backup.amazonaws.com" }
        Condition = { StringEquals = { "aws:SourceAccount" = "111111111111" } }
      }]
    }
    error_message = "Only AWS Backup, for this account's jobs, may assume the service role (Sid as before)."
  }
  assert {
    condition     = module.service_role.name == "orch-eks-prod-backup"
    error_message = "The role keeps its name, so the moved block applies in place."
  }
}
