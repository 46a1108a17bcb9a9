# EKS control plane: cluster, encrypted control-plane logs, OIDC provider (IRSA), access entries
# for the admin / developer / audit / CI roles (Kubernetes RBAC), and the networking add-ons (vpc-cni with
# custom networking, kube-proxy) that every node needs before it can become Ready: they are
# created here, before 40-nodegroups, never after.
terraform {
  source = "${local.settings.modules}//eks-cluster"
}

locals {
  settings = read_terragrunt_config(find_in_parent_folders("settings.hcl")).locals # docs/hcl-conventions.md: why

  # Optional environment settings (env.yaml `eks:`); absent keys fall back to safe values.
  eks = try(local.settings.env.eks, {})

  # Role ARNs as the target account knows them (local mode: the emulator's account).
  roles = { for list in ["admin_role_arns", "developer_role_arns", "audit_role_arns", "ci_role_arns"] : list => [
    for arn in try(local.eks[list], []) : replace(arn, local.settings.account_arn_from, local.settings.account_arn_to)
  ] }
  execution_role_arn = replace(local.settings.role_arn, local.settings.account_arn_from, local.settings.account_arn_to)
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

  # Custom networking: the VPC CNI's ENIConfigs (created by the add-on) put pod ENIs in the
  # pod subnets with the node security group.
  pod_subnet_ids_by_az   = dependency.networking.outputs.pod_subnet_ids_by_az
  pod_security_group_ids = [dependency.security.outputs.node_security_group_id]

  # Access entries replace the aws-auth ConfigMap. The Terraform execution role (the identity
  # that applies 50-addons: CRDs, cluster RBAC) is always a cluster admin; orch refuses an env.yaml
  # in which nobody would be. CI roles are never cluster admin (view), developers edit only the
  # application namespaces (50-addons creates them) and view the rest, auditors view.
  admin_role_arns        = compact(concat(local.roles.admin_role_arns, [local.execution_role_arn]))
  developer_role_arns    = local.roles.developer_role_arns
  audit_role_arns        = local.roles.audit_role_arns
  ci_role_arns           = local.roles.ci_role_arns
  application_namespaces = try(local.eks.namespaces.applications, [])
}
