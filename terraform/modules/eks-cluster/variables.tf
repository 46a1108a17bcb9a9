variable "cluster_name" {
  type        = string
  description = "Name of the EKS cluster (also used for the log group /aws/eks/<name>/cluster and IAM role names)."

  validation {
    condition     = can(regex("^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$", var.cluster_name))
    error_message = "cluster_name must start with a letter or digit and contain only letters, digits, - and _ (max 100)."
  }
}

variable "kubernetes_version" {
  type        = string
  description = "Kubernetes minor version of the control plane. Keep it in standard support."
  default     = "1.35"

  validation {
    condition     = can(regex("^1\\.[0-9]{2}$", var.kubernetes_version))
    error_message = "kubernetes_version must look like 1.35."
  }
}

variable "support_type" {
  type        = string
  description = "Upgrade policy support type. STANDARD makes EKS upgrade the cluster at the end of standard support instead of billing extended support."
  default     = "STANDARD"

  validation {
    condition     = contains(["STANDARD", "EXTENDED"], var.support_type)
    error_message = "support_type must be STANDARD or EXTENDED."
  }
}

variable "subnet_ids" {
  type        = list(string)
  description = "Private subnets (at least two AZs) for the control-plane ENIs."

  validation {
    condition     = length(var.subnet_ids) >= 2 && alltrue([for s in var.subnet_ids : can(regex("^subnet-[0-9a-f]+$", s))])
    error_message = "subnet_ids needs at least two subnet IDs."
  }
}

variable "cluster_security_group_id" {
  type        = string
  description = "Additional security group for the control-plane ENIs (20-security's cluster_security_group_id)."

  validation {
    condition     = can(regex("^sg-[0-9a-f]+$", var.cluster_security_group_id))
    error_message = "cluster_security_group_id must be a security group ID."
  }
}

variable "endpoint_public_access" {
  type        = bool
  description = "Expose the API server endpoint publicly (restricted to public_access_cidrs)."
  default     = true
}

variable "public_access_cidrs" {
  type        = list(string)
  description = "CIDRs allowed to reach the public API endpoint. Required when endpoint_public_access is true; 0.0.0.0/0 is refused."
  default     = []

  validation {
    condition     = alltrue([for c in var.public_access_cidrs : can(cidrhost(c, 0)) && !endswith(c, "/0")])
    error_message = "public_access_cidrs must be valid IPv4 CIDRs and must not contain 0.0.0.0/0 (or any /0)."
  }

  validation {
    condition     = !var.endpoint_public_access || length(var.public_access_cidrs) > 0
    error_message = "Set public_access_cidrs (e.g. the office or VPN egress) when endpoint_public_access is true."
  }
}

variable "enabled_log_types" {
  type        = list(string)
  description = "Control-plane log types sent to CloudWatch Logs."
  default     = ["api", "audit", "authenticator", "controllerManager", "scheduler"]

  validation {
    condition     = alltrue([for t in var.enabled_log_types : contains(["api", "audit", "authenticator", "controllerManager", "scheduler"], t)])
    error_message = "enabled_log_types may contain only api, audit, authenticator, controllerManager, scheduler."
  }
}

variable "log_retention_days" {
  type        = number
  description = "Retention of the control-plane log group in days."
  default     = 365

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a value CloudWatch Logs accepts (e.g. 90, 365, 731)."
  }
}

variable "logs_kms_key_arn" {
  type        = string
  description = "KMS key ARN that encrypts the control-plane log group (00-foundation kms_key_arns.logs)."

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:", var.logs_kms_key_arn))
    error_message = "logs_kms_key_arn must be a KMS key ARN."
  }
}

variable "secrets_kms_key_arn" {
  type        = string
  description = "KMS key ARN for envelope encryption of Kubernetes secrets (00-foundation kms_key_arns.eks)."

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:", var.secrets_kms_key_arn))
    error_message = "secrets_kms_key_arn must be a KMS key ARN."
  }
}

variable "admin_role_arns" {
  type        = list(string)
  description = "IAM roles granted AmazonEKSClusterAdminPolicy through access entries (the administrators and the execution role that applies 50-addons)."
  default     = []

  validation {
    condition     = alltrue([for a in var.admin_role_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$", a))])
    error_message = "admin_role_arns must be IAM role ARNs."
  }
}

variable "developer_role_arns" {
  type        = list(string)
  description = "IAM roles of developers: AmazonEKSEditPolicy in application_namespaces and AmazonEKSViewPolicy cluster-wide, Kubernetes group kubernetes_groups.developers."
  default     = []

  validation {
    condition     = alltrue([for a in var.developer_role_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$", a))])
    error_message = "developer_role_arns must be IAM role ARNs."
  }
}

variable "audit_role_arns" {
  type        = list(string)
  description = "IAM roles of auditors: read-only AmazonEKSViewPolicy cluster-wide (no Secrets), Kubernetes group kubernetes_groups.auditors."
  default     = []

  validation {
    condition     = alltrue([for a in var.audit_role_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$", a))])
    error_message = "audit_role_arns must be IAM role ARNs."
  }
}

variable "ci_role_arns" {
  type        = list(string)
  description = "IAM roles of the CI/CD pipeline (ci_access_policy; never cluster admin). The identity that applies 50-addons (the execution role) belongs in admin_role_arns."
  default     = []

  validation {
    condition     = alltrue([for a in var.ci_role_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$", a))])
    error_message = "ci_role_arns must be IAM role ARNs."
  }
}

variable "ci_access_policy" {
  type        = string
  description = "EKS access policy of the CI roles: AmazonEKSViewPolicy (cluster-wide read, the default) or AmazonEKSEditPolicy (view plus edit in application_namespaces, for pipelines that deploy applications). Never cluster admin: the pipeline applies the platform through the execution role."
  default     = "AmazonEKSViewPolicy"

  validation {
    condition     = contains(["AmazonEKSViewPolicy", "AmazonEKSEditPolicy"], var.ci_access_policy)
    error_message = "ci_access_policy must be AmazonEKSViewPolicy or AmazonEKSEditPolicy: the CI role is never cluster admin (list the execution role in admin_role_arns instead)."
  }
}

variable "application_namespaces" {
  type        = list(string)
  description = "Kubernetes namespaces of the applications (env.yaml eks.namespaces.applications): the scope of the developers' AmazonEKSEditPolicy. Empty: developers only view."
  default     = []

  validation {
    condition     = alltrue([for n in var.application_namespaces : can(regex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$", n)) && !contains(["default", "kube-system", "kube-public", "kube-node-lease"], n)])
    error_message = "application_namespaces must be RFC 1123 labels and not default, kube-system, kube-public or kube-node-lease."
  }
}

variable "kubernetes_groups" {
  type = object({
    developers = optional(string, "orch:developers")
    auditors   = optional(string, "orch:auditors")
  })
  description = "Kubernetes groups of the developer and audit access entries (the output of the same name is what 50-addons binds Roles to)."
  default     = {}

  validation {
    condition = alltrue([for g in values(var.kubernetes_groups) : (
      can(regex("^[A-Za-z0-9][A-Za-z0-9:._-]{0,62}$", g)) && !anytrue([for p in ["system:", "eks:", "aws:", "amazon:", "iam:"] : startswith(g, p)])
    )])
    error_message = "kubernetes_groups must be group names that do not start with the prefixes EKS reserves (system:, eks:, aws:, amazon:, iam:)."
  }
}

variable "bootstrap_cluster_creator_admin_permissions" {
  type        = bool
  description = "Give the identity that creates the cluster an admin access entry. Off: access is only what the role lists grant. Changing it replaces the cluster."
  default     = false
}

variable "pod_subnet_ids_by_az" {
  type        = map(string)
  description = "Pod subnet per availability zone (10-networking pod_subnet_ids_by_az): the VPC CNI's ENIConfigs for custom networking."

  validation {
    condition     = length(var.pod_subnet_ids_by_az) > 0 && alltrue([for s in values(var.pod_subnet_ids_by_az) : startswith(s, "subnet-")])
    error_message = "pod_subnet_ids_by_az must map each availability zone to a subnet id (subnet-...)."
  }
}

variable "pod_security_group_ids" {
  type        = list(string)
  description = "Security groups of the pods' ENIs (ENIConfig securityGroups), usually the node security group."

  validation {
    condition     = length(var.pod_security_group_ids) > 0 && alltrue([for s in var.pod_security_group_ids : startswith(s, "sg-")])
    error_message = "pod_security_group_ids must hold at least one security group id (sg-...)."
  }
}

variable "network_addon_versions" {
  type = object({
    vpc_cni    = string
    kube_proxy = string
  })
  description = "Pinned versions of the networking add-ons created before the node groups (aws eks describe-addon-versions --kubernetes-version 1.35)."
  default = {
    vpc_cni    = "v1.21.1-eksbuild.1"
    kube_proxy = "v1.35.0-eksbuild.2"
  }

  validation {
    condition     = alltrue([for v in values(var.network_addon_versions) : can(regex("^v[0-9]+\\.[0-9]+\\.[0-9]+-eksbuild\\.[0-9]+$", v))])
    error_message = "network_addon_versions must be exact add-on versions such as v1.21.1-eksbuild.1."
  }
}

variable "enable_network_addons" {
  type        = bool
  description = "Create vpc-cni (custom networking, IRSA) and kube-proxy as managed add-ons before compute. Off only for a cluster whose networking is managed elsewhere: nodes cannot get ready without them."
  default     = true
}

variable "tags" {
  type        = map(string)
  description = "Tags for every resource."
  default     = {}
}
