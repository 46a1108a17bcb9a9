# EFS for the EFS CSI driver (mount target per AZ on the private subnets) and the platform's
# S3 buckets (logs with SSE-S3 for ALB/S3 access logs, artifacts with SSE-KMS).
include "root" {
  path   = find_in_parent_folders("root.hcl")
  expose = true
}

terraform {
  source = "${include.root.locals.modules}//storage"
}

dependency "foundation" {
  config_path  = "../00-foundation"
  skip_outputs = include.root.locals.offline
  mock_outputs = {
    name_prefix = "orch-eks-prod"
    kms_key_arns = {
      for k in ["eks", "logs", "ebs", "rds", "elasticache", "sns", "efs", "s3"] :
      k => "arn:aws:kms:ap-northeast-2:111111111111:key/00000000-0000-0000-0000-000000000000"
    }
  }
  mock_outputs_allowed_terraform_commands = ["validate", "plan"]
}

dependency "networking" {
  config_path  = "../10-networking"
  skip_outputs = include.root.locals.offline
  mock_outputs = {
    private_subnet_ids = ["subnet-0000000000000000a", "subnet-0000000000000000c"]
  }
  mock_outputs_allowed_terraform_commands = ["validate", "plan"]
}

dependency "security" {
  config_path  = "../20-security"
  skip_outputs = include.root.locals.offline
  mock_outputs = {
    efs_security_group_id = "sg-0000000000000000c"
  }
  mock_outputs_allowed_terraform_commands = ["validate", "plan"]
}

inputs = {
  name_prefix            = dependency.foundation.outputs.name_prefix
  private_subnet_ids     = dependency.networking.outputs.private_subnet_ids
  efs_security_group_ids = [dependency.security.outputs.efs_security_group_id]
  efs_kms_key_arn        = dependency.foundation.outputs.kms_key_arns["efs"]
  s3_kms_key_arn         = dependency.foundation.outputs.kms_key_arns["s3"]
}
