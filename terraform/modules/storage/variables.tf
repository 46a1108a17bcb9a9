variable "name_prefix" {
  type        = string
  description = "Prefix of every name (00-foundation's name_prefix)."

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}$", var.name_prefix))
    error_message = "name_prefix must be 2-31 lowercase letters, digits or hyphens, starting with a letter."
  }
}

variable "azs" {
  type        = list(string)
  description = "Availability zones, in the order of private_subnet_ids."
}

variable "private_subnet_ids" {
  type        = list(string)
  description = "Private (node) subnets, one per AZ: the EFS mount targets go here."
}

variable "efs_security_group_ids" {
  type        = list(string)
  description = "Security groups of the EFS mount targets (NFS from the nodes only)."
}

variable "efs_kms_key_arn" {
  type        = string
  description = "ARN of the EFS KMS key."
}

variable "s3_kms_key_arn" {
  type        = string
  description = "ARN of the S3 KMS key (SSE-KMS of every bucket except the log bucket)."
}

variable "enable_efs_backups" {
  type        = bool
  description = "Daily AWS Backup of the EFS file system (its backup policy ENABLED). Turn off only where another backup plan covers it."
  default     = true
}

variable "enable_s3_access_logging" {
  type        = bool
  description = "Send the server access logs of every bucket to the log bucket (plan.md: access logging on every bucket)."
  default     = true
}

variable "log_expiration_days" {
  type        = number
  description = "Days ALB and S3 access logs are kept in the log bucket."
  default     = 400

  validation {
    condition     = var.log_expiration_days >= 90
    error_message = "log_expiration_days must be at least 90."
  }
}

variable "buckets" {
  type = map(object({
    expiration_days                    = optional(number)
    transition_to_ia_days              = optional(number, 30)
    noncurrent_version_expiration_days = optional(number, 90)
  }))
  description = "SSE-KMS buckets besides the log bucket, by purpose; each logs its access to the log bucket."
  default = {
    artifacts = {}
  }

  validation {
    condition     = alltrue([for k in keys(var.buckets) : can(regex("^[a-z][a-z0-9-]{1,15}$", k)) && k != "logs"])
    error_message = "bucket keys must be 2-16 lowercase letters, digits or hyphens, and logs is reserved."
  }
}

variable "force_destroy_buckets" {
  type        = bool
  description = "Allow destroying buckets that still hold objects (keep false in production)."
  default     = false
}

variable "tags" {
  type        = map(string)
  description = "Tags for every resource (merged with a Name tag)."
  default     = {}
}
