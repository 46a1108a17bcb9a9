variable "environment" {
  type        = string
  description = "Environment name from env.yaml (e.g. eks-prod); names and aliases are derived from it by the naming module."
}

variable "name_prefix" {
  type        = string
  description = "Override for the derived name prefix; null derives \"orch-<environment>\"."
  default     = null
}

variable "region" {
  type        = string
  description = "AWS region of the keys; service principals and kms:ViaService values are built from it."

  validation {
    condition     = can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]$", var.region))
    error_message = "region must look like ap-northeast-2."
  }
}

variable "purposes" {
  type        = set(string)
  description = "Purposes that get a key. The state bucket key is owned by bootstrap, not by this module."
  default     = ["eks", "logs", "ebs", "rds", "elasticache", "sns", "efs", "s3"]

  validation {
    condition     = length(var.purposes) > 0 && alltrue([for p in var.purposes : contains(["eks", "logs", "ebs", "rds", "elasticache", "sns", "efs", "s3"], p)])
    error_message = "purposes must be a non-empty subset of eks, logs, ebs, rds, elasticache, sns, efs, s3."
  }
}

variable "deletion_window_in_days" {
  type        = number
  description = "Waiting period before a scheduled key deletion takes effect."
  default     = 30

  validation {
    condition     = var.deletion_window_in_days >= 7 && var.deletion_window_in_days <= 30
    error_message = "deletion_window_in_days must be between 7 and 30."
  }
}

variable "rotation_period_in_days" {
  type        = number
  description = "Automatic key rotation period (rotation is always on)."
  default     = 365

  validation {
    condition     = var.rotation_period_in_days >= 90 && var.rotation_period_in_days <= 2560
    error_message = "rotation_period_in_days must be between 90 and 2560."
  }
}

variable "create_autoscaling_service_linked_role" {
  type        = bool
  description = "Create the Auto Scaling service-linked role (autoscaling_service_linked_role_name) before the EBS key policy that names it; a new account does not have it and KMS rejects a policy naming a missing principal. Set false where the account already has the role (AWS creates it with the first Auto Scaling group), else CreateServiceLinkedRole fails because the name is taken."
  default     = true
}

variable "autoscaling_service_linked_role_name" {
  type        = string
  description = "Name of the Auto Scaling service-linked role that launches EKS managed node group instances with encrypted EBS volumes; it is a principal in the EBS key policy, so it must exist before the key policy is set (created here unless create_autoscaling_service_linked_role is false). A suffixed name (AWSServiceRoleForAutoScaling_<suffix>) creates the role with that custom suffix."
  default     = "AWSServiceRoleForAutoScaling"

  validation {
    condition     = can(regex("^AWSServiceRoleForAutoScaling(_[A-Za-z0-9+=,.@-]+)?$", var.autoscaling_service_linked_role_name))
    error_message = "autoscaling_service_linked_role_name must be AWSServiceRoleForAutoScaling or a custom-suffixed variant of it."
  }
}

variable "eks_cluster_role_name" {
  type        = string
  description = "Name of the EKS cluster IAM role that may use the eks key directly for secrets envelope encryption; null derives \"<name_prefix>-cluster\", the name the eks-cluster module gives it (cluster name = name prefix)."
  default     = null

  validation {
    condition     = var.eks_cluster_role_name == null || can(regex("^[A-Za-z0-9+=,.@_-]{1,64}$", var.eks_cluster_role_name))
    error_message = "eks_cluster_role_name must be an IAM role name (1-64 characters of A-Z a-z 0-9 +=,.@_-)."
  }
}

variable "tags" {
  type        = map(string)
  description = "Tags for every key (the provider adds default_tags as well)."
  default     = {}
}
