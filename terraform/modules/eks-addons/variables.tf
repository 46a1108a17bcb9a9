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

variable "cluster_endpoint" {
  type        = string
  description = "API server endpoint; read by the helm/kubernetes provider configuration the caller supplies (50-addons generates it)."
  default     = null
}

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

variable "pod_subnet_ids_by_az" {
  type        = map(string)
  description = "Map AZ -> pod subnet ID (10-networking pod_subnet_ids_by_az); one ENIConfig named after each AZ."

  validation {
    condition     = length(var.pod_subnet_ids_by_az) >= 2 && alltrue([for s in values(var.pod_subnet_ids_by_az) : can(regex("^subnet-[0-9a-f]+$", s))])
    error_message = "pod_subnet_ids_by_az needs a subnet ID for at least two AZs."
  }
}

variable "pod_security_group_ids" {
  type        = list(string)
  description = "Security groups of pod ENIs in the pod subnets (normally the node security group)."

  validation {
    condition     = length(var.pod_security_group_ids) > 0 && alltrue([for s in var.pod_security_group_ids : can(regex("^sg-[0-9a-f]+$", s))])
    error_message = "pod_security_group_ids needs at least one security group ID."
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
    vpc_cni            = string
    coredns            = string
    kube_proxy         = string
    aws_ebs_csi_driver = string
    aws_efs_csi_driver = string
  })
  description = "Pinned EKS add-on versions for the cluster's Kubernetes version (aws eks describe-addon-versions --kubernetes-version 1.35)."
  default = {
    vpc_cni            = "v1.21.1-eksbuild.1"
    coredns            = "v1.13.1-eksbuild.1"
    kube_proxy         = "v1.35.0-eksbuild.2"
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
  description = "Domains External DNS manages (empty: every zone it can see)."
  default     = []
}

variable "enable_managed_addons" {
  type        = bool
  description = "Install the EKS managed add-ons (vpc-cni, coredns, kube-proxy, EBS/EFS CSI). false only for the local emulator."
  default     = true
}

variable "enable_kubernetes_resources" {
  type        = bool
  description = "Create resources through the Kubernetes API (ENIConfigs, Helm releases). false only for the local emulator."
  default     = true
}

variable "tags" {
  type        = map(string)
  description = "Tags for every AWS resource."
  default     = {}
}
