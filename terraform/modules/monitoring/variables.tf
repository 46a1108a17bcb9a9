variable "name_prefix" {
  type        = string
  description = "Prefix of every name (00-foundation's name_prefix)."

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}$", var.name_prefix))
    error_message = "name_prefix must be 2-31 lowercase letters, digits or hyphens, starting with a letter."
  }
}

variable "sns_kms_key_arn" {
  type        = string
  description = "ARN of the SNS KMS key; its policy must let cloudwatch.amazonaws.com use it (GenerateDataKey*, Decrypt)."

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:", var.sns_kms_key_arn))
    error_message = "sns_kms_key_arn must be a KMS key ARN."
  }
}

variable "cloudwatch_logs_kms_key_arn" {
  type        = string
  description = "ARN of the logs KMS key for the Container Insights / Fluent Bit log groups."

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:", var.cloudwatch_logs_kms_key_arn))
    error_message = "cloudwatch_logs_kms_key_arn must be a KMS key ARN."
  }
}

variable "cloudwatch_logs_retention_days" {
  type        = number
  description = "Retention of the Container Insights log groups in days."
  default     = 365

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.cloudwatch_logs_retention_days)
    error_message = "cloudwatch_logs_retention_days must be a value CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, ... 3653)."
  }
}

variable "alarm_email_addresses" {
  type        = list(string)
  description = "E-mail addresses subscribed to the alarm topic (each must confirm); Slack/chatbot subscribe to the topic outside this module."
  default     = []

  validation {
    condition     = alltrue([for a in var.alarm_email_addresses : can(regex("^[^@\\s]+@[^@\\s]+\\.[a-z]{2,}$", a))])
    error_message = "alarm_email_addresses must be e-mail addresses."
  }

  # One line at plan time, for orch and plain Terragrunt alike: alarms nobody receives are no alarms.
  validation {
    condition     = var.tier != "production" || length(var.alarm_email_addresses) > 0
    error_message = "A production environment needs an alarm subscriber: set alarm_email_addresses (env.yaml alarms.email_addresses), or tier to staging/dev."
  }
}

variable "tier" {
  type        = string
  description = "What the environment is for: production (refused without alarm_email_addresses), staging or dev (env.yaml tier)."
  default     = "production"

  validation {
    condition     = contains(["production", "staging", "dev"], var.tier)
    error_message = "tier must be production, staging or dev."
  }
}

variable "cluster_name" {
  type        = string
  description = "EKS cluster name (Container Insights log group names, the observability add-on)."
}

variable "oidc_provider_arn" {
  type        = string
  description = "ARN of the cluster's IAM OIDC provider (IRSA role of the CloudWatch agent)."
}

variable "oidc_issuer_url" {
  type        = string
  description = "Issuer URL of the cluster's OIDC provider (https://oidc.eks...)."
}

variable "cloudwatch_observability_addon_version" {
  type        = string
  description = "Version of the amazon-cloudwatch-observability add-on (null: the default for the cluster version)."
  default     = null
}

variable "create_metric_alarms" {
  type        = bool
  description = "Create the CloudWatch metric alarms (Aurora, Redis, NAT gateways) that notify the alarm topic."
  default     = true
}

variable "aurora_instance_ids" {
  type        = list(string)
  description = "Aurora instance identifiers to alarm on (CPU, freeable memory)."
  default     = []
}

variable "redis_member_clusters" {
  type        = list(string)
  description = "ElastiCache cache cluster (node) ids to alarm on (engine CPU, memory)."
  default     = []
}

variable "nat_gateway_ids" {
  type        = list(string)
  description = "NAT gateway ids to alarm on (ErrorPortAllocation)."
  default     = []
}

variable "cpu_threshold_percent" {
  type        = number
  description = "CPU alarm threshold (percent) for Aurora instances and Redis engine CPU."
  default     = 80

  validation {
    condition     = var.cpu_threshold_percent > 0 && var.cpu_threshold_percent <= 100
    error_message = "cpu_threshold_percent must be 1-100."
  }
}

variable "aurora_freeable_memory_threshold_bytes" {
  type        = number
  description = "Alarm when an Aurora instance has less freeable memory than this."
  default     = 1073741824

  validation {
    condition     = var.aurora_freeable_memory_threshold_bytes > 0
    error_message = "aurora_freeable_memory_threshold_bytes must be positive."
  }
}

variable "redis_memory_threshold_percent" {
  type        = number
  description = "Alarm when a Redis node uses more than this percentage of its memory."
  default     = 80

  validation {
    condition     = var.redis_memory_threshold_percent > 0 && var.redis_memory_threshold_percent <= 100
    error_message = "redis_memory_threshold_percent must be 1-100."
  }
}

variable "tags" {
  type        = map(string)
  description = "Tags for every resource (merged with a Name tag)."
  default     = {}
}
