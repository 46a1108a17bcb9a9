output "execution_role_arn" {
  description = "Terraform execution role (env.yaml execution_role.arn)."
  value       = aws_iam_role.execution.arn
}

output "ci_role_arn" {
  description = "CI/CD role (Jenkins credentials; it applies through the execution role, so its own EKS access entry, if any, is never cluster admin)."
  value       = aws_iam_role.ci.arn
}

output "eks_admin_role_arn" {
  description = "EKS administrator role (30-eks-cluster access entry)."
  value       = aws_iam_role.eks_admin.arn
}

output "developer_role_arn" {
  description = "Developer role (read-only in AWS; env.yaml eks.developer_role_arns: edit in the application namespaces), or null when no developer principals are given."
  value       = length(aws_iam_role.developer) > 0 ? aws_iam_role.developer[0].arn : null
}

output "audit_role_arn" {
  description = "Read-only audit role (env.yaml eks.audit_role_arns: view-only access entry), or null when no audit principals are given."
  value       = length(aws_iam_role.audit) > 0 ? aws_iam_role.audit[0].arn : null
}

output "assume_execution_policy_arn" {
  description = "Policy that allows assuming the execution role (attach it to cross-account CI principals' roles)."
  value       = aws_iam_policy.assume_execution.arn
}
