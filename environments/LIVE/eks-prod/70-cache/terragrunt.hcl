# ElastiCache Redis 7 in cluster mode (2 shards x 1 replica), Multi-AZ, TLS + AUTH token, KMS.
include "root" {
  path   = find_in_parent_folders("root.hcl")
  expose = true
}

terraform {
  source = "${include.root.locals.modules}//elasticache-redis"
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
  name                        = "${dependency.foundation.outputs.name_prefix}-redis"
  subnet_ids                  = dependency.networking.outputs.database_subnet_ids
  security_group_ids          = [dependency.security.outputs.elasticache_security_group_id]
  kms_key_arn                 = dependency.foundation.outputs.kms_key_arns["elasticache"]
  cloudwatch_logs_kms_key_arn = dependency.foundation.outputs.kms_key_arns["logs"]
}
