output "name_prefix" {
  description = "Prefix of every resource name, e.g. orch-eks-prod."
  value       = module.naming.name_prefix
}

output "cluster_name" {
  description = "EKS cluster name derived by the naming module."
  value       = module.naming.cluster_name
}

output "kms_key_arns" {
  description = "Map purpose (eks, logs, ebs, rds, elasticache, sns, efs, s3) -> KMS key ARN."
  value       = module.kms.key_arns
}

output "kms_key_ids" {
  description = "Map purpose (eks, logs, ebs, rds, elasticache, sns, efs, s3) -> KMS key ID."
  value       = module.kms.key_ids
}

output "kms_alias_names" {
  description = "Map purpose -> KMS alias name."
  value       = module.kms.alias_names
}

output "ebs_default_kms_key_arn" {
  description = "KMS key that encrypts new EBS volumes of the account and region by default (null when set_ebs_default_kms_key is false: then AWS's aws/ebs key)."
  value       = length(aws_ebs_default_kms_key.this) > 0 ? aws_ebs_default_kms_key.this[0].key_arn : null
}
