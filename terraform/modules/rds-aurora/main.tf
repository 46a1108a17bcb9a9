locals {
  family = "aurora-mysql8.0"

  create_subnet_group  = var.db_subnet_group_name == null
  db_subnet_group_name = local.create_subnet_group ? aws_db_subnet_group.this[0].name : var.db_subnet_group_name

  # TLS is not negotiable: require_secure_transport is always ON, whatever the caller adds.
  cluster_parameters = concat(
    [{ name = "require_secure_transport", value = "ON", apply_method = "immediate" }],
    var.cluster_parameters,
  )

  # Versions as comparable numbers: 8.0.mysql_aurora.3.08.0 -> 8 0 3 8 0, each number a base-1000 digit.
  version_rank = {
    for k, v in { wanted = var.engine_version, actual = aws_rds_cluster.this.engine_version_actual } :
    k => sum(concat([0], [for i, n in regexall("[0-9]+", v) : tonumber(n) * pow(1000, 5 - i)]))
  }

  # Instance 0 is created first and becomes the writer; the others are readers in the next AZs.
  instances = {
    for i in range(var.instance_count) : format("%02d", i + 1) => {
      az             = var.azs[i % length(var.azs)]
      promotion_tier = i
    }
  }
}

data "aws_partition" "current" {}

resource "aws_db_subnet_group" "this" {
  count = local.create_subnet_group ? 1 : 0

  name        = var.name
  description = "Database subnets of ${var.name}"
  subnet_ids  = var.subnet_ids

  tags = merge(var.tags, { Name = var.name })

  lifecycle {
    precondition {
      condition     = length(var.subnet_ids) >= 2
      error_message = "Give db_subnet_group_name or at least two subnet_ids in different AZs."
    }
  }
}

resource "aws_rds_cluster_parameter_group" "this" {
  name        = "${var.name}-cluster"
  family      = local.family
  description = "Aurora MySQL 8.0 cluster parameters of ${var.name} (TLS required)"

  dynamic "parameter" {
    for_each = local.cluster_parameters
    content {
      name         = parameter.value.name
      value        = parameter.value.value
      apply_method = parameter.value.apply_method
    }
  }

  tags = merge(var.tags, { Name = "${var.name}-cluster" })

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_db_parameter_group" "this" {
  name        = "${var.name}-instance"
  family      = local.family
  description = "Aurora MySQL 8.0 instance parameters of ${var.name}"

  dynamic "parameter" {
    for_each = var.instance_parameters
    content {
      name         = parameter.value.name
      value        = parameter.value.value
      apply_method = parameter.value.apply_method
    }
  }

  tags = merge(var.tags, { Name = "${var.name}-instance" })

  lifecycle {
    create_before_destroy = true
  }
}

# RDS would create these groups on first export, unencrypted and kept forever; creating them
# first gives them the logs KMS key and a retention.
resource "aws_cloudwatch_log_group" "this" {
  for_each = toset(var.enabled_cloudwatch_logs_exports)

  name              = "/aws/rds/cluster/${var.name}/${each.value}"
  retention_in_days = var.cloudwatch_logs_retention_days
  kms_key_id        = var.cloudwatch_logs_kms_key_arn

  tags = merge(var.tags, { Name = "/aws/rds/cluster/${var.name}/${each.value}" })
}

# Enhanced monitoring: RDS publishes the OS metrics through this role. Its trust policy's Sid is
# the one the hand-written role had.
module "monitoring_role" {
  source = "../iam-role"
  count  = var.monitoring_interval > 0 ? 1 : 0

  name                 = "${var.name}-rds-monitoring"
  description          = "Lets RDS publish enhanced monitoring metrics of ${var.name}"
  trusted_services     = ["monitoring.rds.amazonaws.com"]
  trust_statement_sids = { services = "RdsEnhancedMonitoring" }
  managed_policy_arns = {
    enhanced-monitoring = "arn:${data.aws_partition.current.partition}:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole"
  }
  tags = var.tags
}

# The role and its attachment were hand-written here before; moved, not replaced.
moved {
  from = aws_iam_role.monitoring[0]
  to   = module.monitoring_role[0].aws_iam_role.this
}

moved {
  from = aws_iam_role_policy_attachment.monitoring[0]
  to   = module.monitoring_role[0].aws_iam_role_policy_attachment.managed["enhanced-monitoring"]
}

resource "aws_rds_cluster" "this" {
  #checkov:skip=CKV2_AWS_8:Recovery is covered by Aurora's own continuous backups (7-day point-in-time restore) plus the final snapshot; an AWS Backup plan (cross-account vault) belongs to the organisation's backup account, not to this module.
  #checkov:skip=CKV_AWS_326:Backtrack is left off: 7-day point-in-time restore covers recovery, and backtrack bills every change record and cannot be added later without a new cluster anyway.
  cluster_identifier = var.name
  engine             = "aurora-mysql"
  engine_mode        = "provisioned"
  engine_version     = var.engine_version
  database_name      = var.database_name
  port               = var.port

  master_username               = var.master_username
  manage_master_user_password   = true
  master_user_secret_kms_key_id = var.kms_key_arn

  db_subnet_group_name            = local.db_subnet_group_name
  vpc_security_group_ids          = var.vpc_security_group_ids
  db_cluster_parameter_group_name = aws_rds_cluster_parameter_group.this.name
  network_type                    = "IPV4"

  storage_encrypted = true
  kms_key_id        = var.kms_key_arn

  iam_database_authentication_enabled = true
  enabled_cloudwatch_logs_exports     = var.enabled_cloudwatch_logs_exports

  backup_retention_period      = var.backup_retention_period
  preferred_backup_window      = var.preferred_backup_window
  preferred_maintenance_window = var.preferred_maintenance_window
  copy_tags_to_snapshot        = true

  deletion_protection       = var.deletion_protection
  skip_final_snapshot       = false
  final_snapshot_identifier = "${var.name}-final"
  apply_immediately         = var.apply_immediately

  tags = merge(var.tags, { Name = var.name })

  lifecycle {
    # scaling_configuration belongs to Serverless v1 (engine_mode serverless), never used here; it is
    # ignored so an API that reports one for a provisioned cluster (moto does) causes no diff.
    #
    # engine_version is what a new cluster starts with. The instances upgrade minor versions
    # automatically (auto_minor_version_upgrade = true below, fixed), so AWS moves the cluster past
    # it; the provider then reads the newer version into engine_version and, without this, every
    # later apply would send the older version back: a downgrade, which ModifyDBCluster refuses.
    # (The provider keeps a configured value that is a prefix of the running one, e.g. "8.0", but
    # it also sends engine_version with every ModifyDBCluster while it differs from
    # engine_version_actual, so a prefix would go to AWS on each unrelated change.) The running
    # version is the output engine_version_actual; the check below warns when it is older than
    # engine_version (which an existing cluster does not follow).
    ignore_changes = [scaling_configuration, engine_version]
  }

  depends_on = [aws_cloudwatch_log_group.this]
}

resource "aws_rds_cluster_instance" "this" {
  for_each = local.instances

  identifier         = "${var.name}-${each.key}"
  cluster_identifier = aws_rds_cluster.this.id
  engine             = aws_rds_cluster.this.engine
  instance_class     = var.instance_class
  availability_zone  = each.value.az
  promotion_tier     = each.value.promotion_tier

  db_subnet_group_name    = local.db_subnet_group_name
  db_parameter_group_name = aws_db_parameter_group.this.name
  publicly_accessible     = false

  monitoring_interval = var.monitoring_interval
  monitoring_role_arn = var.monitoring_interval > 0 ? module.monitoring_role[0].arn : null

  performance_insights_enabled          = var.enable_performance_insights
  performance_insights_kms_key_id       = var.enable_performance_insights ? var.kms_key_arn : null
  performance_insights_retention_period = var.enable_performance_insights ? var.performance_insights_retention_period : null

  # Fixed: the cluster's lifecycle (ignore_changes engine_version) relies on AWS doing minor upgrades.
  auto_minor_version_upgrade   = true
  copy_tags_to_snapshot        = true
  preferred_maintenance_window = var.preferred_maintenance_window
  apply_immediately            = var.apply_immediately

  tags = merge(var.tags, { Name = "${var.name}-${each.key}" })

  depends_on = [module.monitoring_role]
}

# engine_version is the lowest acceptable version; raising it does not upgrade an existing cluster
# (see the cluster's lifecycle). Said at plan time instead of silently ignored.
check "engine_version_floor" {
  assert {
    condition     = local.version_rank.actual >= local.version_rank.wanted
    error_message = "The cluster runs ${aws_rds_cluster.this.engine_version_actual}, older than engine_version ${var.engine_version}. The module does not upgrade an existing cluster: upgrade it with ModifyDBCluster (aws rds modify-db-cluster --engine-version ${var.engine_version} --apply-immediately) or in the console; the next plan follows."
  }
}
