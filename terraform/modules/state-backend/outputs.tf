output "bucket_name" {
  description = "Name of the state bucket."
  value       = aws_s3_bucket.state.id
}

output "bucket_arn" {
  description = "ARN of the state bucket."
  value       = aws_s3_bucket.state.arn
}

output "kms_key_arn" {
  description = "ARN of the customer managed key that encrypts state."
  value       = aws_kms_key.state.arn
}

output "kms_alias_arn" {
  description = "ARN of the key's alias (what the backend's kms_key_id names)."
  value       = aws_kms_alias.state.arn
}

output "lock_table_name" {
  description = "Name of the DynamoDB lock table, or null when lock_mode is s3."
  value       = local.use_dynamodb ? aws_dynamodb_table.lock[0].name : null
}
