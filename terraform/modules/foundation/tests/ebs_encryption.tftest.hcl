# Issue 12, item 10: EBS volumes were not encrypted by default. 00-foundation turns on account-level
# EBS encryption by default (this region) with the platform's ebs key as the default key.
# Plan-only with a mock provider: the key ARNs are mock values, checked for where they flow.
mock_provider "aws" {
  mock_data "aws_caller_identity" {
    defaults = { account_id = "111111111111" }
  }
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
  mock_data "aws_iam_policy_document" {
    defaults = { json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}" }
  }
}

# Distinct ARNs for the ebs key and the service-linked role, so the test can tell keys apart.
override_resource {
  target = module.kms.aws_kms_key.this
  values = { arn = "arn:aws:kms:ap-northeast-2:111111111111:key/00000000-0000-0000-0000-000000000000" }
}

override_resource {
  target = module.kms.aws_iam_service_linked_role.autoscaling
  values = { arn = "arn:aws:iam::111111111111:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling" }
}

variables {
  environment = "eks-prod"
  region      = "ap-northeast-2"
  azs         = ["ap-northeast-2a", "ap-northeast-2c"]
}

run "ebs_encrypted_by_default_with_the_platform_key" {
  command = plan

  assert {
    condition     = aws_ebs_encryption_by_default.this.enabled
    error_message = "EBS encryption by default must be on for the account (this region)."
  }
  assert {
    condition     = length(aws_ebs_default_kms_key.this) == 1 && aws_ebs_default_kms_key.this[0].key_arn == module.kms.key_arns["ebs"]
    error_message = "The account's default EBS key must be the platform's ebs key (not aws/ebs)."
  }
  assert {
    condition     = output.ebs_default_kms_key_arn == module.kms.key_arns["ebs"]
    error_message = "The layer reports the default EBS key."
  }
}

run "emulator_keeps_encryption_by_default" {
  command = plan

  variables {
    set_ebs_default_kms_key = false
  }

  assert {
    condition     = aws_ebs_encryption_by_default.this.enabled && length(aws_ebs_default_kms_key.this) == 0 && output.ebs_default_kms_key_arn == null
    error_message = "The emulator switch removes only the default key setting; encryption by default stays on."
  }
}
