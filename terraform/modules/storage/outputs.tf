output "efs_id" {
  description = "EFS file system id (fileSystemId of the EFS CSI StorageClass)."
  value       = module.efs.id
}

output "efs_arn" {
  description = "EFS file system ARN."
  value       = module.efs.arn
}

output "efs_mount_target_ids" {
  description = "EFS mount target ids by AZ."
  value       = module.efs.mount_target_ids
}

output "bucket_names" {
  description = "Bucket names by purpose (logs plus var.buckets)."
  value       = merge({ logs = module.logs.id }, { for k, b in module.bucket : k => b.id })
}

output "bucket_arns" {
  description = "Bucket ARNs by purpose."
  value       = merge({ logs = module.logs.arn }, { for k, b in module.bucket : k => b.arn })
}
