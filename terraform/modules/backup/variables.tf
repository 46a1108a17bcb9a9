variable "name_prefix" {
  type        = string
  description = "Prefix of every name (00-foundation's name_prefix)."

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}$", var.name_prefix))
    error_message = "name_prefix must be 2-31 lowercase letters, digits or hyphens, starting with a letter."
  }
}

variable "retention_days" {
  type        = number
  description = "Days each daily recovery point is kept (plan.md: 7)."
  default     = 7

  validation {
    condition     = var.retention_days >= 1 && var.retention_days <= 36500 && floor(var.retention_days) == var.retention_days
    error_message = "retention_days must be a whole number of days, 1-36500."
  }
}

variable "schedule" {
  type        = string
  description = "When the daily backup starts: an AWS Backup cron expression in schedule_timezone."
  default     = "cron(0 3 ? * * *)"

  validation {
    condition     = can(regex("^cron\\(.+\\)$", var.schedule))
    error_message = "schedule must be a cron(...) expression."
  }
}

variable "schedule_timezone" {
  type        = string
  description = "IANA time zone of the schedule (e.g. Asia/Seoul, Etc/UTC)."
  default     = "Asia/Seoul"

  validation {
    condition     = can(regex("^[A-Za-z]+(/[A-Za-z0-9_+-]+)*$", var.schedule_timezone))
    error_message = "schedule_timezone must be an IANA time zone name such as Asia/Seoul."
  }
}

variable "start_window_minutes" {
  type        = number
  description = "Minutes after the scheduled time within which a backup job must start (else it is cancelled and counted as failed)."
  default     = 60

  validation {
    condition     = var.start_window_minutes >= 60
    error_message = "start_window_minutes must be at least 60 (the AWS Backup minimum)."
  }
}

variable "completion_window_minutes" {
  type        = number
  description = "Minutes a started backup job may run before AWS Backup cancels it."
  default     = 480

  validation {
    condition     = var.completion_window_minutes >= 120
    error_message = "completion_window_minutes must be at least 120."
  }
}

variable "vault_lock_min_retention_days" {
  type        = number
  description = "Vault lock (governance mode): no recovery point can be deleted earlier than this."
  default     = 7

  validation {
    condition     = var.vault_lock_min_retention_days >= 1
    error_message = "vault_lock_min_retention_days must be at least 1."
  }
}

variable "vault_lock_max_retention_days" {
  type        = number
  description = "Vault lock (governance mode): no recovery point may be kept longer than this."
  default     = 35

  validation {
    condition     = var.vault_lock_max_retention_days <= 36500
    error_message = "vault_lock_max_retention_days must be at most 36500."
  }
}

variable "resource_arns" {
  type        = map(string)
  description = "Resources the daily plan protects by ARN, by a stable key (e.g. aurora = the cluster ARN, efs = the file system ARN)."
  default     = {}

  validation {
    condition     = alltrue([for arn in values(var.resource_arns) : can(regex("^arn:aws[a-z-]*:(rds|elasticfilesystem|dynamodb|ec2|s3|fsx):", arn))])
    error_message = "resource_arns must be ARNs of resources AWS Backup protects (RDS/Aurora, EFS, DynamoDB, EC2/EBS, S3, FSx)."
  }
}

variable "ebs_selection_tag" {
  type = object({
    key   = string
    value = string
  })
  description = "EBS volumes carrying this tag are backed up by the daily plan (null: no tag selection)."
  default     = { key = "Backup", value = "daily" }
}

variable "copy_region" {
  type        = string
  description = "Region of a second vault every recovery point is copied to (disaster recovery); null: no copy."
  default     = null

  validation {
    condition     = var.copy_region == null || can(regex("^[a-z]{2}(-gov)?-[a-z]+-\\d$", var.copy_region))
    error_message = "copy_region must be an AWS region such as ap-northeast-1, or null."
  }
}

variable "copy_retention_days" {
  type        = number
  description = "Days the copies in copy_region are kept (null: retention_days)."
  default     = null

  validation {
    condition     = var.copy_retention_days == null || try(var.copy_retention_days >= 1 && var.copy_retention_days <= 36500, false)
    error_message = "copy_retention_days must be 1-36500, or null."
  }
}

variable "tags" {
  type        = map(string)
  description = "Tags for every resource (merged with a Name tag); also given to every recovery point."
  default     = {}
}
