# VPC, subnets (public/private/database/pod per AZ), NAT per AZ, endpoints, flow logs.
# Subnet CIDRs are the module defaults (the plan's table).
include "root" {
  path   = find_in_parent_folders("root.hcl")
  expose = true
}

terraform {
  source = "${include.root.locals.modules}//vpc"
}

dependency "foundation" {
  config_path  = "../00-foundation"
  skip_outputs = include.root.locals.offline
  mock_outputs = {
    name_prefix  = "orch-eks-prod"
    cluster_name = "orch-eks-prod"
    kms_key_arns = {
      for k in ["eks", "logs", "ebs", "rds", "elasticache", "sns", "efs", "s3"] :
      k => "arn:aws:kms:ap-northeast-2:111111111111:key/00000000-0000-0000-0000-000000000000"
    }
    kms_key_ids = {
      for k in ["eks", "logs", "ebs", "rds", "elasticache", "sns", "efs", "s3"] :
      k => "00000000-0000-0000-0000-000000000000"
    }
  }
  mock_outputs_allowed_terraform_commands = ["validate", "plan"]
}

inputs = {
  name_prefix          = dependency.foundation.outputs.name_prefix
  cluster_name         = dependency.foundation.outputs.cluster_name
  flow_log_kms_key_arn = dependency.foundation.outputs.kms_key_arns["logs"]
}
