output "cluster_security_group_id" {
  description = "Additional security group of the EKS control plane."
  value       = aws_security_group.this["cluster"].id
}

output "node_security_group_id" {
  description = "Security group of the worker nodes (and pods, via ENIConfig)."
  value       = aws_security_group.this["node"].id
}

output "alb_security_group_id" {
  description = "Security group of internet-facing ALBs."
  value       = aws_security_group.this["alb"].id
}

output "rds_security_group_id" {
  description = "Security group of the Aurora cluster."
  value       = aws_security_group.this["rds"].id
}

output "elasticache_security_group_id" {
  description = "Security group of the ElastiCache replication group."
  value       = aws_security_group.this["elasticache"].id
}

output "efs_security_group_id" {
  description = "Security group of the EFS mount targets."
  value       = aws_security_group.this["efs"].id
}

output "bastion_security_group_id" {
  description = "Security group of the SSM bastion (no inbound)."
  value       = aws_security_group.this["bastion"].id
}

output "security_group_ids" {
  description = "Map role -> security group ID."
  value       = { for k, g in aws_security_group.this : k => g.id }
}
