# The platform's and the applications' namespaces (env.yaml eks.namespaces), default-deny network
# policies with the allows the platform needs in every application namespace (the VPC CNI's
# network-policy engine enforces them: eks-cluster turns it on), and the Kubernetes RBAC the EKS
# access policies do not cover. Who may do what is decided by the access entries of eks-cluster:
# developers get AmazonEKSEditPolicy in the application namespaces and AmazonEKSViewPolicy
# elsewhere, auditors AmazonEKSViewPolicy. Access policies know only Kubernetes' built-in
# resources, so the platform's custom resources (ExternalSecrets, Certificates, ...) are granted
# here to the Kubernetes groups those access entries carry.
locals {
  managed_by = { "app.kubernetes.io/managed-by" = "orch" }

  # What the ClusterSecretStore selects; developers cannot label namespaces (no cluster-scope edit).
  application_namespace_selector = { "orch/tier" = "application" }

  namespace_labels = merge(
    { for ns in var.namespaces.platform : ns => merge(local.managed_by, { "orch/tier" = "platform" }) },
    { for ns in var.namespaces.applications : ns => merge(local.managed_by, local.application_namespace_selector, {
      # Pod Security Admission: refuse privileged pods (host namespaces, hostPath, privileged
      # containers); warn and audit against the restricted profile applications should reach.
      "pod-security.kubernetes.io/enforce" = "baseline"
      "pod-security.kubernetes.io/warn"    = "restricted"
      "pod-security.kubernetes.io/audit"   = "restricted"
    }) },
  )

  policy_namespaces = local.helm_enabled && var.network_policy.enabled ? toset(var.namespaces.applications) : toset([])
  restrict_egress   = var.network_policy.restrict_egress
  load_balancer_allowed = (
    length(var.network_policy.load_balancer_cidrs) + length(var.network_policy.ingress_controller_namespaces) > 0
  )
}

resource "kubernetes_namespace_v1" "this" {
  for_each = local.helm_enabled ? local.namespace_labels : {}

  metadata {
    name   = each.key
    labels = each.value
  }
}

# ---------------------------------------------------------------------------------------
# Network policies of every application namespace. Kubernetes policies only add allows: a pod
# selected by any policy of a direction accepts just what some policy allows.
# ---------------------------------------------------------------------------------------
resource "kubernetes_network_policy_v1" "default_deny" {
  for_each = local.policy_namespaces

  metadata {
    name      = "default-deny"
    namespace = kubernetes_namespace_v1.this[each.key].metadata[0].name
    labels    = local.managed_by
  }
  spec {
    pod_selector {}
    policy_types = local.restrict_egress ? ["Ingress", "Egress"] : ["Ingress"]
  }
}

resource "kubernetes_network_policy_v1" "allow_same_namespace" {
  for_each = local.policy_namespaces

  metadata {
    name      = "allow-same-namespace"
    namespace = kubernetes_namespace_v1.this[each.key].metadata[0].name
    labels    = local.managed_by
  }
  spec {
    pod_selector {}
    policy_types = local.restrict_egress ? ["Ingress", "Egress"] : ["Ingress"]
    ingress {
      from {
        pod_selector {}
      }
    }
    dynamic "egress" {
      for_each = local.restrict_egress ? [1] : []
      content {
        to {
          pod_selector {}
        }
      }
    }
  }
}

# The AWS Load Balancer Controller registers pod IPs (target type ip): traffic arrives from the load
# balancers' addresses in the public (internet-facing) and private (internal, node) subnets. An
# in-cluster ingress controller's namespace can be allowed as well.
resource "kubernetes_network_policy_v1" "allow_from_load_balancers" {
  for_each = local.load_balancer_allowed ? local.policy_namespaces : toset([])

  metadata {
    name      = "allow-from-load-balancers"
    namespace = kubernetes_namespace_v1.this[each.key].metadata[0].name
    labels    = local.managed_by
  }
  spec {
    pod_selector {}
    policy_types = ["Ingress"]
    ingress {
      dynamic "from" {
        for_each = var.network_policy.load_balancer_cidrs
        content {
          ip_block {
            cidr = from.value
          }
        }
      }
      dynamic "from" {
        for_each = length(var.network_policy.ingress_controller_namespaces) > 0 ? [1] : []
        content {
          namespace_selector {
            match_expressions {
              key      = "kubernetes.io/metadata.name"
              operator = "In"
              values   = var.network_policy.ingress_controller_namespaces
            }
          }
        }
      }
    }
  }
}

resource "kubernetes_network_policy_v1" "allow_metrics_scraping" {
  for_each = length(var.network_policy.metrics_namespaces) > 0 ? local.policy_namespaces : toset([])

  metadata {
    name      = "allow-metrics-scraping"
    namespace = kubernetes_namespace_v1.this[each.key].metadata[0].name
    labels    = local.managed_by
  }
  spec {
    pod_selector {}
    policy_types = ["Ingress"]
    ingress {
      from {
        namespace_selector {
          match_expressions {
            key      = "kubernetes.io/metadata.name"
            operator = "In"
            values   = var.network_policy.metrics_namespaces
          }
        }
      }
    }
  }
}

resource "kubernetes_network_policy_v1" "allow_dns" {
  for_each = local.restrict_egress ? local.policy_namespaces : toset([])

  metadata {
    name      = "allow-dns"
    namespace = kubernetes_namespace_v1.this[each.key].metadata[0].name
    labels    = local.managed_by
  }
  spec {
    pod_selector {}
    policy_types = ["Egress"]
    egress {
      to {
        namespace_selector {
          match_labels = { "kubernetes.io/metadata.name" = "kube-system" }
        }
        pod_selector {
          match_labels = { "k8s-app" = "kube-dns" }
        }
      }
      ports {
        protocol = "UDP"
        port     = "53"
      }
      ports {
        protocol = "TCP"
        port     = "53"
      }
    }
  }
}

# Egress beyond DNS: anything inside the VPC (data stores, interface endpoints, the cluster API's
# ENIs) and HTTPS out (S3 through its gateway endpoint, external APIs through the NAT gateways).
resource "kubernetes_network_policy_v1" "allow_egress" {
  for_each = local.restrict_egress ? local.policy_namespaces : toset([])

  metadata {
    name      = "allow-egress"
    namespace = kubernetes_namespace_v1.this[each.key].metadata[0].name
    labels    = local.managed_by
  }
  spec {
    pod_selector {}
    policy_types = ["Egress"]
    dynamic "egress" {
      for_each = length(var.network_policy.egress_cidrs) > 0 ? [1] : []
      content {
        dynamic "to" {
          for_each = var.network_policy.egress_cidrs
          content {
            ip_block {
              cidr = to.value
            }
          }
        }
      }
    }
    dynamic "egress" {
      for_each = length(var.network_policy.https_egress_cidrs) > 0 ? [1] : []
      content {
        dynamic "to" {
          for_each = var.network_policy.https_egress_cidrs
          content {
            ip_block {
              cidr = to.value
            }
          }
        }
        ports {
          protocol = "TCP"
          port     = "443"
        }
      }
    }
  }
}

# ---------------------------------------------------------------------------------------
# RBAC beyond the access policies: the platform's custom resources
# ---------------------------------------------------------------------------------------
resource "kubernetes_cluster_role_v1" "platform_resources_view" {
  count = local.helm_enabled ? 1 : 0

  metadata {
    name   = "orch:platform-resources-view"
    labels = local.managed_by
  }
  rule {
    api_groups = ["external-secrets.io"]
    resources  = ["externalsecrets", "secretstores", "clustersecretstores", "clusterexternalsecrets", "pushsecrets"]
    verbs      = ["get", "list", "watch"]
  }
  rule {
    api_groups = ["cert-manager.io"]
    resources  = ["certificates", "certificaterequests", "issuers", "clusterissuers"]
    verbs      = ["get", "list", "watch"]
  }
  rule {
    api_groups = ["acme.cert-manager.io"]
    resources  = ["orders", "challenges"]
    verbs      = ["get", "list", "watch"]
  }
  rule {
    api_groups = ["elbv2.k8s.aws"]
    resources  = ["targetgroupbindings", "ingressclassparams"]
    verbs      = ["get", "list", "watch"]
  }
  rule {
    api_groups = ["networking.k8s.aws"]
    resources  = ["policyendpoints"]
    verbs      = ["get", "list", "watch"]
  }
}

resource "kubernetes_cluster_role_binding_v1" "platform_resources_view" {
  count = local.helm_enabled ? 1 : 0

  metadata {
    name   = "orch:platform-resources-view"
    labels = local.managed_by
  }
  role_ref {
    api_group = "rbac.authorization.k8s.io"
    kind      = "ClusterRole"
    name      = kubernetes_cluster_role_v1.platform_resources_view[0].metadata[0].name
  }
  dynamic "subject" {
    for_each = [var.kubernetes_groups.developers, var.kubernetes_groups.auditors]
    content {
      api_group = "rbac.authorization.k8s.io"
      kind      = "Group"
      name      = subject.value
    }
  }
}

# What developers manage in their namespaces besides the built-in resources AmazonEKSEditPolicy covers.
resource "kubernetes_cluster_role_v1" "application_resources_edit" {
  count = local.helm_enabled ? 1 : 0

  metadata {
    name   = "orch:application-resources-edit"
    labels = local.managed_by
  }
  rule {
    api_groups = ["external-secrets.io"]
    resources  = ["externalsecrets"]
    verbs      = ["create", "update", "patch", "delete", "deletecollection"]
  }
  rule {
    api_groups = ["cert-manager.io"]
    resources  = ["certificates"]
    verbs      = ["create", "update", "patch", "delete", "deletecollection"]
  }
}

resource "kubernetes_role_binding_v1" "developers" {
  for_each = local.helm_enabled ? toset(var.namespaces.applications) : toset([])

  metadata {
    name      = "orch:developers"
    namespace = kubernetes_namespace_v1.this[each.key].metadata[0].name
    labels    = local.managed_by
  }
  role_ref {
    api_group = "rbac.authorization.k8s.io"
    kind      = "ClusterRole"
    name      = kubernetes_cluster_role_v1.application_resources_edit[0].metadata[0].name
  }
  subject {
    api_group = "rbac.authorization.k8s.io"
    kind      = "Group"
    name      = var.kubernetes_groups.developers
  }
}
