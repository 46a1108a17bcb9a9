output "irsa_role_arns" {
  description = "Map component -> IRSA role ARN (ebs-csi, efs-csi, load-balancer-controller, cluster-autoscaler, external-dns, cert-manager, external-secrets)."
  value       = { for k, m in module.irsa : k => m.arn }
}

output "addon_versions" {
  description = "Map add-on name -> installed version (empty when managed add-ons are off)."
  value       = { for k, a in aws_eks_addon.this : k => a.addon_version }
}

output "helm_releases" {
  description = "Map release name -> chart version of the installed Helm releases."
  value       = { for r in helm_release.controller : r.name => r.version }
}

output "external_secrets_role_arn" {
  description = "IRSA role of the External Secrets Operator (null when external_secrets.enabled is false)."
  value       = try(module.irsa["external-secrets"].arn, null)
}

output "external_secrets_readable_secret_arns" {
  description = "Secret ARNs (and the environment's name-prefix pattern) the External Secrets Operator's role may read."
  value       = var.external_secrets.enabled ? local.external_secrets_arns : []
}

output "cluster_secret_store_name" {
  description = "Name of the ClusterSecretStore (Secrets Manager) the application namespaces may use."
  value       = var.external_secrets.store_name
}

output "namespaces" {
  description = "Namespaces this module manages: map name -> tier (platform or application)."
  value       = merge({ for ns in var.namespaces.platform : ns => "platform" }, { for ns in var.namespaces.applications : ns => "application" })
}
