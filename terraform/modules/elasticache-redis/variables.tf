variable "name" {
  type        = string
  description = "Replication group id; also the prefix of the subnet/parameter groups, log groups and auth secret."

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,38}[a-z0-9]$", var.name)) && !strcontains(var.name, "--")
    error_message = "name must be 2-40 lowercase letters, digits or single hyphens, starting with a letter."
  }
}

variable "engine_version" {
  type        = string
  description = "Redis OSS engine version (7.x)."
  default     = "7.1"

  validation {
    condition     = can(regex("^7\\.[0-9]+$", var.engine_version))
    error_message = "engine_version must be a Redis 7 major.minor version such as 7.1."
  }
}

variable "node_type" {
  type        = string
  description = "Cache node type of every node."
  default     = "cache.r6g.large"

  validation {
    condition     = can(regex("^cache\\.[a-z][0-9][a-z]*\\.[0-9a-z]+$", var.node_type))
    error_message = "node_type must be an ElastiCache node type such as cache.r6g.large."
  }
}

variable "num_node_groups" {
  type        = number
  description = "Number of shards (cluster mode enabled)."
  default     = 2

  validation {
    condition     = var.num_node_groups >= 1 && var.num_node_groups <= 500
    error_message = "num_node_groups must be 1-500."
  }
}

variable "replicas_per_node_group" {
  type        = number
  description = "Replicas per shard; at least 1 so Multi-AZ automatic failover has a target."
  default     = 1

  validation {
    condition     = var.replicas_per_node_group >= 1 && var.replicas_per_node_group <= 5
    error_message = "replicas_per_node_group must be 1-5 (Multi-AZ needs a replica)."
  }
}

variable "port" {
  type        = number
  description = "Redis port."
  default     = 6379

  validation {
    condition     = var.port >= 1024 && var.port <= 65535
    error_message = "port must be between 1024 and 65535."
  }
}

variable "subnet_ids" {
  type        = list(string)
  description = "Subnets of the cache subnet group (the database subnets, one per AZ)."

  validation {
    condition     = length(var.subnet_ids) >= 2 && alltrue([for s in var.subnet_ids : can(regex("^subnet-[0-9a-f]{8,17}$", s))])
    error_message = "subnet_ids must hold at least two subnet ids (subnet-...) for Multi-AZ."
  }
}

variable "security_group_ids" {
  type        = list(string)
  description = "Security groups of the replication group (20-security's elasticache_security_group_id)."

  validation {
    condition     = length(var.security_group_ids) > 0 && alltrue([for s in var.security_group_ids : can(regex("^sg-[0-9a-f]{8,17}$", s))])
    error_message = "security_group_ids must hold at least one security group id (sg-...)."
  }
}

variable "kms_key_arn" {
  type        = string
  description = "ARN of the ElastiCache KMS key: encryption at rest, snapshots and the auth token secret."

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN."
  }
}

variable "cloudwatch_logs_kms_key_arn" {
  type        = string
  description = "ARN of the KMS key for the slow-log and engine-log groups (the logs key)."

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:", var.cloudwatch_logs_kms_key_arn))
    error_message = "cloudwatch_logs_kms_key_arn must be a KMS key ARN."
  }
}

variable "cloudwatch_logs_retention_days" {
  type        = number
  description = "Retention of the slow-log and engine-log groups in days."
  default     = 365

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.cloudwatch_logs_retention_days)
    error_message = "cloudwatch_logs_retention_days must be a value CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, ... 3653)."
  }
}

variable "create_cache_parameter_group" {
  type        = bool
  description = "Create a custom redis7 parameter group (cluster-enabled yes plus parameters). false uses AWS's default.redis7.cluster.on instead, without the extra parameters."
  default     = true
}

variable "parameter_group_family" {
  type        = string
  description = "Parameter group family matching engine_version."
  default     = "redis7"

  validation {
    condition     = var.parameter_group_family == "redis7"
    error_message = "parameter_group_family must be redis7 for Redis 7.x."
  }
}

variable "parameters" {
  type = list(object({
    name  = string
    value = string
  }))
  description = "Extra parameters of the custom parameter group (cluster-enabled yes is always set)."
  default = [
    { name = "maxmemory-policy", value = "volatile-lru" },
    { name = "slowlog-log-slower-than", value = "10000" },
  ]

  validation {
    condition     = alltrue([for p in var.parameters : p.name != "cluster-enabled"])
    error_message = "cluster-enabled is fixed to yes by the module."
  }
}

variable "snapshot_retention_limit" {
  type        = number
  description = "Days of automatic snapshots kept."
  default     = 7

  validation {
    condition     = var.snapshot_retention_limit >= 1 && var.snapshot_retention_limit <= 35
    error_message = "snapshot_retention_limit must be 1-35 days (0 would turn backups off)."
  }
}

variable "final_snapshot_on_delete" {
  type        = bool
  description = "Take a final manual snapshot (<name>-final) when the replication group is deleted; automatic snapshots are deleted with the group. Delete an old <name>-final snapshot before deleting a group of the same name again."
  default     = true
}

variable "snapshot_window" {
  type        = string
  description = "Daily snapshot window in UTC (hh24:mi-hh24:mi); must not overlap the maintenance window."
  default     = "16:00-17:00"

  validation {
    condition     = can(regex("^([01][0-9]|2[0-3]):[0-5][0-9]-([01][0-9]|2[0-3]):[0-5][0-9]$", var.snapshot_window))
    error_message = "snapshot_window must look like 16:00-17:00."
  }
}

variable "maintenance_window" {
  type        = string
  description = "Weekly maintenance window in UTC (ddd:hh24:mi-ddd:hh24:mi)."
  default     = "sun:19:30-sun:20:30"

  validation {
    condition     = can(regex("^(mon|tue|wed|thu|fri|sat|sun):([01][0-9]|2[0-3]):[0-5][0-9]-(mon|tue|wed|thu|fri|sat|sun):([01][0-9]|2[0-3]):[0-5][0-9]$", var.maintenance_window))
    error_message = "maintenance_window must look like sun:19:30-sun:20:30."
  }
}

variable "auth_token_version" {
  type        = number
  description = "Bump to generate a new AUTH token, store it in the secret and set it on the cluster's default user (the old token stops working then)."
  default     = 1

  validation {
    condition     = var.auth_token_version >= 1 && floor(var.auth_token_version) == var.auth_token_version
    error_message = "auth_token_version must be a positive whole number."
  }
}

variable "secret_recovery_window_in_days" {
  type        = number
  description = "Days a deleted auth token secret can still be restored."
  default     = 7

  validation {
    condition     = var.secret_recovery_window_in_days == 0 || (var.secret_recovery_window_in_days >= 7 && var.secret_recovery_window_in_days <= 30)
    error_message = "secret_recovery_window_in_days must be 0 or 7-30."
  }
}

variable "apply_immediately" {
  type        = bool
  description = "Apply modifications now instead of in the next maintenance window."
  default     = false
}

variable "tags" {
  type        = map(string)
  description = "Tags for every resource (merged with a Name tag)."
  default     = {}
}
