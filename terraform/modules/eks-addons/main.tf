# EKS managed add-ons that need nodes (CoreDNS, EBS/EFS CSI), their IRSA roles, and the IRSA
# roles of the Helm-installed controllers (helm.tf, secrets.tf). The networking add-ons (vpc-cni,
# kube-proxy) are not here: nodes need them to become Ready, so eks-cluster creates them before
# compute. Namespaces, network policies and RBAC are in namespaces.tf.
locals {
  # Every AWS-facing component gets its own role, trusted only by its service account(s).
  irsa_roles = merge(local.controller_roles, local.external_secrets_role)

  controller_roles = {
    ebs-csi = {
      description = "EBS CSI driver of ${var.cluster_name}"
      subjects    = ["kube-system:ebs-csi-controller-sa"]
      managed     = { ebs = "arn:${local.partition}:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy" }
      inline      = { ebs-kms = data.aws_iam_policy_document.ebs_csi_kms.json }
    }
    efs-csi = {
      description = "EFS CSI driver of ${var.cluster_name}"
      subjects    = ["kube-system:efs-csi-controller-sa", "kube-system:efs-csi-node-sa"]
      managed     = { efs = "arn:${local.partition}:iam::aws:policy/service-role/AmazonEFSCSIDriverPolicy" }
      inline      = {}
    }
    load-balancer-controller = {
      description = "AWS Load Balancer Controller of ${var.cluster_name}"
      subjects    = ["kube-system:aws-load-balancer-controller"]
      managed     = {}
      inline      = { load-balancer-controller = data.aws_iam_policy_document.load_balancer_controller.json }
    }
    cluster-autoscaler = {
      description = "Cluster Autoscaler of ${var.cluster_name}"
      subjects    = ["kube-system:cluster-autoscaler"]
      managed     = {}
      inline      = { cluster-autoscaler = data.aws_iam_policy_document.cluster_autoscaler.json }
    }
    external-dns = {
      description = "External DNS of ${var.cluster_name}"
      subjects    = ["external-dns:external-dns"]
      managed     = {}
      inline      = { external-dns = data.aws_iam_policy_document.external_dns.json }
    }
    cert-manager = {
      description = "cert-manager (Route 53 DNS-01) of ${var.cluster_name}"
      subjects    = ["cert-manager:cert-manager"]
      managed     = {}
      inline      = { cert-manager = data.aws_iam_policy_document.cert_manager.json }
    }
  }

  # An AWS-side resource: created in every mode, like the other roles (the release is Kubernetes-side).
  external_secrets_role = var.external_secrets.enabled ? {
    external-secrets = {
      description = "External Secrets Operator of ${var.cluster_name}: this environment's secrets only"
      subjects    = ["${local.external_secrets_namespace}:external-secrets"]
      managed     = {}
      inline      = { read-environment-secrets = data.aws_iam_policy_document.external_secrets.json }
    }
  } : {}

  # Critical add-ons run on the tainted system node group.
  system_tolerations = [
    { key = "CriticalAddonsOnly", operator = "Exists", effect = "NoSchedule" },
  ]
  system_node_selector = { role = "system" }

  addons = {
    coredns = {
      version = var.addon_versions.coredns
      role    = null
      configuration = jsonencode({
        nodeSelector = local.system_node_selector
        tolerations  = local.system_tolerations
      })
    }
    aws-ebs-csi-driver = {
      version       = var.addon_versions.aws_ebs_csi_driver
      role          = "ebs-csi"
      configuration = jsonencode({ controller = { extraVolumeTags = local.controller_tags } })
    }
    aws-efs-csi-driver = {
      version       = var.addon_versions.aws_efs_csi_driver
      role          = "efs-csi"
      configuration = jsonencode({ controller = { tags = local.controller_tags } })
    }
  }
}

module "irsa" {
  source   = "../iam-role"
  for_each = local.irsa_roles

  name                = "${var.cluster_name}-${each.key}"
  description         = each.value.description
  oidc_provider_arn   = var.oidc_provider_arn
  oidc_subjects       = each.value.subjects
  managed_policy_arns = each.value.managed
  inline_policies     = each.value.inline
  tags                = var.tags
}

resource "aws_eks_addon" "this" {
  for_each = local.addons

  cluster_name                = var.cluster_name
  addon_name                  = each.key
  addon_version               = each.value.version
  service_account_role_arn    = each.value.role == null ? null : module.irsa[each.value.role].arn
  configuration_values        = each.value.configuration
  resolve_conflicts_on_create = "OVERWRITE"
  resolve_conflicts_on_update = "OVERWRITE"

  tags = merge(var.tags, { Name = "${var.cluster_name}-${each.key}" })
}
