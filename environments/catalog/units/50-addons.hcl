# EKS managed add-ons that need nodes (CoreDNS, EBS/EFS CSI) and the Helm-installed controllers,
# each with its own IRSA role; the namespaces of env.yaml with their network policies and RBAC; the
# External Secrets Operator with its ClusterSecretStore. vpc-cni and kube-proxy come earlier, from
# 30-eks-cluster.
locals {
  settings = read_terragrunt_config(find_in_parent_folders("settings.hcl")).locals # docs/hcl-conventions.md: why

  # Read here, not in the generate block, so Terragrunt reports it among the files this unit reads
  # (`orch plan --changed-since` selects 50 and 90 when it changes).
  kubernetes_providers = file(mark_as_read("${get_parent_terragrunt_dir()}/../kubernetes_providers.tf"))
}

terraform {
  source = "${local.settings.modules}//eks-addons"
}

# The Kubernetes/Helm providers (exec credentials, access check): one file, shared by every unit
# that talks to the cluster's API; its comments say why it looks the way it does.
generate "k8s_providers" {
  path      = "k8s_providers.tf"
  if_exists = "overwrite_terragrunt"
  contents  = local.kubernetes_providers
}

# Add-ons need nodes to schedule on (CoreDNS, CSI controllers, Helm releases).
dependency "nodegroups" {
  config_path  = "${get_terragrunt_dir()}/../40-nodegroups"
  skip_outputs = get_env("ORCH_OFFLINE", "") != "" # orch validate: offline, mocks stand in
  mock_outputs = {
    node_role_arn    = "arn:aws:iam::111111111111:role/orch-eks-prod-node"
    node_group_names = { system = "orch-eks-prod-system", application = "orch-eks-prod-application", spot = "orch-eks-prod-spot" }
  }
  mock_outputs_allowed_terraform_commands = ["validate", "plan"]
}

# The EFS StorageClass provisions on 80-storage's file system.
dependency "storage" {
  config_path  = "${get_terragrunt_dir()}/../80-storage"
  skip_outputs = get_env("ORCH_OFFLINE", "") != "" # orch validate: offline, mocks stand in
  mock_outputs = {
    efs_id = "fs-00000000000000000"
  }
  mock_outputs_allowed_terraform_commands = ["validate", "plan"]
}

# The example ExternalSecret syncs Aurora's master user secret into an application namespace, and
# the operator's role may read exactly that secret. RDS names the secret itself (rds!cluster-<uuid>),
# so no name convention can point at it before 60-database exists: 50-addons reads the ARN from 60.
# 60 needs nothing from 30-50, so the edge adds no cycle; 60 runs alongside 30/40 and 50 waited for
# 40 anyway.
dependency "database" {
  config_path  = "${get_terragrunt_dir()}/../60-database"
  skip_outputs = get_env("ORCH_OFFLINE", "") != "" # orch validate: offline, mocks stand in
  mock_outputs = {
    master_user_secret_arn = "arn:aws:secretsmanager:ap-northeast-2:111111111111:secret:rds!cluster-00000000-0000-0000-0000-000000000000-AbCdEf"
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
  route53_zone_arns           = try(local.settings.env.eks.route53_zone_arns, [])
  external_dns_domain_filters = try(local.settings.env.eks.external_dns_domain_filters, [])
  cluster_issuer              = { email = try(local.settings.env.eks.acme_email, null) }

  # Namespaces (env.yaml eks.namespaces; 30-eks-cluster scopes the developers to the applications')
  # and their RBAC for the groups 30's access entries carry.
  namespaces        = try(local.settings.env.eks.namespaces, {})
  kubernetes_groups = dependency.cluster.outputs.kubernetes_groups

  # Default-deny in every application namespace; load balancers reach pods from the public and
  # private subnets; pods reach the VPC (data stores, endpoints) on any port, elsewhere HTTPS only.
  network_policy = {
    load_balancer_cidrs = concat(dependency.networking.outputs.subnet_cidrs["public"], dependency.networking.outputs.subnet_cidrs["private"])
    egress_cidrs        = [dependency.networking.outputs.vpc_cidr_block]
  }

  # External Secrets Operator: reads the environment's secrets (named <name_prefix>/...) and the
  # Aurora master secret, decrypting with the rds key (which encrypts that secret) through Secrets
  # Manager only.
  external_secrets = {
    secret_name_prefix = "${dependency.foundation.outputs.name_prefix}/"
    kms_key_arns       = [dependency.foundation.outputs.kms_key_arns["rds"]]
  }
  database_secret = {
    secret_arn = dependency.database.outputs.master_user_secret_arn
  }
}
