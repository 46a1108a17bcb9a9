variable "name" {
  type        = string
  description = "Name of the file system (Name tag and creation token)."

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,62}$", var.name))
    error_message = "name must be 1-63 lowercase letters, digits or hyphens, starting with a letter."
  }
}

variable "azs" {
  type        = list(string)
  description = "Availability zones, in the same order as subnet_ids (one mount target per AZ)."

  validation {
    condition     = length(var.azs) >= 2
    error_message = "EFS needs a mount target in at least two availability zones."
  }
}

variable "subnet_ids" {
  type        = list(string)
  description = "Private (node) subnets, one per AZ in azs order; a mount target is created in each."

  validation {
    condition     = alltrue([for s in var.subnet_ids : can(regex("^subnet-[0-9a-f]{8,17}$", s))])
    error_message = "subnet_ids must be subnet ids (subnet-...)."
  }
}

variable "security_group_ids" {
  type        = list(string)
  description = "Security groups of the mount targets (20-security's efs_security_group_id: NFS from nodes only)."

  validation {
    condition     = length(var.security_group_ids) > 0 && alltrue([for s in var.security_group_ids : can(regex("^sg-[0-9a-f]{8,17}$", s))])
    error_message = "security_group_ids must hold at least one security group id (sg-...)."
  }
}

variable "kms_key_arn" {
  type        = string
  description = "ARN of the EFS KMS key."

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN."
  }
}

variable "performance_mode" {
  type        = string
  description = "EFS performance mode."
  default     = "generalPurpose"

  validation {
    condition     = contains(["generalPurpose", "maxIO"], var.performance_mode)
    error_message = "performance_mode must be generalPurpose or maxIO."
  }
}

variable "throughput_mode" {
  type        = string
  description = "EFS throughput mode (elastic scales with the workload and bills per use)."
  default     = "elastic"

  validation {
    condition     = contains(["bursting", "elastic"], var.throughput_mode)
    error_message = "throughput_mode must be bursting or elastic (provisioned needs a throughput figure this module does not take)."
  }
}

variable "transition_to_ia" {
  type        = string
  description = "Move files not accessed for this long to Infrequent Access."
  default     = "AFTER_30_DAYS"

  validation {
    condition     = contains(["AFTER_1_DAY", "AFTER_7_DAYS", "AFTER_14_DAYS", "AFTER_30_DAYS", "AFTER_60_DAYS", "AFTER_90_DAYS", "AFTER_180_DAYS", "AFTER_270_DAYS", "AFTER_365_DAYS"], var.transition_to_ia)
    error_message = "transition_to_ia must be one of AFTER_1_DAY ... AFTER_365_DAYS."
  }
}

variable "enable_backups" {
  type        = bool
  description = "Daily automatic AWS Backup of the file system (backup policy ENABLED); false sets it DISABLED. Turn off only where another backup plan covers the file system."
  default     = true
}

variable "tags" {
  type        = map(string)
  description = "Tags for every resource (merged with a Name tag)."
  default     = {}
}
