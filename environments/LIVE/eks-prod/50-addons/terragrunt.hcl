# EKS managed add-ons that need nodes (CoreDNS, EBS/EFS CSI) and the Helm-installed controllers,
# each with its own IRSA role. vpc-cni and kube-proxy come earlier, from 30-eks-cluster.
include "root" {
  path   = find_in_parent_folders("root.hcl")
  expose = true
}

terraform {
  source = "${include.root.locals.modules}//eks-addons"
}

# The Kubernetes/Helm providers (exec credentials, access check): one file, shared by every unit
# that talks to the cluster's API; its comments say why it looks the way it does.
generate "k8s_providers" {
  path      = "k8s_providers.tf"
  if_exists = "overwrite_terragrunt"
  contents  = file("${get_terragrunt_dir()}/../_deps/kubernetes_providers.tf")
}

include "foundation" {
  path = "${get_terragrunt_dir()}/../_deps/foundation.hcl"
}

include "networking" {
  path = "${get_terragrunt_dir()}/../_deps/networking.hcl"
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

# The EFS StorageClass provisions on 80-storage's file system.
dependency "storage" {
  config_path  = "../80-storage"
  skip_outputs = include.root.locals.offline
  mock_outputs = {
    efs_id = "fs-00000000000000000"
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
  ebs_kms_key_arn                    = dependency.foundation.outputs.kms_key_arns["ebs"]

  efs_file_system_id = dependency.storage.outputs.efs_id

  # DNS and certificates (env.yaml `eks:`): no zone, no External DNS and no ClusterIssuer.
  route53_zone_arns           = try(include.root.locals.env.eks.route53_zone_arns, [])
  external_dns_domain_filters = try(include.root.locals.env.eks.external_dns_domain_filters, [])
  cluster_issuer              = { email = try(include.root.locals.env.eks.acme_email, null) }
}
