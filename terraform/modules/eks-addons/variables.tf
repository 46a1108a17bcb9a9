variable "cluster_name" {
  type        = string
  description = "Name of the EKS cluster."

  validation {
    condition     = can(regex("^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$", var.cluster_name))
    error_message = "cluster_name must be a valid EKS cluster name."
  }
}

variable "kubernetes_version" {
  type        = string
  description = "Kubernetes minor version of the cluster (30-eks-cluster cluster_version, e.g. 1.35). The Cluster Autoscaler image follows it: cluster-autoscaler 1.N.x supports only Kubernetes 1.N."

  validation {
    condition     = can(regex("^1\\.[0-9]{2}$", var.kubernetes_version))
    error_message = "kubernetes_version must be a Kubernetes minor version such as 1.35."
  }
}

variable "cluster_autoscaler_image_tag" {
  type        = string
  description = "Override of the Cluster Autoscaler image tag (e.g. a later patch release v1.35.2). null derives v<kubernetes_version>.0, the first release of the cluster's line. Must stay on the cluster's minor version."
  default     = null

  validation {
    condition     = var.cluster_autoscaler_image_tag == null || can(regex("^v1\\.[0-9]{2}\\.[0-9]+$", var.cluster_autoscaler_image_tag))
    error_message = "cluster_autoscaler_image_tag must be an exact release tag such as v1.35.2."
  }
  validation {
    condition     = var.cluster_autoscaler_image_tag == null || startswith(coalesce(var.cluster_autoscaler_image_tag, "-"), "v${var.kubernetes_version}.")
    error_message = "cluster_autoscaler_image_tag must be a release of the cluster's Kubernetes minor (v<kubernetes_version>.x): Cluster Autoscaler supports only its own minor."
  }
}

# Read by the helm/kubernetes provider blocks the caller generates next to the module: 50-addons'
# provider.tf; the module itself declares no provider configuration
# tflint-ignore: terraform_unused_declarations
variable "cluster_endpoint" {
  type        = string
  description = "API server endpoint; read by the helm/kubernetes provider configuration the caller supplies (50-addons generates it)."
  default     = null
}

# Read by the helm/kubernetes provider blocks the caller generates next to the module: 50-addons'
# provider.tf; the module itself declares no provider configuration
# tflint-ignore: terraform_unused_declarations
variable "cluster_certificate_authority_data" {
  type        = string
  description = "Base64 cluster CA; read by the helm/kubernetes provider configuration the caller supplies (50-addons generates it)."
  default     = null
}

variable "oidc_provider_arn" {
  type        = string
  description = "ARN of the cluster's IAM OIDC provider (30-eks-cluster oidc_provider_arn); every add-on role trusts it (IRSA)."

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:oidc-provider/.+$", var.oidc_provider_arn))
    error_message = "oidc_provider_arn must be an IAM OIDC provider ARN."
  }
}

variable "region" {
  type        = string
  description = "AWS region of the cluster (passed to controllers so they never need instance metadata)."

  validation {
    condition     = can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]$", var.region))
    error_message = "region must be an AWS region name such as ap-northeast-2."
  }
}

variable "vpc_id" {
  type        = string
  description = "VPC of the cluster (for the AWS Load Balancer Controller)."

  validation {
    condition     = can(regex("^vpc-[0-9a-f]+$", var.vpc_id))
    error_message = "vpc_id must be a VPC ID."
  }
}

variable "ebs_kms_key_arn" {
  type        = string
  description = "KMS key the EBS CSI driver encrypts volumes with (00-foundation kms_key_arns.ebs)."

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:", var.ebs_kms_key_arn))
    error_message = "ebs_kms_key_arn must be a KMS key ARN."
  }
}

variable "addon_versions" {
  type = object({
    coredns            = string
    aws_ebs_csi_driver = string
    aws_efs_csi_driver = string
  })
  description = "Pinned versions of the add-ons that need nodes for the cluster's Kubernetes version; vpc-cni and kube-proxy are eks-cluster's (aws eks describe-addon-versions --kubernetes-version 1.35)."
  default = {
    coredns            = "v1.13.1-eksbuild.1"
    aws_ebs_csi_driver = "v1.53.0-eksbuild.1"
    aws_efs_csi_driver = "v2.1.15-eksbuild.1"
  }

  validation {
    condition     = alltrue([for v in values(var.addon_versions) : can(regex("^v[0-9]+\\.[0-9]+\\.[0-9]+-eksbuild\\.[0-9]+$", v))])
    error_message = "addon_versions must be exact add-on versions such as v1.21.1-eksbuild.1."
  }
}

variable "chart_versions" {
  type = object({
    aws_load_balancer_controller = string
    cluster_autoscaler           = string
    metrics_server               = string
    external_dns                 = string
    cert_manager                 = string
    external_secrets             = string
  })
  description = "Pinned Helm chart versions (external_secrets: the chart and the operator share the version; 2.x serves the external-secrets.io/v1 API the platform-secrets chart uses)."
  default = {
    aws_load_balancer_controller = "1.17.0"
    cluster_autoscaler           = "9.50.1"
    metrics_server               = "3.13.0"
    external_dns                 = "1.19.0"
    cert_manager                 = "v1.19.1"
    external_secrets             = "2.3.0"
  }

  validation {
    condition     = alltrue([for v in values(var.chart_versions) : can(regex("^v?[0-9]+\\.[0-9]+\\.[0-9]+$", v))])
    error_message = "chart_versions must be exact versions (no ranges)."
  }
}

variable "route53_zone_arns" {
  type        = list(string)
  description = "Hosted zones External DNS and cert-manager (DNS-01) may change. Empty: both get read-only Route 53 access."
  default     = []

  validation {
    condition     = alltrue([for z in var.route53_zone_arns : can(regex("^arn:aws[a-z-]*:route53:::hostedzone/[A-Z0-9]+$", z))])
    error_message = "route53_zone_arns must be hosted zone ARNs (arn:aws:route53:::hostedzone/Z...)."
  }
}

variable "external_dns_domain_filters" {
  type        = list(string)
  description = "Domains External DNS manages and the ClusterIssuer solves for (the hosted zones' domains)."
  default     = []

  validation {
    condition     = length(var.route53_zone_arns) == 0 || length(var.external_dns_domain_filters) > 0
    error_message = "external_dns_domain_filters must name the domains of route53_zone_arns (External DNS and the ClusterIssuer are limited to them)."
  }
}

variable "cluster_issuer" {
  type = object({
    name   = optional(string, "letsencrypt")
    server = optional(string, "https://acme-v02.api.letsencrypt.org/directory")
    email  = optional(string)
  })
  description = "cert-manager ClusterIssuer (ACME, DNS-01 in the first of route53_zone_arns). email: the ACME account contact, required when zones are set."
  default     = {}

  validation {
    condition     = length(var.route53_zone_arns) == 0 || can(regex("^[^@ ]+@[^@ ]+\\.[^@ ]+$", var.cluster_issuer.email))
    error_message = "cluster_issuer.email (the ACME account contact) is required when route53_zone_arns is set."
  }
}

variable "efs_file_system_id" {
  type        = string
  description = "EFS file system of 80-storage for the efs StorageClass (null: no EFS class)."
  default     = null

  validation {
    condition     = var.efs_file_system_id == null || can(regex("^fs-[0-9a-f]+$", var.efs_file_system_id))
    error_message = "efs_file_system_id must be an EFS file system id (fs-...)."
  }
}

variable "enable_kubernetes_resources" {
  type        = bool
  description = "Create resources through the Kubernetes API (Helm releases, StorageClasses, namespaces, network policies, RBAC, the ClusterSecretStore). false only where no Kubernetes API answers (a local run without the local Kubernetes build); the IRSA roles are created either way."
  default     = true
}

variable "unavailable_helm_charts" {
  type        = map(string)
  description = "Controllers (keys of the Helm releases: aws-load-balancer-controller, cluster-autoscaler, metrics-server, external-dns, cert-manager, external-secrets; other keys are ignored) not to install because their chart cannot be fetched, each with the reason. Empty except in local runs without a chart repository (environments/emulator-overrides.yaml); the releases of the local charts that need a skipped controller's CRDs (platform-issuers: cert-manager, platform-secrets: external-secrets) are skipped with it."
  default     = {}
  validation {
    condition     = alltrue([for k, v in var.unavailable_helm_charts : trimspace(v) != ""])
    error_message = "unavailable_helm_charts: each value is the reason the chart cannot be had."
  }
}

variable "namespaces" {
  type = object({
    platform     = optional(list(string), [])
    applications = optional(list(string), [])
  })
  description = "Namespaces to create (env.yaml eks.namespaces). applications: labelled orch/tier=application, Pod Security baseline enforced (restricted warned and audited), default-deny network policies, the developers' edit scope (30-eks-cluster application_namespaces must list the same) and the only users of the ClusterSecretStore. platform: shared services such as monitoring."
  default     = {}

  validation {
    condition = alltrue([for n in concat(var.namespaces.platform, var.namespaces.applications) : (
      can(regex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$", n)) && !contains(["default", "kube-system", "kube-public", "kube-node-lease"], n)
    )])
    error_message = "namespaces must be RFC 1123 labels and not default, kube-system, kube-public or kube-node-lease (Kubernetes owns those)."
  }
  validation {
    condition     = length(distinct(concat(var.namespaces.platform, var.namespaces.applications))) == length(concat(var.namespaces.platform, var.namespaces.applications))
    error_message = "A namespace may be listed once, as platform or as application."
  }
}

variable "network_policy" {
  type = object({
    enabled                       = optional(bool, true)
    load_balancer_cidrs           = optional(list(string), [])
    ingress_controller_namespaces = optional(list(string), [])
    metrics_namespaces            = optional(list(string), ["monitoring"])
    restrict_egress               = optional(bool, true)
    egress_cidrs                  = optional(list(string), [])
    https_egress_cidrs            = optional(list(string), ["0.0.0.0/0"])
  })
  description = "Network policies of every application namespace: default-deny, then allows for the same namespace, the load balancers (load_balancer_cidrs: the subnets ALBs/NLBs send from, target type ip), ingress_controller_namespaces, metrics scraping from metrics_namespaces, and with restrict_egress DNS to CoreDNS in kube-system, egress_cidrs on every port (the VPC) and TCP 443 to https_egress_cidrs."
  default     = {}

  validation {
    condition = alltrue([for c in concat(var.network_policy.load_balancer_cidrs, var.network_policy.egress_cidrs, var.network_policy.https_egress_cidrs) : (
      can(cidrhost(c, 0)) && try(cidrhost(c, 0) == split("/", c)[0], false)
    )])
    error_message = "network_policy CIDRs must be IPv4 network addresses (e.g. 10.0.0.0/16)."
  }
  validation {
    condition = alltrue([for c in concat(var.network_policy.load_balancer_cidrs, var.network_policy.egress_cidrs) : (
      !endswith(c, "/0")
    )])
    error_message = "load_balancer_cidrs and egress_cidrs (all ports) must not be /0: that is no policy at all (only https_egress_cidrs may reach the internet)."
  }
  validation {
    condition = alltrue([for n in concat(var.network_policy.ingress_controller_namespaces, var.network_policy.metrics_namespaces) : (
      can(regex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$", n))
    )])
    error_message = "ingress_controller_namespaces and metrics_namespaces must be namespace names."
  }
}

variable "kubernetes_groups" {
  type = object({
    developers = optional(string, "orch:developers")
    auditors   = optional(string, "orch:auditors")
  })
  description = "Kubernetes groups of the developer and audit access entries (30-eks-cluster kubernetes_groups): developers may manage ExternalSecrets and Certificates in the application namespaces, both may read the platform's custom resources."
  default     = {}

  validation {
    condition     = alltrue([for g in values(var.kubernetes_groups) : can(regex("^[A-Za-z0-9][A-Za-z0-9:._-]{0,62}$", g)) && !startswith(g, "system:")])
    error_message = "kubernetes_groups must be group names outside system:."
  }
}

variable "external_secrets" {
  type = object({
    enabled            = optional(bool, true)
    secret_name_prefix = optional(string)
    secret_arns        = optional(list(string), [])
    kms_key_arns       = optional(list(string), [])
    store_name         = optional(string, "aws-secrets-manager")
  })
  description = "External Secrets Operator and its ClusterSecretStore (Secrets Manager, this region). Its IRSA role reads only secrets named secret_name_prefix* (null: \"<cluster_name>/\"), the secret_arns listed (and database_secret), and decrypts only with kms_key_arns, only through Secrets Manager."
  default     = {}

  validation {
    condition     = var.external_secrets.secret_name_prefix == null || can(regex("^[A-Za-z0-9/_+=.@-]+/$", coalesce(var.external_secrets.secret_name_prefix, "-")))
    error_message = "external_secrets.secret_name_prefix must be a secret path ending in / without wildcards (e.g. orch-eks-prod/): it bounds what the operator may read."
  }
  validation {
    condition     = alltrue([for a in var.external_secrets.secret_arns : can(regex("^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:[^*?]+$", a))])
    error_message = "external_secrets.secret_arns must be whole secret ARNs (no wildcards)."
  }
  validation {
    condition     = alltrue([for a in var.external_secrets.kms_key_arns : can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[a-zA-Z0-9-]+$", a))])
    error_message = "external_secrets.kms_key_arns must be KMS key ARNs (not aliases)."
  }
  validation {
    condition     = can(regex("^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$", var.external_secrets.store_name))
    error_message = "external_secrets.store_name must be a Kubernetes object name."
  }
}

variable "database_secret" {
  type = object({
    secret_arn = string
    namespace  = optional(string)
    name       = optional(string, "aurora-master")
  })
  description = "Example ExternalSecret: the Aurora master user secret (60-database master_user_secret_arn) synced as Secret <name> (username, password) into an application namespace (null: the first of namespaces.applications). The operator's role may read this one ARN. null: no example."
  default     = null

  validation {
    condition     = var.database_secret == null || can(regex("^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:[^*?]+$", var.database_secret.secret_arn))
    error_message = "database_secret.secret_arn must be a whole Secrets Manager secret ARN."
  }
  validation {
    condition     = var.database_secret == null || contains(var.namespaces.applications, coalesce(try(var.database_secret.namespace, null), try(var.namespaces.applications[0], "-")))
    error_message = "database_secret.namespace must be one of namespaces.applications (the only namespaces the ClusterSecretStore serves); with no namespace given, namespaces.applications must not be empty."
  }
  validation {
    condition     = var.database_secret == null || can(regex("^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$", try(var.database_secret.name, "")))
    error_message = "database_secret.name must be a Kubernetes Secret name."
  }
}

variable "tags" {
  type        = map(string)
  description = "Tags for every AWS resource."
  default     = {}
}
