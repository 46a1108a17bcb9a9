locals {
  ordered = { for tier in keys(local.tier_cidrs) : tier => [for az in var.azs : "${tier}-${module.naming.az_suffix[az]}"] }
}

output "vpc_id" {
  description = "ID of the VPC."
  value       = aws_vpc.this.id
}

output "vpc_cidr_block" {
  description = "IPv4 CIDR of the VPC."
  value       = aws_vpc.this.cidr_block
}

output "azs" {
  description = "Availability zones, in the order every subnet list follows."
  value       = var.azs
}

output "public_subnet_ids" {
  description = "Public subnet IDs (AZ order)."
  value       = [for k in local.ordered.public : aws_subnet.this[k].id]
}

output "private_subnet_ids" {
  description = "Private (node) subnet IDs (AZ order)."
  value       = [for k in local.ordered.private : aws_subnet.this[k].id]
}

output "database_subnet_ids" {
  description = "Isolated database subnet IDs (AZ order)."
  value       = [for k in local.ordered.database : aws_subnet.this[k].id]
}

output "pod_subnet_ids" {
  description = "Pod subnet IDs for VPC CNI custom networking (AZ order)."
  value       = [for k in local.ordered.pod : aws_subnet.this[k].id]
}

output "pod_subnet_ids_by_az" {
  description = "Map AZ -> pod subnet ID (one ENIConfig per AZ)."
  value       = { for az in var.azs : az => aws_subnet.this["pod-${module.naming.az_suffix[az]}"].id }
}

output "subnet_cidrs" {
  description = "Map tier -> CIDRs (AZ order)."
  value       = local.tier_cidrs
}

output "public_route_table_ids" {
  description = "Public route table IDs (AZ order)."
  value       = [for k in local.ordered.public : aws_route_table.this[k].id]
}

output "private_route_table_ids" {
  description = "Private (node) route table IDs (AZ order)."
  value       = [for k in local.ordered.private : aws_route_table.this[k].id]
}

output "pod_route_table_ids" {
  description = "Pod route table IDs (AZ order)."
  value       = [for k in local.ordered.pod : aws_route_table.this[k].id]
}

output "database_route_table_ids" {
  description = "Database route table IDs (AZ order); they have no internet route."
  value       = [for k in local.ordered.database : aws_route_table.this[k].id]
}

output "nat_gateway_ids" {
  description = "NAT gateway IDs (AZ order)."
  value       = [for az in var.azs : aws_nat_gateway.this[az].id if contains(keys(local.nat_azs), az)]
}

output "nat_public_ips" {
  description = "Public IPs of the NAT gateways (AZ order), e.g. for allow lists of external services."
  value       = [for az in var.azs : aws_eip.nat[az].public_ip if contains(keys(local.nat_azs), az)]
}

output "internet_gateway_id" {
  description = "ID of the internet gateway."
  value       = aws_internet_gateway.this.id
}

output "database_subnet_group_name" {
  description = "Name of the DB subnet group over the database subnets."
  value       = aws_db_subnet_group.this.name
}

output "vpc_endpoint_security_group_id" {
  description = "Security group of the interface endpoints (443 from the VPC CIDR)."
  value       = aws_security_group.endpoints.id
}

output "vpc_endpoint_ids" {
  description = "Map service -> VPC endpoint ID (s3 gateway and interface endpoints)."
  value       = merge({ s3 = aws_vpc_endpoint.s3.id }, { for s, e in aws_vpc_endpoint.interface : s => e.id })
}

output "interface_endpoint_policies" {
  description = "Map service -> policy document of its interface endpoint (this account's principals only)."
  value       = { for s, d in data.aws_iam_policy_document.endpoint : s => d.json }
}

output "flow_log_id" {
  description = "ID of the VPC flow log."
  value       = aws_flow_log.this.id
}

output "flow_log_group_name" {
  description = "CloudWatch log group that receives the flow logs."
  value       = aws_cloudwatch_log_group.flow_logs.name
}
