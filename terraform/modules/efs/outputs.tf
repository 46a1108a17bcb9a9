output "id" {
  description = "File system id (the fileSystemId of the EFS CSI StorageClass)."
  value       = aws_efs_file_system.this.id
}

output "arn" {
  description = "File system ARN."
  value       = aws_efs_file_system.this.arn
}

output "dns_name" {
  description = "File system DNS name."
  value       = aws_efs_file_system.this.dns_name
}

output "mount_target_ids" {
  description = "Mount target ids by AZ."
  value       = { for az, mt in aws_efs_mount_target.this : az => mt.id }
}
