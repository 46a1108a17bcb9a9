variable "name" {
  type        = string
  description = "Cluster identifier; also the prefix of the instances, parameter groups, subnet group and log groups."

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,53}[a-z0-9]$", var.name)) && !strcontains(var.name, "--")
    error_message = "name must be 2-55 lowercase letters, digits or single hyphens, starting with a letter."
  }
}

variable "azs" {
  type        = list(string)
  description = "Availability zones; instance i is placed in azs[i % length(azs)] so the writer and reader sit in different AZs."

  validation {
    condition     = length(var.azs) >= 2
    error_message = "Aurora needs at least two availability zones for a Multi-AZ cluster."
  }
}

variable "engine_version" {
  type        = string
  description = "Aurora MySQL 3 version a new cluster starts with, and the lowest acceptable (engine is always aurora-mysql). AWS applies newer minor versions (auto minor version upgrade is on) and the module keeps them: changing this never downgrades or upgrades an existing cluster. The running version is the output engine_version_actual."
  default     = "8.0.mysql_aurora.3.08.0"

  validation {
    condition     = can(regex("^8\\.0\\.mysql_aurora\\.3\\.[0-9]{2}\\.[0-9]+$", var.engine_version))
    error_message = "engine_version must be an Aurora MySQL 3 (MySQL 8.0) version such as 8.0.mysql_aurora.3.08.0."
  }
}

variable "instance_class" {
  type        = string
  description = "Instance class of every cluster instance."
  default     = "db.r6g.large"

  validation {
    condition     = can(regex("^db\\.(r|x|t4g)[0-9a-z]*\\.[0-9a-z]+$", var.instance_class))
    error_message = "instance_class must be an Aurora MySQL provisioned class such as db.r6g.large."
  }
}

variable "instance_count" {
  type        = number
  description = "Number of instances: the first is the writer, the rest are readers spread over the AZs. 1 leaves no failover target (no Multi-AZ): for dev only; orch refuses it for a production tier."
  default     = 2

  validation {
    condition     = var.instance_count >= 1 && var.instance_count <= 16
    error_message = "instance_count must be 1-16 (2 or more for Multi-AZ: a writer plus a reader to fail over to)."
  }
}

variable "database_name" {
  type        = string
  description = "Name of the initial database."
  default     = "app"

  validation {
    condition     = can(regex("^[A-Za-z][A-Za-z0-9_]{0,63}$", var.database_name))
    error_message = "database_name must start with a letter and hold at most 64 letters, digits or underscores."
  }
}

variable "master_username" {
  type        = string
  description = "Master user name; its password is generated and rotated by RDS in Secrets Manager."
  default     = "dbadmin"

  validation {
    condition     = can(regex("^[A-Za-z][A-Za-z0-9_]{0,15}$", var.master_username)) && !contains(["admin", "root", "rdsadmin"], lower(var.master_username))
    error_message = "master_username must be 1-16 letters, digits or underscores, start with a letter and not be a reserved name."
  }
}

variable "port" {
  type        = number
  description = "MySQL port."
  default     = 3306

  validation {
    condition     = var.port >= 1150 && var.port <= 65535
    error_message = "port must be between 1150 and 65535."
  }
}

variable "db_subnet_group_name" {
  type        = string
  description = "Existing DB subnet group (e.g. 10-networking's database_subnet_group_name). When null, one is created from subnet_ids."
  default     = null
}

variable "subnet_ids" {
  type        = list(string)
  description = "Database subnet ids used to create a DB subnet group when db_subnet_group_name is null."
  default     = []

  validation {
    condition     = alltrue([for s in var.subnet_ids : can(regex("^subnet-[0-9a-f]{8,17}$", s))])
    error_message = "subnet_ids must be subnet ids (subnet-...)."
  }
}

variable "vpc_security_group_ids" {
  type        = list(string)
  description = "Security groups attached to the cluster (20-security's rds_security_group_id)."

  validation {
    condition     = length(var.vpc_security_group_ids) > 0 && alltrue([for s in var.vpc_security_group_ids : can(regex("^sg-[0-9a-f]{8,17}$", s))])
    error_message = "vpc_security_group_ids must hold at least one security group id (sg-...)."
  }
}

variable "kms_key_arn" {
  type        = string
  description = "ARN of the RDS KMS key: storage encryption, the managed master secret and Performance Insights."

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN."
  }
}

variable "cloudwatch_logs_kms_key_arn" {
  type        = string
  description = "ARN of the KMS key that encrypts the exported log groups (the logs key)."

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:", var.cloudwatch_logs_kms_key_arn))
    error_message = "cloudwatch_logs_kms_key_arn must be a KMS key ARN."
  }
}

variable "cloudwatch_logs_retention_days" {
  type        = number
  description = "Retention of the exported log groups in days."
  default     = 365

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.cloudwatch_logs_retention_days)
    error_message = "cloudwatch_logs_retention_days must be a value CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, ... 3653)."
  }
}

variable "enabled_cloudwatch_logs_exports" {
  type        = list(string)
  description = "Aurora MySQL logs exported to CloudWatch Logs. The general log only carries data when general_log = 1 is set in cluster_parameters."
  default     = ["audit", "error", "general", "slowquery"]

  validation {
    condition     = alltrue([for l in var.enabled_cloudwatch_logs_exports : contains(["audit", "error", "general", "slowquery", "iam-db-auth-error", "instance"], l)])
    error_message = "enabled_cloudwatch_logs_exports accepts audit, error, general, slowquery, iam-db-auth-error and instance."
  }
}

variable "backup_retention_period" {
  type        = number
  description = "Days of automated backups (point-in-time restore window)."
  default     = 7

  validation {
    condition     = var.backup_retention_period >= 7 && var.backup_retention_period <= 35
    error_message = "backup_retention_period must be 7-35 days in this platform."
  }
}

variable "preferred_backup_window" {
  type        = string
  description = "Daily backup window in UTC (hh24:mi-hh24:mi); must not overlap the maintenance window."
  default     = "17:00-18:00"

  validation {
    condition     = can(regex("^([01][0-9]|2[0-3]):[0-5][0-9]-([01][0-9]|2[0-3]):[0-5][0-9]$", var.preferred_backup_window))
    error_message = "preferred_backup_window must look like 17:00-18:00."
  }
}

variable "preferred_maintenance_window" {
  type        = string
  description = "Weekly maintenance window in UTC (ddd:hh24:mi-ddd:hh24:mi)."
  default     = "sun:18:30-sun:19:30"

  validation {
    condition     = can(regex("^(mon|tue|wed|thu|fri|sat|sun):([01][0-9]|2[0-3]):[0-5][0-9]-(mon|tue|wed|thu|fri|sat|sun):([01][0-9]|2[0-3]):[0-5][0-9]$", var.preferred_maintenance_window))
    error_message = "preferred_maintenance_window must look like sun:18:30-sun:19:30."
  }
}

variable "deletion_protection" {
  type        = bool
  description = "Refuse to delete the cluster until this is turned off."
  default     = true
}

variable "apply_immediately" {
  type        = bool
  description = "Apply modifications now instead of in the next maintenance window."
  default     = false
}

variable "cluster_parameters" {
  type = list(object({
    name         = string
    value        = string
    apply_method = optional(string, "immediate")
  }))
  description = "Cluster parameter group settings (family aurora-mysql8.0). TLS is always required; these are added on top."
  default = [
    { name = "tls_version", value = "TLSv1.2,TLSv1.3", apply_method = "pending-reboot" },
    { name = "server_audit_logging", value = "1" },
    { name = "server_audit_events", value = "CONNECT,QUERY_DCL,QUERY_DDL" },
    { name = "slow_query_log", value = "1" },
    { name = "long_query_time", value = "2" },
  ]

  validation {
    condition     = alltrue([for p in var.cluster_parameters : contains(["immediate", "pending-reboot"], p.apply_method) && p.name != "require_secure_transport"])
    error_message = "apply_method must be immediate or pending-reboot, and require_secure_transport is fixed to ON by the module."
  }
}

variable "instance_parameters" {
  type = list(object({
    name         = string
    value        = string
    apply_method = optional(string, "immediate")
  }))
  description = "DB (instance) parameter group settings (family aurora-mysql8.0); the logging and TLS settings live in the cluster group and are inherited."
  default     = []

  validation {
    condition     = alltrue([for p in var.instance_parameters : contains(["immediate", "pending-reboot"], p.apply_method)])
    error_message = "apply_method must be immediate or pending-reboot."
  }
}

variable "monitoring_interval" {
  type        = number
  description = "Enhanced monitoring interval in seconds (0 turns it off)."
  default     = 60

  validation {
    condition     = contains([0, 1, 5, 10, 15, 30, 60], var.monitoring_interval)
    error_message = "monitoring_interval must be one of 0, 1, 5, 10, 15, 30, 60."
  }
}

variable "enable_performance_insights" {
  type        = bool
  description = "Performance Insights on every instance, encrypted with kms_key_arn (plan.md: Performance Insights on)."
  default     = true
}

variable "performance_insights_retention_period" {
  type        = number
  description = "Performance Insights retention in days (7 is the free tier; otherwise a multiple of 31, max 731)."
  default     = 7

  validation {
    condition     = var.performance_insights_retention_period == 7 || var.performance_insights_retention_period == 731 || (var.performance_insights_retention_period % 31 == 0 && var.performance_insights_retention_period <= 713)
    error_message = "performance_insights_retention_period must be 7, a multiple of 31 up to 713, or 731."
  }
}

variable "tags" {
  type        = map(string)
  description = "Tags for every resource (merged with a Name tag)."
  default     = {}
}
