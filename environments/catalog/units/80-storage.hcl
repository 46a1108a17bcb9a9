# EFS for the EFS CSI driver (mount target per AZ on the private subnets) and the platform's
# S3 buckets (logs with SSE-S3 for ALB/S3 access logs, artifacts with SSE-KMS).
locals {
  settings = read_terragrunt_config(find_in_parent_folders("settings.hcl")).locals # docs/hcl-conventions.md: why
}

terraform {
  source = "${local.settings.modules}//storage"
}

inputs = {
  name_prefix            = dependency.foundation.outputs.name_prefix
  private_subnet_ids     = dependency.networking.outputs.private_subnet_ids
  efs_security_group_ids = [dependency.security.outputs.efs_security_group_id]
  efs_kms_key_arn        = dependency.foundation.outputs.kms_key_arns["efs"]
  s3_kms_key_arn         = dependency.foundation.outputs.kms_key_arns["s3"]
}
