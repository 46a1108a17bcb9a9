output "cluster_id" {
  description = "Cluster identifier."
  value       = aws_rds_cluster.this.id
}

output "cluster_arn" {
  description = "Cluster ARN."
  value       = aws_rds_cluster.this.arn
}

output "cluster_resource_id" {
  description = "Cluster resource id (used in rds-db:connect IAM policies)."
  value       = aws_rds_cluster.this.cluster_resource_id
}

output "engine_version_actual" {
  description = "Engine version the cluster runs now (at least engine_version; newer after AWS's automatic minor upgrades)."
  value       = aws_rds_cluster.this.engine_version_actual
}

output "cluster_endpoint" {
  description = "Writer endpoint."
  value       = aws_rds_cluster.this.endpoint
}

output "reader_endpoint" {
  description = "Load-balanced reader endpoint."
  value       = aws_rds_cluster.this.reader_endpoint
}

output "port" {
  description = "MySQL port."
  value       = aws_rds_cluster.this.port
}

output "database_name" {
  description = "Name of the initial database."
  value       = aws_rds_cluster.this.database_name
}

output "master_username" {
  description = "Master user name."
  value       = aws_rds_cluster.this.master_username
}

output "master_user_secret_arn" {
  description = "ARN of the Secrets Manager secret (managed by RDS) that holds the master credentials."
  value       = aws_rds_cluster.this.master_user_secret[0].secret_arn
}

output "instance_ids" {
  description = "Instance identifiers, writer first."
  value       = [for k in sort(keys(aws_rds_cluster_instance.this)) : aws_rds_cluster_instance.this[k].identifier]
}

output "db_subnet_group_name" {
  description = "DB subnet group the cluster uses."
  value       = local.db_subnet_group_name
}

output "cluster_parameter_group_name" {
  description = "Cluster parameter group name."
  value       = aws_rds_cluster_parameter_group.this.name
}

output "instance_parameter_group_name" {
  description = "DB (instance) parameter group name."
  value       = aws_db_parameter_group.this.name
}

output "log_group_names" {
  description = "CloudWatch log groups of the exported database logs, by log type (what 90-monitoring subscribes to the log archive)."
  value       = { for k, g in aws_cloudwatch_log_group.this : k => g.name }
}
