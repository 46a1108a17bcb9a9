# Aurora MySQL 8.0: a writer and readers (env.yaml database.instance_count) across the AZs on the
# database subnets, KMS, managed master secret.
locals {
  settings = read_terragrunt_config(find_in_parent_folders("settings.hcl")).locals # docs/hcl-conventions.md: why
}

terraform {
  source = "${local.settings.modules}//rds-aurora"
}

inputs = merge(
  {
    name                        = "${dependency.foundation.outputs.name_prefix}-aurora"
    db_subnet_group_name        = dependency.networking.outputs.database_subnet_group_name
    vpc_security_group_ids      = [dependency.security.outputs.rds_security_group_id]
    kms_key_arn                 = dependency.foundation.outputs.kms_key_arns["rds"]
    cloudwatch_logs_kms_key_arn = dependency.foundation.outputs.kms_key_arns["logs"]
  },
  # env.yaml `database:` (instance_class, instance_count): the keys are the module's variable names.
  try(local.settings.env.database, {}),
)
