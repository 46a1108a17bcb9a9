variable "name_prefix" {
  type        = string
  description = "Prefix of every name (00-foundation's name_prefix)."

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}$", var.name_prefix))
    error_message = "name_prefix must be 2-31 lowercase letters, digits or hyphens, starting with a letter."
  }
}

variable "alarm_topic_arn" {
  type        = string
  description = "SNS topic budget and anomaly alerts go to (90-monitoring's alarm topic; its policy admits budgets.amazonaws.com and costalerts.amazonaws.com of this account)."

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:sns:[a-z0-9-]+:\\d{12}:[A-Za-z0-9_-]+$", var.alarm_topic_arn))
    error_message = "alarm_topic_arn must be an SNS topic ARN."
  }
}

variable "monthly_budget_usd" {
  type        = number
  description = "Monthly cost budget of the environment's account in USD (env.yaml cost.monthly_budget_usd)."
  nullable    = false

  validation {
    condition     = var.monthly_budget_usd > 0
    error_message = "monthly_budget_usd must be a positive amount."
  }
}

variable "budget_actual_thresholds_percent" {
  type        = list(number)
  description = "Alert when the month's actual spend passes these percentages of the budget (a forecast above 100% always alerts)."
  default     = [80, 100]

  validation {
    condition     = length(var.budget_actual_thresholds_percent) > 0 && alltrue([for p in var.budget_actual_thresholds_percent : p > 0 && p <= 1000])
    error_message = "budget_actual_thresholds_percent must list percentages between 0 and 1000."
  }
}

variable "anomaly_threshold_usd" {
  type        = number
  description = "Alert on a cost anomaly whose total impact is at least this many USD."
  default     = 100

  validation {
    condition     = var.anomaly_threshold_usd >= 0
    error_message = "anomaly_threshold_usd must not be negative."
  }
}

variable "activate_cost_allocation_tags" {
  type        = bool
  description = "Activate cost_allocation_tag_keys as cost allocation tags. Only a payer (management) or standalone account can; set false in a member account of an organization and activate them in the management account."
  default     = true
}

variable "cost_allocation_tag_keys" {
  type        = list(string)
  description = "Tag keys to activate for cost allocation (the platform's standard tags)."
  default     = ["Project", "Environment", "Layer", "CostCenter"]

  validation {
    condition     = alltrue([for k in var.cost_allocation_tag_keys : can(regex("^[\\p{L}\\p{N}\\s_.:/=+@-]{1,128}$", k))])
    error_message = "cost_allocation_tag_keys must be tag keys (1-128 characters)."
  }
}

variable "tags" {
  type        = map(string)
  description = "Tags for every resource (merged with a Name tag)."
  default     = {}
}
