output "cluster_name" {
  description = "Name of the EKS cluster."
  value       = aws_eks_cluster.this.name
}

output "cluster_arn" {
  description = "ARN of the EKS cluster."
  value       = aws_eks_cluster.this.arn
}

output "cluster_endpoint" {
  description = "Kubernetes API server endpoint."
  value       = aws_eks_cluster.this.endpoint
}

output "cluster_version" {
  description = "Kubernetes version of the control plane."
  value       = aws_eks_cluster.this.version
}

output "cluster_certificate_authority_data" {
  description = "Base64-encoded certificate authority data of the cluster."
  value       = aws_eks_cluster.this.certificate_authority[0].data
}

output "cluster_primary_security_group_id" {
  description = "Security group EKS creates for the cluster (empty where the API does not report it)."
  value       = try(aws_eks_cluster.this.vpc_config[0].cluster_security_group_id, "")
}

output "oidc_provider_arn" {
  description = "ARN of the IAM OIDC provider (IRSA)."
  value       = aws_iam_openid_connect_provider.this.arn
}

output "oidc_issuer_url" {
  description = "OIDC issuer URL of the cluster (https://...)."
  value       = aws_eks_cluster.this.identity[0].oidc[0].issuer
}

output "cluster_role_arn" {
  description = "ARN of the cluster IAM role."
  value       = module.cluster_role.arn
}

output "log_group_name" {
  description = "CloudWatch log group receiving the control-plane logs."
  value       = aws_cloudwatch_log_group.cluster.name
}

output "access_entries" {
  description = "Map principal ARN -> access level (admin, developer, ci, audit)."
  value       = local.access_entries
}

output "access_policies" {
  description = "Map principal ARN -> its access policies as \"<policy name>@cluster\" or \"<policy name>@<namespace,...>\"."
  value = { for arn, level in local.access_entries : arn => concat(
    ["${local.cluster_policies[level]}@cluster"],
    contains(keys(local.namespaced_edit), arn) ? ["AmazonEKSEditPolicy@${join(",", var.application_namespaces)}"] : [],
  ) }
}

output "kubernetes_groups" {
  description = "Kubernetes groups carried by the developer and audit access entries (50-addons binds its Roles to them)."
  value       = { developers = var.kubernetes_groups.developers, auditors = var.kubernetes_groups.auditors }
}

output "network_addons" {
  description = "Networking add-ons created before compute: name -> version (node groups depend on this layer)."
  value       = { for name, addon in aws_eks_addon.network : name => addon.addon_version }
}

output "vpc_cni_role_arn" {
  description = "IRSA role of the VPC CNI (aws-node); null when enable_network_addons is false."
  value       = try(module.vpc_cni_role[0].arn, null)
}
