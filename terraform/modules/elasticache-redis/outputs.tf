output "replication_group_id" {
  description = "Replication group id."
  value       = aws_elasticache_replication_group.this.id
}

output "replication_group_arn" {
  description = "Replication group ARN."
  value       = aws_elasticache_replication_group.this.arn
}

output "configuration_endpoint" {
  description = "Cluster-mode configuration endpoint address (clients connect here with TLS and the AUTH token)."
  value       = aws_elasticache_replication_group.this.configuration_endpoint_address
}

output "port" {
  description = "Redis port."
  value       = aws_elasticache_replication_group.this.port
}

output "member_clusters" {
  description = "Cache cluster (node) ids of the replication group, sorted; CloudWatch metrics use them as CacheClusterId."
  value       = sort(tolist(aws_elasticache_replication_group.this.member_clusters))
}

output "auth_token_secret_arn" {
  description = "ARN of the Secrets Manager secret that holds the AUTH token (the token itself is never an output)."
  value       = aws_secretsmanager_secret.auth_token.arn
}

output "parameter_group_name" {
  description = "Parameter group used by the replication group."
  value       = local.parameter_group_name
}

output "subnet_group_name" {
  description = "Cache subnet group name."
  value       = aws_elasticache_subnet_group.this.name
}

output "log_group_names" {
  description = "CloudWatch log groups receiving the slow log and engine log."
  value       = { for k, g in aws_cloudwatch_log_group.this : k => g.name }
}
