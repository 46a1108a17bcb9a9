# The Kubernetes and Helm providers of a unit that talks to the cluster's API (50-addons generates
# this file as k8s_providers.tf). They are configured in the unit, not the module, so the module
# stays plain and reusable (count/for_each/depends_on work on it).
#
# Credentials: the exec plugin runs `aws eks get-token` each time an engine command needs the API,
# so a saved plan holds no token. A data-source token (aws_eks_cluster_auth) would be frozen into
# the plan and dead 15 minutes later, failing any apply approved after that. The agent therefore
# needs the AWS CLI on PATH (`orch doctor` checks it); it signs with the credentials the engine has
# (orch's assumed execution role).
data "aws_caller_identity" "applying" {}

data "aws_iam_session_context" "applying" {
  arn = data.aws_caller_identity.applying.arn
}

data "aws_eks_clusters" "existing" {}

# The identity applying this unit must have an access entry on the cluster (30-eks-cluster gives
# one to the execution role). Reading it at plan time fails the plan, naming the role, instead of
# a 401 halfway through an apply. Skipped while the cluster does not exist yet (first bring-up).
data "aws_eks_access_entry" "applying" {
  count = contains(data.aws_eks_clusters.existing.names, var.cluster_name) ? 1 : 0

  cluster_name  = var.cluster_name
  principal_arn = data.aws_iam_session_context.applying.issuer_arn
}

locals {
  # The cluster's CA (base64 PEM). Mock outputs (plans before 30-eks-cluster exists) are no
  # certificate; nothing connects with them.
  k8s_ca = try(base64decode(var.cluster_certificate_authority_data), null)
  k8s_exec = {
    api_version = "client.authentication.k8s.io/v1beta1"
    command     = "aws"
    args        = ["eks", "get-token", "--cluster-name", var.cluster_name, "--region", var.region, "--output", "json"]
  }
}

provider "kubernetes" {
  host                   = var.cluster_endpoint
  cluster_ca_certificate = local.k8s_ca

  exec {
    api_version = local.k8s_exec.api_version
    command     = local.k8s_exec.command
    args        = local.k8s_exec.args
  }
}

provider "helm" {
  kubernetes = {
    host                   = var.cluster_endpoint
    cluster_ca_certificate = local.k8s_ca
    exec                   = local.k8s_exec
  }
}
