# Issue 14: the flow-log delivery role comes from the iam-role module (moved from the hand-written
# aws_iam_role.flow_logs, not replaced). Its trust policy must be the one the hand-written role had,
# Sid included, or every deployed VPC would see an in-place change. Plan-only: the AWS provider is
# real but never called (account and partition are overridden) so that the policies render.
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

run "flow_logs_role_trust_is_unchanged" {
  command = plan

  assert {
    condition = jsondecode(module.flow_logs_role.assume_role_policy) == {
      Version = "2012-10-17"
      Statement = [{
        Sid       = "VpcFlowLogsDelivery"
        Effect    = "Allow"
        Action    = "sts:AssumeRole"
        Principal = { Service = "vpc-flow-logs.amazonaws.com" }
        Condition = {
          StringEquals = { "aws:SourceAccount" = "111111111111" }
          ArnLike      = { "aws:SourceArn" = "arn:aws:ec2:ap-northeast-2:111111111111:vpc-flow-log/*" }
        }
      }]
    }
    error_message = "Only the flow logs service, for this account's flow logs in this region, may assume the role (Sid as before)."
  }
  assert {
    condition     = module.flow_logs_role.name == "orch-eks-prod-vpc-flow-logs"
    error_message = "The role keeps its name (a new name would replace it)."
  }
}
