# Networking add-ons, created with the cluster and before any node (the order terraform-aws-eks
# calls `before_compute`). The cluster starts without EKS's self-managed copies
# (bootstrap_self_managed_addons = false), so these managed add-ons are the only aws-node and
# kube-proxy; a node group can then only start once its pods can get IPs from the pod subnets.
# CoreDNS and the CSI drivers are Deployments that need nodes: they stay in eks-addons.
locals {
  # Custom networking: pods take IPs from the pod subnets through the ENIConfig named after the
  # node's zone. The add-on creates those ENIConfigs itself (eniConfig.create), so they exist
  # before the first node registers and no Kubernetes API call is needed here.
  vpc_cni_configuration = jsonencode({
    env = {
      AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG = "true"
      ENI_CONFIG_LABEL_DEF               = "topology.kubernetes.io/zone"
    }
    eniConfig = {
      create = true
      region = data.aws_region.current.region
      subnets = { for az, subnet in var.pod_subnet_ids_by_az : az => {
        id             = subnet
        securityGroups = var.pod_security_group_ids
      } }
    }
    enableNetworkPolicy = "true"
  })

  network_addons = var.enable_network_addons ? {
    vpc-cni = {
      version       = var.network_addon_versions.vpc_cni
      role_arn      = module.vpc_cni_role[0].arn
      configuration = local.vpc_cni_configuration
    }
    kube-proxy = {
      version       = var.network_addon_versions.kube_proxy
      role_arn      = null
      configuration = null
    }
  } : {}
}

data "aws_region" "current" {}

# aws-node assigns pod IPs with its own role (IRSA), so the node role carries no
# AmazonEKS_CNI_Policy.
module "vpc_cni_role" {
  source = "../iam-role"
  count  = var.enable_network_addons ? 1 : 0

  name                = "${var.cluster_name}-aws-node"
  description         = "VPC CNI (aws-node) of ${var.cluster_name}"
  oidc_provider_arn   = aws_iam_openid_connect_provider.this.arn
  oidc_subjects       = ["kube-system:aws-node"]
  managed_policy_arns = { cni = "arn:${data.aws_partition.current.partition}:iam::aws:policy/AmazonEKS_CNI_Policy" }
  tags                = var.tags
}

resource "aws_eks_addon" "network" {
  for_each = local.network_addons

  cluster_name                = aws_eks_cluster.this.name
  addon_name                  = each.key
  addon_version               = each.value.version
  service_account_role_arn    = each.value.role_arn
  configuration_values        = each.value.configuration
  resolve_conflicts_on_create = "OVERWRITE"
  resolve_conflicts_on_update = "OVERWRITE"

  tags = merge(var.tags, { Name = "${var.cluster_name}-${each.key}" })
}
