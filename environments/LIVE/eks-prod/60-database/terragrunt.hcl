# Aurora MySQL 8.0: writer + reader in two AZs on the database subnets, KMS, managed master secret.
include "root" {
  path   = find_in_parent_folders("root.hcl")
  expose = true
}

terraform {
  source = "${include.root.locals.modules}//rds-aurora"
}

include "foundation" {
  path = "${get_terragrunt_dir()}/../_deps/foundation.hcl"
}

include "networking" {
  path = "${get_terragrunt_dir()}/../_deps/networking.hcl"
}

include "security" {
  path = "${get_terragrunt_dir()}/../_deps/security.hcl"
}

inputs = {
  name                        = "${dependency.foundation.outputs.name_prefix}-aurora"
  db_subnet_group_name        = dependency.networking.outputs.database_subnet_group_name
  vpc_security_group_ids      = [dependency.security.outputs.rds_security_group_id]
  kms_key_arn                 = dependency.foundation.outputs.kms_key_arns["rds"]
  cloudwatch_logs_kms_key_arn = dependency.foundation.outputs.kms_key_arns["logs"]
}
