variable "project" {
  type        = string
  description = "Short project name that starts every resource name."
  default     = "orch"

  validation {
    condition     = can(regex("^[a-z][a-z0-9]{1,11}$", var.project))
    error_message = "project must be 2-12 lowercase letters or digits, starting with a letter."
  }
}

variable "environment" {
  type        = string
  description = "Environment name from env.yaml (e.g. eks-prod); the second part of every name."

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,18}[a-z0-9]$", var.environment))
    error_message = "environment must be 3-20 characters: lowercase letters, digits and hyphens, starting with a letter."
  }
}

variable "name_prefix" {
  type        = string
  description = "Override for the derived prefix (\"<project>-<environment>\"); leave null to derive it. Layers pass 00-foundation's output here so every layer shares one prefix."
  default     = null

  validation {
    condition     = var.name_prefix == null || can(regex("^[a-z][a-z0-9-]{1,22}[a-z0-9]$", var.name_prefix))
    error_message = "name_prefix must be 3-24 characters: lowercase letters, digits and hyphens (it must leave room in 32-character AWS names)."
  }
}

variable "azs" {
  type        = list(string)
  description = "Availability zones of the environment (e.g. [\"ap-northeast-2a\", \"ap-northeast-2c\"]); names per AZ use the zone letter."
  default     = []

  validation {
    condition     = alltrue([for az in var.azs : can(regex("^[a-z]{2}(-[a-z]+)+-[0-9][a-z]$", az))])
    error_message = "Each AZ must look like ap-northeast-2a."
  }
}

variable "tags" {
  type        = map(string)
  description = "Standard tags of the environment (Project, Environment, Owner, CostCenter, ManagedBy, Layer)."
  default     = {}
}
