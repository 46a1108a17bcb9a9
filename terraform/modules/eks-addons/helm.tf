# Controllers installed with Helm from their public charts (pinned versions), one row each in
# local.controllers and one helm_release for all of them. Each service account carries its IRSA
# role (local.irsa_roles in main.tf, policies in iam.tf); controllers get region/VPC explicitly so
# they never need IMDS. The local charts (charts/platform-issuers in dns.tf, charts/platform-secrets
# in secrets.tf) are separate releases: they hold the platform's own objects, installed after the
# controller whose CRDs they use.
locals {
  helm_enabled = var.enable_kubernetes_resources
  # A chart named in unavailable_helm_charts is not installed (local runs: no chart repository is
  # reachable); everything else in the cluster still is.
  chart_available = { for k in keys(local.controllers_wanted) : k => !contains(keys(var.unavailable_helm_charts), k) }

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


locals {
  # The service account block a chart's values take, from the IRSA role of that key: the account
  # the role trusts (its one subject, "namespace:name"), annotated with the role's ARN.
  irsa_service_accounts = {
    for k, r in local.irsa_roles : k => {
      create      = true
      name        = element(split(":", r.subjects[0]), 1)
      annotations = { (local.irsa_annotation) = module.irsa[k].arn }
    } if length(r.subjects) == 1
  }

  # Release name (= key) -> whether it is installed, chart, repository, pinned version, namespace
  # (created with the release unless kube-system) and values besides the placement on the system
  # nodes (local.placement, merged first). A controller that calls AWS has its IRSA role's service
  # account in its values, where its chart expects it; Metrics Server calls no AWS API and has none.
  controllers = { for k, c in local.controllers_wanted : k => merge(c, { enabled = c.enabled && local.chart_available[k] }) }

  controllers_wanted = {
    aws-load-balancer-controller = {
      enabled    = local.helm_enabled
      chart      = "aws-load-balancer-controller"
      repository = "https://aws.github.io/eks-charts"
      version    = var.chart_versions.aws_load_balancer_controller
      namespace  = "kube-system"
      values = {
        clusterName    = var.cluster_name
        region         = var.region
        vpcId          = var.vpc_id
        replicaCount   = 2
        defaultTags    = local.controller_tags
        serviceAccount = local.irsa_service_accounts["load-balancer-controller"]
      }
    }

    cluster-autoscaler = {
      enabled    = local.helm_enabled
      chart      = "cluster-autoscaler"
      repository = "https://kubernetes.github.io/autoscaler"
      version    = var.chart_versions.cluster_autoscaler
      namespace  = "kube-system"
      values = {
        cloudProvider = "aws"
        awsRegion     = var.region
        image         = { tag = local.cluster_autoscaler_image_tag }
        autoDiscovery = { clusterName = var.cluster_name }
        extraArgs = {
          balance-similar-node-groups = "true"
          expander                    = "least-waste"
          skip-nodes-with-system-pods = "false"
        }
        rbac = { serviceAccount = local.irsa_service_accounts["cluster-autoscaler"] }
      }
    }

    metrics-server = {
      enabled    = local.helm_enabled
      chart      = "metrics-server"
      repository = "https://kubernetes-sigs.github.io/metrics-server/"
      version    = var.chart_versions.metrics_server
      namespace  = "kube-system"
      values = {
        replicas = 2
      }
    }

    # Only with hosted zones (dns.tf), and only those zones, even where IAM would let it list others.
    external-dns = {
      enabled    = local.dns_enabled
      chart      = "external-dns"
      repository = "https://kubernetes-sigs.github.io/external-dns/"
      version    = var.chart_versions.external_dns
      namespace  = "external-dns"
      values = {
        provider       = { name = "aws" }
        env            = [{ name = "AWS_DEFAULT_REGION", value = var.region }]
        policy         = "upsert-only"
        txtOwnerId     = var.cluster_name
        domainFilters  = var.external_dns_domain_filters
        extraArgs      = [for id in local.hosted_zone_ids : "--zone-id-filter=${id}"]
        serviceAccount = local.irsa_service_accounts["external-dns"]
      }
    }

    cert-manager = {
      enabled    = local.helm_enabled
      chart      = "cert-manager"
      repository = "https://charts.jetstack.io"
      version    = var.chart_versions.cert_manager
      namespace  = "cert-manager"
      values = {
        crds            = { enabled = true }
        serviceAccount  = local.irsa_service_accounts["cert-manager"]
        webhook         = local.placement
        cainjector      = local.placement
        startupapicheck = local.placement
      }
    }

    # The External Secrets Operator; its store and example ExternalSecret are in secrets.tf.
    external-secrets = {
      enabled    = local.external_secrets_enabled
      chart      = "external-secrets"
      repository = "https://charts.external-secrets.io"
      version    = var.chart_versions.external_secrets
      namespace  = local.external_secrets_namespace
      values = {
        installCRDs    = true
        replicaCount   = 2
        leaderElect    = true
        serviceAccount = try(local.irsa_service_accounts["external-secrets"], null)
        webhook        = merge(local.placement, { replicaCount = 2 })
        certController = local.placement
      }
    }
  }
}

resource "helm_release" "controller" {
  for_each = { for k, c in local.controllers : k => c if c.enabled }

  name             = each.key
  namespace        = each.value.namespace
  create_namespace = each.value.namespace != "kube-system"
  repository       = each.value.repository
  chart            = each.value.chart
  version          = each.value.version
  atomic           = true
  timeout          = 600

  values = [yamlencode(merge(local.placement, each.value.values))]

  depends_on = [aws_eks_addon.this]
}

# The releases were one resource each before; moved, not reinstalled.
moved {
  from = helm_release.aws_load_balancer_controller[0]
  to   = helm_release.controller["aws-load-balancer-controller"]
}

moved {
  from = helm_release.cluster_autoscaler[0]
  to   = helm_release.controller["cluster-autoscaler"]
}

moved {
  from = helm_release.metrics_server[0]
  to   = helm_release.controller["metrics-server"]
}

moved {
  from = helm_release.external_dns[0]
  to   = helm_release.controller["external-dns"]
}

moved {
  from = helm_release.cert_manager[0]
  to   = helm_release.controller["cert-manager"]
}

moved {
  from = helm_release.external_secrets[0]
  to   = helm_release.controller["external-secrets"]
}
