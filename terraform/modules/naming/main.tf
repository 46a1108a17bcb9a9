# Every resource name and the common tags of an environment, derived in one place so
# layers never spell names by hand. No resources: callers read the outputs.
locals {
  name_prefix = var.name_prefix != null ? var.name_prefix : "${var.project}-${var.environment}"

  # "ap-northeast-2a" -> "a"
  az_suffix = { for az in var.azs : az => substr(az, length(az) - 1, 1) }

  kms_purposes = ["eks", "logs", "ebs", "rds", "elasticache", "sns", "efs", "s3"]
  subnet_tiers = ["public", "private", "database", "pod"]
  security_groups = [
    "cluster", "node", "alb", "rds", "elasticache", "efs", "bastion", "vpc-endpoints",
  ]

  names = {
    cluster             = local.name_prefix
    vpc                 = "${local.name_prefix}-vpc"
    internet_gateway    = "${local.name_prefix}-igw"
    db_subnet_group     = "${local.name_prefix}-database"
    default_sg          = "${local.name_prefix}-default-closed"
    flow_log            = "${local.name_prefix}-vpc-flow-log"
    flow_log_group      = "/aws/vpc/${local.name_prefix}/flow-logs"
    flow_log_role       = "${local.name_prefix}-vpc-flow-logs"
    s3_gateway_endpoint = "${local.name_prefix}-s3"
  }

  # tier -> az -> name, e.g. subnet_names.private["ap-northeast-2a"] = "orch-eks-prod-private-a"
  subnet_names      = { for t in local.subnet_tiers : t => { for az, s in local.az_suffix : az => "${local.name_prefix}-${t}-${s}" } }
  route_table_names = { for t in local.subnet_tiers : t => { for az, s in local.az_suffix : az => "${local.name_prefix}-${t}-rt-${s}" } }
  nat_gateway_names = { for az, s in local.az_suffix : az => "${local.name_prefix}-nat-${s}" }
  eip_names         = { for az, s in local.az_suffix : az => "${local.name_prefix}-nat-eip-${s}" }

  kms_alias_names      = { for p in local.kms_purposes : p => "alias/${local.name_prefix}/${p}" }
  security_group_names = { for g in local.security_groups : g => "${local.name_prefix}-${g}" }

  tags = merge(var.tags, { "orch:environment" = var.environment })
}
