variable "bucket_name" {
  type        = string
  description = "Name of the S3 bucket that holds Terraform state (env.yaml state.bucket)."
  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.bucket_name))
    error_message = "bucket_name must be a valid S3 bucket name."
  }
}

variable "kms_alias" {
  type        = string
  description = "Alias of the customer managed KMS key that encrypts state (env.yaml state.kms_alias)."
  validation {
    condition     = startswith(var.kms_alias, "alias/") && !startswith(var.kms_alias, "alias/aws/")
    error_message = "kms_alias must start with 'alias/' and must not be an AWS managed alias."
  }
}

variable "lock_mode" {
  type        = string
  default     = "s3"
  description = "State locking: s3 (native lockfile), dynamodb, or both (env.yaml state.lock_mode)."
  validation {
    condition     = contains(["s3", "dynamodb", "both"], var.lock_mode)
    error_message = "lock_mode must be s3, dynamodb or both."
  }
}

variable "lock_table" {
  type        = string
  default     = null
  description = "DynamoDB lock table name; required when lock_mode is dynamodb or both."
}

variable "cross_account_principals" {
  type        = list(string)
  default     = []
  description = "Account ids or principal ARNs (e.g. a shared-services CI account) that may read and write this state."
  validation {
    condition     = alltrue([for p in var.cross_account_principals : can(regex("^(\\d{12}|arn:aws[a-z-]*:iam::\\d{12}:.+)$", p))])
    error_message = "Each principal must be a 12-digit account id or an IAM ARN."
  }
}

variable "noncurrent_version_days" {
  type        = number
  default     = 90
  description = "Days a replaced state version is kept before the lifecycle rule expires it."
  validation {
    condition     = var.noncurrent_version_days >= 1 && var.noncurrent_version_days <= 3650
    error_message = "noncurrent_version_days must be between 1 and 3650."
  }
}

variable "kms_deletion_window_days" {
  type        = number
  default     = 30
  description = "Waiting period before the state key is deleted after destroy."
  validation {
    condition     = var.kms_deletion_window_days >= 7 && var.kms_deletion_window_days <= 30
    error_message = "kms_deletion_window_days must be between 7 and 30."
  }
}

variable "tags" {
  type        = map(string)
  default     = {}
  description = "Standard tags added to every resource."
}
