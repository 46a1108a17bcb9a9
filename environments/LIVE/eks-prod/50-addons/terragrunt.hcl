# EKS managed add-ons (VPC CNI with custom networking, CoreDNS, kube-proxy, EBS/EFS CSI),
# per-AZ ENIConfigs and the Helm-installed controllers, each with its own IRSA role.
include "root" {
  path   = find_in_parent_folders("root.hcl")
  expose = true
}

terraform {
  source = "${include.root.locals.modules}//eks-addons"
}

# The helm/kubernetes providers are configured here, not in the module, so the module
# stays a plain reusable module (callers may use count/for_each/depends_on on it) and one
# file works unchanged on Terraform and OpenTofu. They authenticate with a short-lived
# token from data.aws_eks_cluster_auth (no exec plugin, no kubeconfig) and connect only
# when a Kubernetes resource is planned, so local runs without Kubernetes never dial out.
generate "k8s_providers" {
  path      = "k8s_providers.tf"
  if_exists = "overwrite_terragrunt"
  contents  = <<-EOT
    data "aws_eks_cluster_auth" "this" {
      name = var.cluster_name
    }

    locals {
      # The emulator's CA data is not a certificate; it is decoded only where it is used.
      k8s_ca = var.enable_kubernetes_resources ? base64decode(var.cluster_certificate_authority_data) : null
    }

    provider "kubernetes" {
      host                   = var.cluster_endpoint
      cluster_ca_certificate = local.k8s_ca
      token                  = data.aws_eks_cluster_auth.this.token
    }

    provider "helm" {
      kubernetes = {
        host                   = var.cluster_endpoint
        cluster_ca_certificate = local.k8s_ca
        token                  = data.aws_eks_cluster_auth.this.token
      }
    }
  EOT
}

include "foundation" {
  path = "${get_terragrunt_dir()}/../_deps/foundation.hcl"
}

include "networking" {
  path = "${get_terragrunt_dir()}/../_deps/networking.hcl"
}

include "security" {
  path = "${get_terragrunt_dir()}/../_deps/security.hcl"
}

dependency "cluster" {
  config_path  = "../30-eks-cluster"
  skip_outputs = include.root.locals.offline
  mock_outputs = {
    cluster_name                       = "orch-eks-prod"
    cluster_version                    = "1.35"
    cluster_endpoint                   = "https://0000000000000000000000000000000A.gr7.ap-northeast-2.eks.amazonaws.com"
    cluster_certificate_authority_data = "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1PQ0sKLS0tLS1FTkQgQ0VSVElGSUNBVEUtLS0tLQo="
    oidc_provider_arn                  = "arn:aws:iam::111111111111:oidc-provider/oidc.eks.ap-northeast-2.amazonaws.com/id/0000000000000000000000000000000A"
  }
  mock_outputs_allowed_terraform_commands = ["validate", "plan"]
}

# Add-ons need nodes to schedule on (CoreDNS, CSI controllers, Helm releases).
dependency "nodegroups" {
  config_path  = "../40-nodegroups"
  skip_outputs = include.root.locals.offline
  mock_outputs = {
    node_role_arn    = "arn:aws:iam::111111111111:role/orch-eks-prod-node"
    node_group_names = { system = "orch-eks-prod-system", application = "orch-eks-prod-application", spot = "orch-eks-prod-spot" }
  }
  mock_outputs_allowed_terraform_commands = ["validate", "plan"]
}

inputs = {
  cluster_name                       = dependency.cluster.outputs.cluster_name
  kubernetes_version                 = dependency.cluster.outputs.cluster_version
  cluster_endpoint                   = dependency.cluster.outputs.cluster_endpoint
  cluster_certificate_authority_data = dependency.cluster.outputs.cluster_certificate_authority_data
  oidc_provider_arn                  = dependency.cluster.outputs.oidc_provider_arn
  vpc_id                             = dependency.networking.outputs.vpc_id
  pod_subnet_ids_by_az               = dependency.networking.outputs.pod_subnet_ids_by_az
  pod_security_group_ids             = [dependency.security.outputs.node_security_group_id]
  ebs_kms_key_arn                    = dependency.foundation.outputs.kms_key_arns["ebs"]

  route53_zone_arns           = try(include.root.locals.env.eks.route53_zone_arns, [])
  external_dns_domain_filters = try(include.root.locals.env.eks.external_dns_domain_filters, [])
}
