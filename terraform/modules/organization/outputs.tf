output "organization_id" {
  description = "Id of the organization (o-...)."
  value       = aws_organizations_organization.this.id
}

output "management_account_id" {
  description = "The management account (where this module is applied)."
  value       = aws_organizations_organization.this.master_account_id
}

output "root_id" {
  description = "Id of the organization's root (r-...)."
  value       = local.root_id
}

output "organizational_unit_ids" {
  description = "OU name => OU id (ou-...)."
  value       = local.ou_ids
}

output "account_ids" {
  description = "Member account name => account id."
  value       = { for name, account in aws_organizations_account.this : name => account.id }
}

output "access_role_arns" {
  description = "Member account name => ARN of the access role Organizations created there (assumable from the management account); the path to bootstrap each account."
  value       = { for name, account in aws_organizations_account.this : name => "arn:${local.partition}:iam::${account.id}:role/${var.access_role_name}" }
}

output "policy_ids" {
  description = "SCP key => policy id (p-...)."
  value       = { for key, policy in aws_organizations_policy.this : key => policy.id }
}

output "policy_attachments" {
  description = "SCP key => the target names it is attached to (\"Root\" or OU names)."
  value       = { for policy, targets in var.policy_attachments : policy => sort(targets) }
}

output "trail_arn" {
  description = "ARN of the organization CloudTrail."
  value       = aws_cloudtrail.organization.arn
}

output "log_archive_bucket" {
  description = "Name of the log-archive bucket the organization trail writes to."
  value       = aws_s3_bucket.log_archive.id
}

output "log_archive_kms_key_arn" {
  description = "KMS key encrypting the log archive and the trail's log group."
  value       = aws_kms_key.logs.arn
}

output "trail_log_group_name" {
  description = "CloudWatch Logs group receiving the organization trail."
  value       = aws_cloudwatch_log_group.trail.name
}

output "security_account_id" {
  description = "The delegated administrator of GuardDuty and Security Hub."
  value       = local.security_account
}

output "cost_allocation_tag_keys" {
  description = "Tag keys activated as cost allocation tags for the organization, sorted."
  value       = sort(keys(aws_ce_cost_allocation_tag.this))
}
