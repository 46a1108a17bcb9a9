variable "name" {
  type        = string
  description = "Bucket name (globally unique)."

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$", var.name)) && !strcontains(var.name, "..")
    error_message = "name must be 3-63 lowercase letters, digits or hyphens (no dots: TLS to virtual-hosted buckets)."
  }
}

variable "kms_key_arn" {
  type        = string
  description = "KMS key for SSE-KMS default encryption. null selects SSE-S3, which only log buckets need (ALB access logs and S3 server access logs cannot be delivered to SSE-KMS buckets)."
  default     = null

  validation {
    condition     = var.kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN or null."
  }
}

variable "force_destroy" {
  type        = bool
  description = "Allow destroying a bucket that still holds objects (keep false in production)."
  default     = false
}

variable "noncurrent_version_expiration_days" {
  type        = number
  description = "Days after which noncurrent object versions are deleted."
  default     = 90

  validation {
    condition     = var.noncurrent_version_expiration_days >= 1
    error_message = "noncurrent_version_expiration_days must be at least 1."
  }
}

variable "transition_to_ia_days" {
  type        = number
  description = "Days after which current objects move to STANDARD_IA (null: never)."
  default     = 30

  validation {
    condition     = var.transition_to_ia_days == null || try(var.transition_to_ia_days >= 30, false)
    error_message = "transition_to_ia_days must be null or at least 30 (the STANDARD_IA minimum)."
  }
}

variable "expiration_days" {
  type        = number
  description = "Days after which current objects expire (null: kept). Log buckets set this."
  default     = null

  validation {
    condition     = var.expiration_days == null || try(var.expiration_days >= 1, false)
    error_message = "expiration_days must be null or at least 1."
  }
}

variable "access_logging" {
  type = object({
    target_bucket = string
    target_prefix = string
  })
  description = "Where this bucket's server access logs go (null: no access logging, e.g. for the log bucket itself)."
  default     = null
}

variable "allow_alb_log_delivery" {
  type        = bool
  description = "Let Elastic Load Balancing write access logs under alb_log_prefix (needs SSE-S3, i.e. kms_key_arn = null)."
  default     = false
}

variable "alb_log_prefix" {
  type        = string
  description = "Key prefix ALBs write access logs under."
  default     = "alb"

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9/_-]*[a-z0-9]$", var.alb_log_prefix))
    error_message = "alb_log_prefix must be a simple key prefix without leading or trailing slash."
  }
}

variable "allow_s3_access_log_delivery" {
  type        = bool
  description = "Let the S3 logging service write server access logs of this account's buckets under s3_access_log_prefix."
  default     = false
}

variable "s3_access_log_prefix" {
  type        = string
  description = "Key prefix of S3 server access logs delivered to this bucket."
  default     = "s3-access"

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9/_-]*[a-z0-9]$", var.s3_access_log_prefix))
    error_message = "s3_access_log_prefix must be a simple key prefix without leading or trailing slash."
  }
}

variable "tags" {
  type        = map(string)
  description = "Tags for every resource (merged with a Name tag)."
  default     = {}
}
