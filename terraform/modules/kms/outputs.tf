output "key_arns" {
  description = "Map purpose -> key ARN."
  value       = { for p, k in aws_kms_key.this : p => k.arn }
}

output "key_ids" {
  description = "Map purpose -> key ID."
  value       = { for p, k in aws_kms_key.this : p => k.key_id }
}

output "alias_names" {
  description = "Map purpose -> alias name."
  value       = { for p, a in aws_kms_alias.this : p => a.name }
}

output "alias_arns" {
  description = "Map purpose -> alias ARN."
  value       = { for p, a in aws_kms_alias.this : p => a.arn }
}
