# Plan-only checks of the rule table (no AWS calls).
mock_provider "aws" {}

variables {
  environment    = "eks-prod"
  vpc_id         = "vpc-0123456789abcdef0"
  vpc_cidr_block = "10.0.0.0/16"
}

run "rule_table" {
  command = plan

  assert {
    condition     = length(aws_security_group.this) == 7
    error_message = "cluster, node, alb, rds, elasticache, efs and bastion groups."
  }
  assert {
    condition     = [for k, g in aws_security_group.this : k if contains(keys(g.tags), "kubernetes.io/cluster/orch-eks-prod")] == ["node"] && aws_security_group.this["node"].tags["kubernetes.io/cluster/orch-eks-prod"] == "owned"
    error_message = "Only the node group carries the cluster tag the AWS Load Balancer Controller looks for."
  }
  assert {
    condition = join(",", sort([for k, r in aws_vpc_security_group_ingress_rule.this : "${r.from_port}" if r.cidr_ipv4 == "0.0.0.0/0"])) == "443,80" && alltrue([
      for k, r in aws_vpc_security_group_ingress_rule.this : startswith(k, "alb_") if r.cidr_ipv4 == "0.0.0.0/0"
    ])
    error_message = "Only the ALB may be open to 0.0.0.0/0, and only on 80 and 443."
  }
  assert {
    condition     = alltrue([for r in concat(values(aws_vpc_security_group_ingress_rule.this), values(aws_vpc_security_group_egress_rule.this)) : length(r.description) > 10])
    error_message = "Every rule needs a description."
  }
  assert {
    condition     = [for k, r in aws_vpc_security_group_ingress_rule.this : "${k}:${r.from_port}" if startswith(k, "rds_") || startswith(k, "elasticache_") || startswith(k, "efs_")] == ["efs_nfs_from_node:2049", "elasticache_redis_from_node:6379", "rds_mysql_from_node:3306"]
    error_message = "Data stores accept exactly one port each, from the nodes."
  }
  assert {
    condition     = length([for k, r in aws_vpc_security_group_ingress_rule.this : k if startswith(k, "bastion_")]) == 0
    error_message = "The bastion has no inbound rule (SSM only)."
  }
  assert {
    condition     = alltrue([for r in values(aws_vpc_security_group_egress_rule.this) : r.ip_protocol != "-1" if r.cidr_ipv4 != null])
    error_message = "No all-protocol egress to a CIDR."
  }
}

run "restricted_alb" {
  command = plan
  variables {
    alb_ingress_cidrs = ["203.0.113.0/24", "198.51.100.0/24"]
  }
  assert {
    condition     = length([for r in values(aws_vpc_security_group_ingress_rule.this) : r if r.cidr_ipv4 == "0.0.0.0/0"]) == 0 && length([for k, r in aws_vpc_security_group_ingress_rule.this : k if startswith(k, "alb_")]) == 4
    error_message = "Restricted client CIDRs replace 0.0.0.0/0 (two ports per CIDR)."
  }
}
