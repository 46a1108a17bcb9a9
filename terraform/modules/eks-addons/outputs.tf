output "irsa_role_arns" {
  description = "Map component -> IRSA role ARN (ebs-csi, efs-csi, load-balancer-controller, cluster-autoscaler, external-dns, cert-manager)."
  value       = { for k, m in module.irsa : k => m.arn }
}

output "addon_versions" {
  description = "Map add-on name -> installed version (empty when managed add-ons are off)."
  value       = { for k, a in aws_eks_addon.this : k => a.addon_version }
}

output "helm_releases" {
  description = "Map release name -> chart version of the installed Helm releases."
  value = {
    for r in concat(
      helm_release.aws_load_balancer_controller, helm_release.cluster_autoscaler, helm_release.metrics_server,
      helm_release.external_dns, helm_release.cert_manager,
    ) : r.name => r.version
  }
}
