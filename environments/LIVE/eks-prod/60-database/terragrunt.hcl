# Aurora MySQL 8.0: writer + reader in two AZs on the database subnets, KMS, managed master secret.
include "root" {
  path   = find_in_parent_folders("root.hcl")
  expose = true
}

terraform {
  source = "${include.root.locals.modules}//rds-aurora"
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
    database_subnet_ids        = ["subnet-0000000000000000a", "subnet-0000000000000000c"]
    database_subnet_group_name = "orch-eks-prod-database"
  }
  mock_outputs_allowed_terraform_commands = ["validate", "plan"]
}

dependency "security" {
  config_path  = "../20-security"
  skip_outputs = include.root.locals.offline
  mock_outputs = {
    rds_security_group_id = "sg-0000000000000000a"
  }
  mock_outputs_allowed_terraform_commands = ["validate", "plan"]
}

inputs = {
  name                        = "${dependency.foundation.outputs.name_prefix}-aurora"
  db_subnet_group_name        = dependency.networking.outputs.database_subnet_group_name
  vpc_security_group_ids      = [dependency.security.outputs.rds_security_group_id]
  kms_key_arn                 = dependency.foundation.outputs.kms_key_arns["rds"]
  cloudwatch_logs_kms_key_arn = dependency.foundation.outputs.kms_key_arns["logs"]
}
