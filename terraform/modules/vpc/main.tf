# Production VPC for EKS: public / private (nodes) / database (isolated) / pod (VPC CNI
# custom networking) subnets in each AZ, a NAT gateway per AZ, route tables per tier and
# AZ, S3 gateway + interface endpoints (policies: this account only), flow logs to a
# KMS-encrypted log group, and a closed default security group.
module "naming" {
  source = "../naming"

  environment = var.environment
  name_prefix = var.name_prefix
  azs         = var.azs
}

locals {
  cluster_name = var.cluster_name != null ? var.cluster_name : module.naming.cluster_name
  cluster_tag  = { "kubernetes.io/cluster/${local.cluster_name}" = "shared" }

  tier_cidrs = {
    public   = var.public_subnet_cidrs
    private  = var.private_subnet_cidrs
    database = var.database_subnet_cidrs
    pod      = var.pod_subnet_cidrs
  }

  tier_tags = {
    # AWS Load Balancer Controller subnet discovery.
    public  = merge(local.cluster_tag, { "kubernetes.io/role/elb" = "1" })
    private = merge(local.cluster_tag, { "kubernetes.io/role/internal-elb" = "1" })
    # VPC CNI: secondary pod IPs come from these subnets (ENIConfig per AZ; the tag is the
    # CNI's subnet discovery marker).
    pod      = merge(local.cluster_tag, { "kubernetes.io/role/cni" = "1" })
    database = {}
  }

  # "private-a" => { tier, az, cidr }: stable keys that do not move when a list grows.
  subnets = merge([
    for tier, cidrs in local.tier_cidrs : {
      for i, az in var.azs : "${tier}-${module.naming.az_suffix[az]}" => {
        tier = tier
        az   = az
        cidr = cidrs[i]
      }
    }
  ]...)

  az_keys = { for az in var.azs : az => module.naming.az_suffix[az] }

  # NAT gateways: one per AZ, or (single_nat_gateway, for dev) one in the first AZ that every
  # AZ routes through: cheaper, but losing that AZ cuts egress everywhere.
  nat_azs = var.single_nat_gateway ? { (var.azs[0]) = local.az_keys[var.azs[0]] } : local.az_keys

  # Default routes: public -> IGW; private and pod -> the NAT gateway in the same AZ (or the
  # single one). Database route tables get no default route (no internet in either direction).
  nat_routes = merge([
    for tier in ["private", "pod"] : {
      for az, s in local.az_keys : "${tier}-${s}" => var.single_nat_gateway ? var.azs[0] : az
    }
  ]...)

  vpc_prefix_len   = tonumber(split("/", var.vpc_cidr)[1])
  all_subnet_cidrs = flatten(values(local.tier_cidrs))
}

resource "aws_vpc" "this" {
  cidr_block           = var.vpc_cidr
  enable_dns_support   = true
  enable_dns_hostnames = true

  tags = merge(var.tags, { Name = module.naming.names.vpc })

  lifecycle {
    precondition {
      condition     = alltrue([for t, c in local.tier_cidrs : length(c) == length(var.azs)])
      error_message = "Every subnet CIDR list must have exactly one entry per AZ in azs."
    }
    precondition {
      condition = alltrue([
        for c in local.all_subnet_cidrs :
        tonumber(split("/", c)[1]) >= local.vpc_prefix_len &&
        cidrhost(format("%s/%d", split("/", c)[0], local.vpc_prefix_len), 0) == cidrhost(var.vpc_cidr, 0)
      ])
      error_message = "Every subnet CIDR must lie inside vpc_cidr."
    }
    precondition {
      condition     = length(distinct(local.all_subnet_cidrs)) == length(local.all_subnet_cidrs)
      error_message = "Subnet CIDRs must be unique."
    }
  }
}

# Closed default security group: nothing may rely on it (no ingress, no egress).
resource "aws_default_security_group" "this" {
  vpc_id = aws_vpc.this.id

  tags = merge(var.tags, { Name = module.naming.names.default_sg })
}

resource "aws_internet_gateway" "this" {
  vpc_id = aws_vpc.this.id

  tags = merge(var.tags, { Name = module.naming.names.internet_gateway })
}

resource "aws_subnet" "this" {
  for_each = local.subnets

  vpc_id            = aws_vpc.this.id
  cidr_block        = each.value.cidr
  availability_zone = each.value.az
  # Nothing gets a public IP by default: NAT gateways use Elastic IPs and ALBs their own.
  map_public_ip_on_launch = false

  tags = merge(var.tags, local.tier_tags[each.value.tier], {
    Name = module.naming.subnet_names[each.value.tier][each.value.az]
    Tier = each.value.tier
  })
}

resource "aws_eip" "nat" {
  for_each = local.nat_azs

  domain = "vpc"

  tags = merge(var.tags, { Name = module.naming.eip_names[each.key] })

  depends_on = [aws_internet_gateway.this]
}

# One NAT gateway per AZ, so losing an AZ does not cut egress for the other (unless single_nat_gateway).
resource "aws_nat_gateway" "this" {
  for_each = local.nat_azs

  allocation_id = aws_eip.nat[each.key].id
  subnet_id     = aws_subnet.this["public-${each.value}"].id

  tags = merge(var.tags, { Name = module.naming.nat_gateway_names[each.key] })

  depends_on = [aws_internet_gateway.this]
}

resource "aws_route_table" "this" {
  for_each = local.subnets

  vpc_id = aws_vpc.this.id

  tags = merge(var.tags, {
    Name = module.naming.route_table_names[each.value.tier][each.value.az]
    Tier = each.value.tier
  })
}

resource "aws_route_table_association" "this" {
  for_each = local.subnets

  subnet_id      = aws_subnet.this[each.key].id
  route_table_id = aws_route_table.this[each.key].id
}

resource "aws_route" "public_internet" {
  for_each = local.az_keys

  route_table_id         = aws_route_table.this["public-${each.value}"].id
  destination_cidr_block = "0.0.0.0/0"
  gateway_id             = aws_internet_gateway.this.id
}

resource "aws_route" "nat" {
  for_each = local.nat_routes

  route_table_id         = aws_route_table.this[each.key].id
  destination_cidr_block = "0.0.0.0/0"
  nat_gateway_id         = aws_nat_gateway.this[each.value].id
}

resource "aws_db_subnet_group" "this" {
  name        = module.naming.names.db_subnet_group
  description = "Isolated database subnets of ${module.naming.name_prefix}"
  subnet_ids  = [for az, s in local.az_keys : aws_subnet.this["database-${s}"].id]

  tags = merge(var.tags, { Name = module.naming.names.db_subnet_group })
}

# ---------------------------------------------------------------------------------------
# VPC endpoints
# ---------------------------------------------------------------------------------------
# No policy on the S3 gateway: nodes pull ECR image layers through it from AWS-owned buckets with
# URLs ECR pre-signs (signed by another account), and reach the Amazon Linux repositories' buckets;
# an account-only policy would break both. Buckets of this platform deny access by their own
# policies (TLS, KMS), and the interface endpoints below carry the account restriction.
resource "aws_vpc_endpoint" "s3" {
  vpc_id            = aws_vpc.this.id
  service_name      = "com.amazonaws.${var.region}.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids = [
    for k, v in local.subnets : aws_route_table.this[k].id if contains(["private", "pod", "database"], v.tier)
  ]

  tags = merge(var.tags, { Name = module.naming.names.s3_gateway_endpoint })
}

resource "aws_security_group" "endpoints" {
  name        = module.naming.security_group_names["vpc-endpoints"]
  description = "Interface VPC endpoints: HTTPS from inside the VPC only"
  vpc_id      = aws_vpc.this.id

  tags = merge(var.tags, { Name = module.naming.security_group_names["vpc-endpoints"] })
}

resource "aws_vpc_security_group_ingress_rule" "endpoints_https" {
  security_group_id = aws_security_group.endpoints.id
  description       = "HTTPS to AWS service endpoints from the VPC"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = aws_vpc.this.cidr_block

  tags = merge(var.tags, { Name = "${module.naming.security_group_names["vpc-endpoints"]}-https-from-vpc" })
}

# Endpoint policies: only principals of this account may use the endpoints (stolen credentials of
# another account cannot carry data out through them), and for the services that hold this
# environment's data only resources of this account are reachable (nothing can be written to, or
# decrypted with, another account's secrets, keys, log groups or file systems). aws:ResourceAccount
# is matched IfExists because calls without a resource (kms:ListKeys, cloudwatch:PutMetricData)
# carry no such key. STS also serves IRSA: AssumeRoleWithWebIdentity is an unsigned call with no
# principal account, so it gets its own statement limited to this account's roles.
data "aws_iam_policy_document" "endpoint" {
  #checkov:skip=CKV_AWS_49:A VPC endpoint policy, not an identity policy: it grants nothing, it only narrows what callers' own policies allow through this one service's endpoint; the narrowing is by account (conditions), as AWS's data-perimeter examples do.
  #checkov:skip=CKV_AWS_1:Not an IAM policy attached to anyone: an endpoint policy can only restrict, and Action "*" here means "every action of this endpoint's service" for principals of this account.
  #checkov:skip=CKV2_AWS_40:An endpoint policy grants no IAM privileges; the only IAM-reaching endpoint (sts) is limited to this account's principals and, for web identity, this account's roles.
  for_each = toset(var.interface_endpoints)

  statement {
    sid       = "OnlyThisAccountsPrincipals"
    effect    = "Allow"
    actions   = ["*"]
    resources = ["*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:PrincipalAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
    dynamic "condition" {
      for_each = contains(var.endpoint_resource_account_services, each.key) ? [1] : []
      content {
        test     = "StringEqualsIfExists"
        variable = "aws:ResourceAccount"
        values   = [data.aws_caller_identity.current.account_id]
      }
    }
  }

  dynamic "statement" {
    for_each = each.key == "sts" ? [1] : []
    content {
      sid       = "WebIdentityIntoThisAccountsRoles"
      effect    = "Allow"
      actions   = ["sts:AssumeRoleWithWebIdentity"]
      resources = ["arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:role/*"]
      principals {
        type        = "*"
        identifiers = ["*"]
      }
    }
  }
}

resource "aws_vpc_endpoint" "interface" {
  for_each = toset(var.interface_endpoints)

  vpc_id              = aws_vpc.this.id
  service_name        = "com.amazonaws.${var.region}.${each.key}"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
  subnet_ids          = [for az, s in local.az_keys : aws_subnet.this["private-${s}"].id]
  security_group_ids  = [aws_security_group.endpoints.id]
  policy              = data.aws_iam_policy_document.endpoint[each.key].json

  tags = merge(var.tags, { Name = "${module.naming.name_prefix}-${replace(each.key, ".", "-")}" })
}

# ---------------------------------------------------------------------------------------
# Flow logs -> CloudWatch Logs (KMS-encrypted) through a role that can only write there
# ---------------------------------------------------------------------------------------
data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

resource "aws_cloudwatch_log_group" "flow_logs" {
  name              = module.naming.names.flow_log_group
  retention_in_days = var.flow_log_retention_in_days
  kms_key_id        = var.flow_log_kms_key_arn

  tags = merge(var.tags, { Name = module.naming.names.flow_log_group })
}

# The AWS documentation for flow logs to CloudWatch Logs ("IAM role for publishing flow logs to
# CloudWatch Logs") lists CreateLogGroup, CreateLogStream, PutLogEvents, DescribeLogGroups and
# DescribeLogStreams. All but CreateLogGroup are granted: the group is created here beforehand
# (KMS, retention), and the right to create it would let a deleted group come back unencrypted
# and kept forever. DescribeLogGroups lists groups and is authorized on log-group:* (the
# CloudWatch Logs guide says to use a wildcard for it, not one group's ARN), so it gets its own
# statement, limited to this account and region.
data "aws_iam_policy_document" "flow_logs_write" {
  statement {
    sid       = "FindTheFlowLogGroup"
    effect    = "Allow"
    actions   = ["logs:DescribeLogGroups"]
    resources = ["arn:${data.aws_partition.current.partition}:logs:${var.region}:${data.aws_caller_identity.current.account_id}:log-group:*"]
  }

  statement {
    sid    = "WriteToTheFlowLogGroupOnly"
    effect = "Allow"
    actions = [
      "logs:CreateLogStream",
      "logs:DescribeLogStreams",
      "logs:PutLogEvents",
    ]
    resources = [
      aws_cloudwatch_log_group.flow_logs.arn,
      "${aws_cloudwatch_log_group.flow_logs.arn}:*",
    ]
  }
}

# The delivery role, trusted by the flow logs service only for this account's flow logs in this
# region (the confused deputy). Its trust policy's Sid is the one the hand-written role had.
module "flow_logs_role" {
  source = "../iam-role"

  name             = module.naming.names.flow_log_role
  description      = "VPC flow logs delivery to ${module.naming.names.flow_log_group}"
  trusted_services = ["vpc-flow-logs.amazonaws.com"]
  trusted_services_conditions = [
    { test = "StringEquals", variable = "aws:SourceAccount", values = [data.aws_caller_identity.current.account_id] },
    { test = "ArnLike", variable = "aws:SourceArn", values = ["arn:${data.aws_partition.current.partition}:ec2:${var.region}:${data.aws_caller_identity.current.account_id}:vpc-flow-log/*"] },
  ]
  trust_statement_sids = { services = "VpcFlowLogsDelivery" }
  inline_policies      = { write-flow-log-group = data.aws_iam_policy_document.flow_logs_write.json }
  tags                 = var.tags
}

# The role and its policy were hand-written here before; moved, not replaced.
moved {
  from = aws_iam_role.flow_logs
  to   = module.flow_logs_role.aws_iam_role.this
}

moved {
  from = aws_iam_role_policy.flow_logs
  to   = module.flow_logs_role.aws_iam_role_policy.inline["write-flow-log-group"]
}

resource "aws_flow_log" "this" {
  vpc_id                   = aws_vpc.this.id
  traffic_type             = var.flow_log_traffic_type
  log_destination_type     = "cloud-watch-logs"
  log_destination          = aws_cloudwatch_log_group.flow_logs.arn
  iam_role_arn             = module.flow_logs_role.arn
  max_aggregation_interval = var.flow_log_max_aggregation_interval

  tags = merge(var.tags, { Name = module.naming.names.flow_log })

  depends_on = [module.flow_logs_role]
}
