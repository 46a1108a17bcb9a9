output "arn" {
  description = "ARN of the role."
  value       = aws_iam_role.this.arn
}

output "name" {
  description = "Name of the role."
  value       = aws_iam_role.this.name
}

output "unique_id" {
  description = "Stable unique ID of the role."
  value       = aws_iam_role.this.unique_id
}

output "assume_role_policy" {
  description = "The trust policy JSON attached to the role."
  value       = data.aws_iam_policy_document.assume.json
}

output "managed_policy_arns" {
  description = "ARNs of the managed policies attached to the role."
  value       = toset([for a in aws_iam_role_policy_attachment.managed : a.policy_arn])
}
