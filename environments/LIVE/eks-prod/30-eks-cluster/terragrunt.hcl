# EKS control plane: cluster, encrypted control-plane logs, OIDC provider (IRSA) and
# access entries for the admin / developer (read-only) / CI roles.
include "root" {
  path   = find_in_parent_folders("root.hcl")
  expose = true
}

terraform {
  source = "${include.root.locals.modules}//eks-cluster"
}

locals {
  # Optional environment settings (env.yaml `eks:`); absent keys fall back to safe values.
  eks = try(include.root.locals.env.eks, {})
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

inputs = {
  cluster_name              = dependency.foundation.outputs.name_prefix
  kubernetes_version        = try(local.eks.kubernetes_version, "1.35")
  subnet_ids                = dependency.networking.outputs.private_subnet_ids
  cluster_security_group_id = dependency.security.outputs.cluster_security_group_id
  secrets_kms_key_arn       = dependency.foundation.outputs.kms_key_arns["eks"]
  logs_kms_key_arn          = dependency.foundation.outputs.kms_key_arns["logs"]

  # The public endpoint stays on only with an allow-list (office / VPN / CI egress).
  public_access_cidrs    = try(local.eks.public_access_cidrs, [])
  endpoint_public_access = length(try(local.eks.public_access_cidrs, [])) > 0

  # Access entries replace the aws-auth ConfigMap. The Terraform execution role (the
  # pipeline) gets cluster admin so it can apply 50-addons.
  admin_role_arns     = try(local.eks.admin_role_arns, [])
  developer_role_arns = try(local.eks.developer_role_arns, [])
  ci_role_arns        = compact(concat(try(local.eks.ci_role_arns, []), [include.root.locals.role_arn]))
}
