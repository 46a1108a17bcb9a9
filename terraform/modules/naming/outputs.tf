output "name_prefix" {
  description = "Prefix of every resource name, e.g. orch-eks-prod."
  value       = local.name_prefix
}

output "cluster_name" {
  description = "EKS cluster name (also used in kubernetes.io/cluster/<name> subnet tags)."
  value       = local.names.cluster
}

output "names" {
  description = "Single-resource names by purpose (vpc, internet_gateway, db_subnet_group, flow_log_group, ...)."
  value       = local.names
}

output "az_suffix" {
  description = "Map AZ -> zone letter used in per-AZ names."
  value       = local.az_suffix
}

output "subnet_names" {
  description = "Map tier (public, private, database, pod) -> AZ -> subnet name."
  value       = local.subnet_names
}

output "route_table_names" {
  description = "Map tier -> AZ -> route table name."
  value       = local.route_table_names
}

output "nat_gateway_names" {
  description = "Map AZ -> NAT gateway name."
  value       = local.nat_gateway_names
}

output "eip_names" {
  description = "Map AZ -> name of the NAT gateway's Elastic IP."
  value       = local.eip_names
}

output "kms_purposes" {
  description = "Purposes that get their own KMS key (the 00-foundation contract keys)."
  value       = local.kms_purposes
}

output "kms_alias_names" {
  description = "Map purpose -> KMS alias name, e.g. alias/orch-eks-prod/logs."
  value       = local.kms_alias_names
}

output "security_group_names" {
  description = "Map role (cluster, node, alb, rds, elasticache, efs, bastion, vpc-endpoints) -> security group name."
  value       = local.security_group_names
}

output "tags" {
  description = "Common tags: the environment's tags plus orch:environment."
  value       = local.tags
}
