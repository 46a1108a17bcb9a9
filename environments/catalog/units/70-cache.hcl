# ElastiCache Redis 7 in cluster mode (shards and replicas from env.yaml cache:), Multi-AZ, TLS +
# AUTH token, KMS.
locals {
  settings = read_terragrunt_config(find_in_parent_folders("settings.hcl")).locals # docs/hcl-conventions.md: why
}

terraform {
  source = "${local.settings.modules}//elasticache-redis"
}

inputs = merge(
  {
    name                        = "${dependency.foundation.outputs.name_prefix}-redis"
    subnet_ids                  = dependency.networking.outputs.database_subnet_ids
    security_group_ids          = [dependency.security.outputs.elasticache_security_group_id]
    kms_key_arn                 = dependency.foundation.outputs.kms_key_arns["elasticache"]
    cloudwatch_logs_kms_key_arn = dependency.foundation.outputs.kms_key_arns["logs"]
  },
  # env.yaml `cache:` (node_type, num_node_groups, replicas_per_node_group): the keys are the module's variable names.
  try(local.settings.env.cache, {}),
)
