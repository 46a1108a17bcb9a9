# EKS control plane: IAM role, KMS-encrypted control-plane log group, the cluster itself
# (private + allow-listed public endpoint, secrets encryption, standard support),
# the IAM OIDC provider for IRSA, and access entries replacing the aws-auth ConfigMap.
data "aws_partition" "current" {}

locals {
  log_group_name = "/aws/eks/${var.cluster_name}/cluster"

  # One access entry per role, at the highest level of the lists it is in (admin, developer, ci,
  # audit). Every level has one cluster-scoped policy; developers (and CI when ci_access_policy is
  # AmazonEKSEditPolicy) also edit the application namespaces. Only admins are cluster admins.
  cluster_policies = {
    admin     = "AmazonEKSClusterAdminPolicy"
    developer = "AmazonEKSViewPolicy"
    ci        = "AmazonEKSViewPolicy"
    audit     = "AmazonEKSViewPolicy"
  }
  edits_applications = {
    admin     = false
    developer = true
    ci        = var.ci_access_policy == "AmazonEKSEditPolicy"
    audit     = false
  }
  # Kubernetes groups of the entries: 50-addons binds them to what the access policies do not
  # cover (the platform's custom resources) and keeps developers off the platform's NetworkPolicies.
  entry_groups = {
    admin     = []
    developer = [var.kubernetes_groups.developers]
    ci        = []
    audit     = [var.kubernetes_groups.auditors]
  }
  access_entries = tomap(merge(
    { for arn in var.admin_role_arns : arn => "admin" },
    { for arn in var.developer_role_arns : arn => "developer" if !contains(var.admin_role_arns, arn) },
    { for arn in var.ci_role_arns : arn => "ci" if !contains(concat(var.admin_role_arns, var.developer_role_arns), arn) },
    { for arn in var.audit_role_arns : arn => "audit" if !contains(concat(var.admin_role_arns, var.developer_role_arns, var.ci_role_arns), arn) },
  ))
  namespaced_edit = length(var.application_namespaces) == 0 ? {} : {
    for arn, level in local.access_entries : arn => level if local.edits_applications[level]
  }
}

# ---------------------------------------------------------------------------------------
# Cluster IAM role
# ---------------------------------------------------------------------------------------
data "aws_iam_policy_document" "cluster_encryption" {
  statement {
    sid       = "SecretsEnvelopeEncryption"
    effect    = "Allow"
    actions   = ["kms:Encrypt", "kms:Decrypt", "kms:ListGrants", "kms:DescribeKey"]
    resources = [var.secrets_kms_key_arn]
  }
}

module "cluster_role" {
  source = "../iam-role"

  name             = "${var.cluster_name}-cluster"
  description      = "EKS control plane of ${var.cluster_name}"
  trusted_services = ["eks.amazonaws.com"]
  managed_policy_arns = {
    cluster = "arn:${data.aws_partition.current.partition}:iam::aws:policy/AmazonEKSClusterPolicy"
  }
  inline_policies = {
    secrets-encryption = data.aws_iam_policy_document.cluster_encryption.json
  }
  tags = var.tags
}

# ---------------------------------------------------------------------------------------
# Control-plane logs: the group exists (encrypted, with retention) before EKS writes to it
# ---------------------------------------------------------------------------------------
resource "aws_cloudwatch_log_group" "cluster" {
  name              = local.log_group_name
  retention_in_days = var.log_retention_days
  kms_key_id        = var.logs_kms_key_arn

  tags = merge(var.tags, { Name = local.log_group_name })
}

# ---------------------------------------------------------------------------------------
# Cluster
# ---------------------------------------------------------------------------------------
resource "aws_eks_cluster" "this" {
  #checkov:skip=CKV_AWS_39:The public endpoint is required for operators and CI outside the VPC; it is restricted to var.public_access_cidrs (validated: no 0.0.0.0/0) and the private endpoint is on.
  #checkov:skip=CKV_AWS_38:public_access_cidrs comes from a validated variable that refuses 0.0.0.0/0; checkov cannot resolve the variable.
  #checkov:skip=CKV_AWS_339:The version is a variable (default 1.35, in standard support); checkov 3.3.30's static list predates 1.35.
  name     = var.cluster_name
  version  = var.kubernetes_version
  role_arn = module.cluster_role.arn

  enabled_cluster_log_types = var.enabled_log_types

  # No unmanaged aws-node/kube-proxy/CoreDNS: the managed add-ons (addons.tf, eks-addons) are
  # the only copies, created in order. Changing it replaces the cluster.
  bootstrap_self_managed_addons = false

  vpc_config {
    subnet_ids              = var.subnet_ids
    security_group_ids      = [var.cluster_security_group_id]
    endpoint_private_access = true
    endpoint_public_access  = var.endpoint_public_access
    public_access_cidrs     = var.endpoint_public_access ? var.public_access_cidrs : null
  }

  encryption_config {
    resources = ["secrets"]
    provider {
      key_arn = var.secrets_kms_key_arn
    }
  }

  # Access entries (EKS API) instead of the aws-auth ConfigMap.
  access_config {
    authentication_mode                         = "API"
    bootstrap_cluster_creator_admin_permissions = var.bootstrap_cluster_creator_admin_permissions
  }

  upgrade_policy {
    support_type = var.support_type
  }

  tags = merge(var.tags, { Name = var.cluster_name })

  depends_on = [
    aws_cloudwatch_log_group.cluster,
    module.cluster_role,
  ]
}

# ---------------------------------------------------------------------------------------
# IRSA: IAM OIDC provider for the cluster's issuer. No thumbprint: IAM trusts the EKS
# issuer's CA itself, and thumbprint_list is optional in provider 6.x (no tls provider).
# ---------------------------------------------------------------------------------------
resource "aws_iam_openid_connect_provider" "this" {
  url            = aws_eks_cluster.this.identity[0].oidc[0].issuer
  client_id_list = ["sts.amazonaws.com"]

  tags = merge(var.tags, { Name = "${var.cluster_name}-irsa" })
}

# ---------------------------------------------------------------------------------------
# Access entries and policy associations
# ---------------------------------------------------------------------------------------
resource "aws_eks_access_entry" "this" {
  for_each = local.access_entries

  cluster_name      = aws_eks_cluster.this.name
  principal_arn     = each.key
  type              = "STANDARD"
  kubernetes_groups = local.entry_groups[each.value]

  tags = merge(var.tags, { Name = "${var.cluster_name}-${each.value}" })
}

# The cluster-wide policy of each entry (admin: cluster admin; everyone else: view).
resource "aws_eks_access_policy_association" "this" {
  for_each = local.access_entries

  cluster_name  = aws_eks_cluster.this.name
  principal_arn = aws_eks_access_entry.this[each.key].principal_arn
  policy_arn    = "arn:${data.aws_partition.current.partition}:eks::aws:cluster-access-policy/${local.cluster_policies[each.value]}"

  access_scope {
    type = "cluster"
  }
}

# Developers edit (Deployments, Services, ConfigMaps, Secrets, ...) only in the application
# namespaces; EKS does not require the namespaces to exist yet (50-addons creates them).
resource "aws_eks_access_policy_association" "application_edit" {
  for_each = local.namespaced_edit

  cluster_name  = aws_eks_cluster.this.name
  principal_arn = aws_eks_access_entry.this[each.key].principal_arn
  policy_arn    = "arn:${data.aws_partition.current.partition}:eks::aws:cluster-access-policy/AmazonEKSEditPolicy"

  access_scope {
    type       = "namespace"
    namespaces = var.application_namespaces
  }
}
