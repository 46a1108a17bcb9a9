output "vault_name" {
  description = "Name of the backup vault (locked, KMS-encrypted)."
  value       = aws_backup_vault.this.name
}

output "vault_arn" {
  description = "ARN of the backup vault."
  value       = aws_backup_vault.this.arn
}

output "vault_kms_key_arn" {
  description = "ARN of the KMS key that encrypts the vault's recovery points."
  value       = aws_kms_key.vault.arn
}

output "copy_vault_arn" {
  description = "ARN of the cross-region copy vault (null without copy_region)."
  value       = try(aws_backup_vault.copy[0].arn, null)
}

output "plan_id" {
  description = "Id of the daily backup plan."
  value       = aws_backup_plan.this.id
}

output "plan_arn" {
  description = "ARN of the daily backup plan."
  value       = aws_backup_plan.this.arn
}

output "service_role_arn" {
  description = "ARN of the AWS Backup service role (backup and restore policies)."
  value       = module.service_role.arn
}

output "selection_ids" {
  description = "Ids of the plan's selections (data = by ARN, tagged_ebs = by tag)."
  value = merge(
    { for s in aws_backup_selection.resources : "data" => s.id },
    { for s in aws_backup_selection.tagged_ebs : "tagged_ebs" => s.id },
  )
}
