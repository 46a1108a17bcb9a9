# Plan-only checks of cluster mode, encryption and the emulator switch (no AWS calls).
mock_provider "aws" {}

variables {
  name                        = "orch-eks-prod-redis"
  subnet_ids                  = ["subnet-0000000000000000a", "subnet-0000000000000000c"]
  security_group_ids          = ["sg-0000000000000000b"]
  kms_key_arn                 = "arn:aws:kms:ap-northeast-2:111111111111:key/00000000-0000-0000-0000-000000000001"
  cloudwatch_logs_kms_key_arn = "arn:aws:kms:ap-northeast-2:111111111111:key/00000000-0000-0000-0000-000000000002"
}

run "production_defaults" {
  command = plan

  assert {
    condition = (
      aws_elasticache_replication_group.this.cluster_mode == "enabled" &&
      aws_elasticache_replication_group.this.num_node_groups == 2 &&
      aws_elasticache_replication_group.this.replicas_per_node_group == 1 &&
      aws_elasticache_replication_group.this.node_type == "cache.r6g.large"
    )
    error_message = "Cluster mode with 2 shards x 1 replica of cache.r6g.large expected."
  }
  assert {
    condition = (
      aws_elasticache_replication_group.this.multi_az_enabled &&
      aws_elasticache_replication_group.this.automatic_failover_enabled &&
      aws_elasticache_replication_group.this.at_rest_encryption_enabled == "true" &&
      aws_elasticache_replication_group.this.transit_encryption_enabled
    )
    error_message = "Multi-AZ, failover and both encryptions are required."
  }
  assert {
    condition     = aws_elasticache_replication_group.this.final_snapshot_identifier == "orch-eks-prod-redis-final"
    error_message = "Deleting the group must leave a final snapshot behind."
  }
  assert {
    condition     = length(aws_elasticache_parameter_group.this) == 1 && aws_elasticache_replication_group.this.parameter_group_name == "orch-eks-prod-redis-redis7"
    error_message = "The module's own redis7 parameter group must be used."
  }
  assert {
    condition     = anytrue([for p in aws_elasticache_parameter_group.this[0].parameter : p.name == "cluster-enabled" && p.value == "yes"])
    error_message = "The parameter group must enable cluster mode."
  }
  assert {
    condition     = toset([for l in aws_elasticache_replication_group.this.log_delivery_configuration : l.log_type]) == toset(["slow-log", "engine-log"])
    error_message = "Slow log and engine log must be delivered."
  }
  # The AUTH token is held write-only by the group's default user, never by auth_token (which lands in state).
  assert {
    condition = (
      aws_elasticache_replication_group.this.auth_token == null &&
      aws_elasticache_replication_group.this.user_group_ids == toset(["orch-eks-prod-redis"]) &&
      aws_elasticache_user_group.this.user_ids == toset(["orch-eks-prod-redis-default"]) &&
      aws_elasticache_user.default.user_name == "default" &&
      aws_elasticache_user.default.passwords_wo_version == 1
    )
    error_message = "Authentication must go through the user group's default user, with a write-only password."
  }
}

run "without_own_group_the_default_parameter_group" {
  command = plan

  variables {
    create_cache_parameter_group = false
  }

  assert {
    condition     = length(aws_elasticache_parameter_group.this) == 0 && aws_elasticache_replication_group.this.parameter_group_name == "default.redis7.cluster.on"
    error_message = "Without our group the AWS default cluster-mode group must be used."
  }
}
