locals {
  # Without our group, AWS's default group for cluster mode (none of `parameters` then).
  parameter_group_name = var.create_cache_parameter_group ? aws_elasticache_parameter_group.this[0].name : "default.${var.parameter_group_family}.cluster.on"

  log_types = {
    slow-log   = "slow-log"
    engine-log = "engine-log"
  }
}

resource "aws_elasticache_subnet_group" "this" {
  name        = var.name
  description = "Database subnets of ${var.name}"
  subnet_ids  = var.subnet_ids

  tags = merge(var.tags, { Name = var.name })
}

resource "aws_elasticache_parameter_group" "this" {
  count = var.create_cache_parameter_group ? 1 : 0

  name        = "${var.name}-${var.parameter_group_family}"
  family      = var.parameter_group_family
  description = "Redis 7 cluster-mode parameters of ${var.name}"

  parameter {
    name  = "cluster-enabled"
    value = "yes"
  }

  dynamic "parameter" {
    for_each = var.parameters
    content {
      name  = parameter.value.name
      value = parameter.value.value
    }
  }

  tags = merge(var.tags, { Name = "${var.name}-${var.parameter_group_family}" })

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_cloudwatch_log_group" "this" {
  for_each = local.log_types

  name              = "/aws/elasticache/${var.name}/${each.value}"
  retention_in_days = var.cloudwatch_logs_retention_days
  kms_key_id        = var.cloudwatch_logs_kms_key_arn

  tags = merge(var.tags, { Name = "/aws/elasticache/${var.name}/${each.value}" })
}

# AUTH token, held by an RBAC user group's `default` user: `AUTH <token>` (what Redis clients and the
# External Secrets Operator send) authenticates as that user, exactly as with a classic AUTH token.
# The token is an ephemeral value end to end and so in no state, plan or output: Secrets Manager
# generates it (ephemeral random password), it is written write-only into the secret, read back
# from the secret ephemerally (the secret is the source of truth, even after a failed apply) and
# given to the user write-only (`passwords_wo`). The replication group's `auth_token` is not used:
# in hashicorp/aws 6.x it is no write-only argument (no `auth_token_wo`), so its value would be
# stored in state. Bumping auth_token_version writes a new token and sets it on the user.
ephemeral "aws_secretsmanager_random_password" "auth_token" {
  password_length     = 64
  exclude_punctuation = true
  include_space       = false
}

resource "aws_secretsmanager_secret" "auth_token" {
  #checkov:skip=CKV2_AWS_57:Rotation is driven by auth_token_version (a new token is written here and set on the cluster's default user); a rotation Lambda would change the secret without changing the cluster.
  name                    = "${var.name}/auth-token"
  description             = "AUTH token of the ElastiCache Redis replication group ${var.name}"
  kms_key_id              = var.kms_key_arn
  recovery_window_in_days = var.secret_recovery_window_in_days

  tags = merge(var.tags, { Name = "${var.name}/auth-token" })
}

resource "aws_secretsmanager_secret_version" "auth_token" {
  secret_id                = aws_secretsmanager_secret.auth_token.id
  secret_string_wo         = ephemeral.aws_secretsmanager_random_password.auth_token.random_password
  secret_string_wo_version = var.auth_token_version
}

ephemeral "aws_secretsmanager_secret_version" "auth_token" {
  secret_id  = aws_secretsmanager_secret.auth_token.id
  version_id = aws_secretsmanager_secret_version.auth_token.version_id
}

resource "aws_elasticache_user" "default" {
  # User ids are at most 40 characters, like the name.
  user_id              = "${trimsuffix(substr(var.name, 0, 32), "-")}-default"
  user_name            = "default"
  engine               = "redis"
  access_string        = "on ~* +@all"
  passwords_wo         = ephemeral.aws_secretsmanager_secret_version.auth_token.secret_string
  passwords_wo_version = var.auth_token_version

  tags = merge(var.tags, { Name = "${var.name}-default" })
}

resource "aws_elasticache_user_group" "this" {
  user_group_id = var.name
  engine        = "redis"
  user_ids      = [aws_elasticache_user.default.user_id]

  tags = merge(var.tags, { Name = var.name })
}

resource "aws_elasticache_replication_group" "this" {
  replication_group_id = var.name
  description          = "Redis ${var.engine_version} cluster mode of ${var.name}"

  engine               = "redis"
  engine_version       = var.engine_version
  node_type            = var.node_type
  port                 = var.port
  parameter_group_name = local.parameter_group_name

  cluster_mode            = "enabled"
  num_node_groups         = var.num_node_groups
  replicas_per_node_group = var.replicas_per_node_group

  multi_az_enabled           = true
  automatic_failover_enabled = true

  subnet_group_name  = aws_elasticache_subnet_group.this.name
  security_group_ids = var.security_group_ids

  at_rest_encryption_enabled = true
  kms_key_id                 = var.kms_key_arn
  transit_encryption_enabled = true
  transit_encryption_mode    = "required"
  user_group_ids             = [aws_elasticache_user_group.this.user_group_id]

  snapshot_retention_limit = var.snapshot_retention_limit
  snapshot_window          = var.snapshot_window
  # Deleting the group (a destroy, or a replacement) first takes a manual snapshot, which is kept
  # until someone deletes it: automatic snapshots die with the group.
  final_snapshot_identifier  = var.final_snapshot_on_delete ? "${var.name}-final" : null
  maintenance_window         = var.maintenance_window
  auto_minor_version_upgrade = true
  apply_immediately          = var.apply_immediately

  dynamic "log_delivery_configuration" {
    for_each = aws_cloudwatch_log_group.this
    content {
      destination      = log_delivery_configuration.value.name
      destination_type = "cloudwatch-logs"
      log_format       = "json"
      log_type         = log_delivery_configuration.key
    }
  }

  tags = merge(var.tags, { Name = var.name })
}
