# Controllers installed with Helm (pinned chart versions). Each service account carries
# its IRSA role; controllers get region/VPC explicitly so they never need IMDS.
locals {
  helm_enabled = var.enable_kubernetes_resources

  placement = {
    nodeSelector = local.system_node_selector
    tolerations  = local.system_tolerations
  }

  irsa_annotation = "eks.amazonaws.com/role-arn"

  # Cost allocation: what the controllers create (EBS volumes, EFS access points, load balancers and
  # target groups) carries the platform's cost tags, so Cost Explorer splits it like the rest.
  controller_tags = { for k, v in var.tags : k => v if contains(["Project", "Environment", "Layer", "CostCenter", "Owner"], k) }

  # Cluster Autoscaler is released per Kubernetes minor and only that line is supported against
  # a cluster (1.N.x for Kubernetes 1.N); the chart's default image follows the chart version
  # instead, so an upgraded cluster or a newer chart would silently run a mismatched autoscaler.
  cluster_autoscaler_image_tag = coalesce(var.cluster_autoscaler_image_tag, "v${var.kubernetes_version}.0")
}

resource "helm_release" "aws_load_balancer_controller" {
  count = local.helm_enabled ? 1 : 0

  name       = "aws-load-balancer-controller"
  namespace  = "kube-system"
  repository = "https://aws.github.io/eks-charts"
  chart      = "aws-load-balancer-controller"
  version    = var.chart_versions.aws_load_balancer_controller
  atomic     = true
  timeout    = 600

  values = [yamlencode(merge(local.placement, {
    clusterName  = var.cluster_name
    region       = var.region
    vpcId        = var.vpc_id
    replicaCount = 2
    defaultTags  = local.controller_tags
    serviceAccount = {
      create      = true
      name        = "aws-load-balancer-controller"
      annotations = { (local.irsa_annotation) = module.irsa["load-balancer-controller"].arn }
    }
  }))]

  depends_on = [aws_eks_addon.this]
}

resource "helm_release" "cluster_autoscaler" {
  count = local.helm_enabled ? 1 : 0

  name       = "cluster-autoscaler"
  namespace  = "kube-system"
  repository = "https://kubernetes.github.io/autoscaler"
  chart      = "cluster-autoscaler"
  version    = var.chart_versions.cluster_autoscaler
  atomic     = true
  timeout    = 600

  values = [yamlencode(merge(local.placement, {
    cloudProvider = "aws"
    awsRegion     = var.region
    image         = { tag = local.cluster_autoscaler_image_tag }
    autoDiscovery = { clusterName = var.cluster_name }
    extraArgs = {
      balance-similar-node-groups = "true"
      expander                    = "least-waste"
      skip-nodes-with-system-pods = "false"
    }
    rbac = {
      serviceAccount = {
        create      = true
        name        = "cluster-autoscaler"
        annotations = { (local.irsa_annotation) = module.irsa["cluster-autoscaler"].arn }
      }
    }
  }))]

  depends_on = [aws_eks_addon.this]
}

# Metrics Server calls no AWS API, so it has no IAM role at all (the least privilege).
resource "helm_release" "metrics_server" {
  count = local.helm_enabled ? 1 : 0

  name       = "metrics-server"
  namespace  = "kube-system"
  repository = "https://kubernetes-sigs.github.io/metrics-server/"
  chart      = "metrics-server"
  version    = var.chart_versions.metrics_server
  atomic     = true
  timeout    = 600

  values = [yamlencode(merge(local.placement, {
    replicas = 2
  }))]

  depends_on = [aws_eks_addon.this]
}

resource "helm_release" "external_dns" {
  count = local.dns_enabled ? 1 : 0

  name             = "external-dns"
  namespace        = "external-dns"
  create_namespace = true
  repository       = "https://kubernetes-sigs.github.io/external-dns/"
  chart            = "external-dns"
  version          = var.chart_versions.external_dns
  atomic           = true
  timeout          = 600

  values = [yamlencode(merge(local.placement, {
    provider      = { name = "aws" }
    env           = [{ name = "AWS_DEFAULT_REGION", value = var.region }]
    policy        = "upsert-only"
    txtOwnerId    = var.cluster_name
    domainFilters = var.external_dns_domain_filters
    # Only these zones, even where IAM would let it list others.
    extraArgs = [for id in local.hosted_zone_ids : "--zone-id-filter=${id}"]
    serviceAccount = {
      create      = true
      name        = "external-dns"
      annotations = { (local.irsa_annotation) = module.irsa["external-dns"].arn }
    }
  }))]

  depends_on = [aws_eks_addon.this]
}

resource "helm_release" "cert_manager" {
  count = local.helm_enabled ? 1 : 0

  name             = "cert-manager"
  namespace        = "cert-manager"
  create_namespace = true
  repository       = "https://charts.jetstack.io"
  chart            = "cert-manager"
  version          = var.chart_versions.cert_manager
  atomic           = true
  timeout          = 600

  values = [yamlencode(merge(local.placement, {
    crds = { enabled = true }
    serviceAccount = {
      create      = true
      name        = "cert-manager"
      annotations = { (local.irsa_annotation) = module.irsa["cert-manager"].arn }
    }
    webhook         = local.placement
    cainjector      = local.placement
    startupapicheck = local.placement
  }))]

  depends_on = [aws_eks_addon.this]
}
