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
  })
  description = "Pinned Helm chart versions."
  default = {
    aws_load_balancer_controller = "1.17.0"
    cluster_autoscaler           = "9.50.1"
    metrics_server               = "3.13.0"
    external_dns                 = "1.19.0"
    cert_manager                 = "v1.19.1"
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
  description = "Create resources through the Kubernetes API (Helm releases, StorageClasses). false only where no Kubernetes API answers (the local emulator)."
  default     = true
}

variable "tags" {
  type        = map(string)
  description = "Tags for every AWS resource."
  default     = {}
}
