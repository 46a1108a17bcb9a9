# EFS for the EFS CSI driver (mount target per AZ on the private subnets) and the platform's
# S3 buckets (logs with SSE-S3 for ALB/S3 access logs, artifacts with SSE-KMS).
locals {
  # root.hcl's locals (env.yaml, module path, account mapping); an included file cannot read
  # `include.root`, so it reads root.hcl itself, as seen from the unit that includes this file.
  root = read_terragrunt_config(find_in_parent_folders("root.hcl")).locals
}

terraform {
  source = "${local.root.modules}//storage"
}

inputs = {
  name_prefix            = dependency.foundation.outputs.name_prefix
  private_subnet_ids     = dependency.networking.outputs.private_subnet_ids
  efs_security_group_ids = [dependency.security.outputs.efs_security_group_id]
  efs_kms_key_arn        = dependency.foundation.outputs.kms_key_arns["efs"]
  s3_kms_key_arn         = dependency.foundation.outputs.kms_key_arns["s3"]
}
