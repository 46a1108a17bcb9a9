variable "name_prefix" {
  type        = string
  default     = "orch"
  description = "Prefix of the policy, trail, key, log group and role names."
  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,19}$", var.name_prefix))
    error_message = "name_prefix must be 1-20 lowercase letters, digits or hyphens, starting with a letter."
  }
}

variable "organizational_units" {
  type = map(object({
    parent = optional(string)
  }))
  description = "The organizational units by name. parent = null puts the OU under the organization's root; otherwise it names a top-level OU of this map (two levels, as the plan's Workloads/Production). Default: the plan's Security, Infrastructure, Sandbox and Workloads with Production, Staging and Development."
  default = {
    Security       = {}
    Infrastructure = {}
    Sandbox        = {}
    Workloads      = {}
    Production     = { parent = "Workloads" }
    Staging        = { parent = "Workloads" }
    Development    = { parent = "Workloads" }
  }
  validation {
    condition     = alltrue([for name, ou in var.organizational_units : can(regex("^[A-Za-z0-9][A-Za-z0-9 ._-]{0,127}$", name))])
    error_message = "OU names must be 1-128 letters, digits, spaces, dots, underscores or hyphens."
  }
  validation {
    condition = alltrue([
      for name, ou in var.organizational_units : ou.parent == null || try(var.organizational_units[ou.parent].parent == null, false)
    ])
    error_message = "An OU's parent must be a top-level OU of organizational_units (at most two levels)."
  }
  validation {
    condition     = !contains(keys(var.organizational_units), "Root")
    error_message = "\"Root\" names the organization's root in policy_attachments; choose another OU name."
  }
}

variable "accounts" {
  type = list(object({
    name              = string
    email             = string
    ou                = string
    purpose           = string
    close_on_deletion = optional(bool, false)
  }))
  description = "Member accounts (bootstrap/accounts.yaml): account name, root e-mail address (unique across AWS), the OU it lives in (a key of organizational_units) and what it is for (a tag). Each is created with the cross-account role access_role_name, trusted by the management account."
  validation {
    condition     = length(var.accounts) == length(distinct([for a in var.accounts : a.name]))
    error_message = "Account names must be unique."
  }
  validation {
    condition     = length(var.accounts) == length(distinct([for a in var.accounts : lower(a.email)]))
    error_message = "Account e-mail addresses must be unique."
  }
  validation {
    condition     = alltrue([for a in var.accounts : can(regex("^[^@\\s]+@[^@\\s]+\\.[a-z]{2,}$", a.email))])
    error_message = "Every account needs a valid e-mail address."
  }
  validation {
    condition     = alltrue([for a in var.accounts : can(regex("^[A-Za-z0-9][A-Za-z0-9 ._-]{0,49}$", a.name))])
    error_message = "Account names must be 1-50 letters, digits, spaces, dots, underscores or hyphens."
  }
  validation {
    condition     = alltrue([for a in var.accounts : contains(keys(var.organizational_units), a.ou)])
    error_message = "Every account's ou must be a key of organizational_units."
  }
  validation {
    condition     = alltrue([for a in var.accounts : length(trimspace(a.purpose)) > 0 && length(a.purpose) <= 256])
    error_message = "Every account needs a purpose (1-256 characters; it becomes the Purpose tag)."
  }
}

variable "security_account_name" {
  type        = string
  description = "Name (in accounts) of the Security/Audit account: the delegated administrator of GuardDuty and Security Hub, and a reader of the log archive."
  validation {
    condition     = contains([for a in var.accounts : a.name], var.security_account_name)
    error_message = "security_account_name must name an account of accounts."
  }
}

variable "access_role_name" {
  type        = string
  default     = "OrganizationAccountAccessRole"
  description = "Role that Organizations creates in every new member account, trusted by the management account (the path to each account's execution role; see docs/accounts.md). Read only at account creation."
  validation {
    condition     = can(regex("^[\\w+=,.@-]{1,64}$", var.access_role_name))
    error_message = "access_role_name must be a valid IAM role name."
  }
}

variable "service_access_principals" {
  type        = list(string)
  description = "AWS services trusted in the organization (trusted access). CloudTrail, GuardDuty and Security Hub are needed by the organization trail and the delegated administrators."
  default = [
    "account.amazonaws.com",
    "cloudtrail.amazonaws.com",
    "config.amazonaws.com",
    "config-multiaccountsetup.amazonaws.com",
    "guardduty.amazonaws.com",
    "securityhub.amazonaws.com",
    "sso.amazonaws.com",
  ]
  validation {
    condition     = alltrue([for p in var.service_access_principals : can(regex("^[a-z0-9.-]+\\.amazonaws\\.com$", p))])
    error_message = "service_access_principals must be service principals (*.amazonaws.com)."
  }
  validation {
    condition     = length(setintersection(var.service_access_principals, ["cloudtrail.amazonaws.com", "guardduty.amazonaws.com", "securityhub.amazonaws.com"])) == 3
    error_message = "cloudtrail, guardduty and securityhub .amazonaws.com must be trusted: the organization trail and the delegated administrators need them."
  }
}

variable "allowed_regions" {
  type        = list(string)
  default     = ["ap-northeast-2"]
  description = "Regions member accounts may use (region-restriction SCP); global services (IAM, Organizations, Route 53, CloudFront, STS, support, billing, ...) stay usable."
  validation {
    condition     = length(var.allowed_regions) > 0 && alltrue([for r in var.allowed_regions : can(regex("^[a-z]{2}(-gov)?-[a-z]+-\\d$", r))])
    error_message = "allowed_regions must be a non-empty list of AWS region names."
  }
}

variable "scp_exempt_role_names" {
  type        = list(string)
  default     = ["OrganizationAccountAccessRole"]
  description = "Roles (names, in any member account) that the region-restriction and security-service SCPs do not restrict: the break-glass path from the management account. The leave-organization, root-user and EBS-encryption denials have no exemption."
  validation {
    condition     = alltrue([for n in var.scp_exempt_role_names : can(regex("^[\\w+=,.@-]{1,64}$", n))])
    error_message = "scp_exempt_role_names must be IAM role names."
  }
}

variable "policy_attachments" {
  type        = map(list(string))
  description = "Where each SCP is attached: policy key => targets, each \"Root\" (the organization root: every member account, never the management account) or an OU name. Keys: deny_leave_organization, deny_root_user, protect_security_services, restrict_regions, protect_ebs_encryption. AWS allows 5 SCPs per target, FullAWSAccess included, so the org-wide guardrails sit on the root and the regional ones on the top-level OUs."
  default = {
    deny_leave_organization   = ["Root"]
    deny_root_user            = ["Root"]
    protect_security_services = ["Root"]
    restrict_regions          = ["Security", "Infrastructure", "Sandbox", "Workloads"]
    protect_ebs_encryption    = ["Security", "Infrastructure", "Sandbox", "Workloads"]
  }
  validation {
    condition = length(setsubtract(keys(var.policy_attachments), [
      "deny_leave_organization", "deny_root_user", "protect_security_services", "restrict_regions", "protect_ebs_encryption",
    ])) == 0
    error_message = "policy_attachments keys must be deny_leave_organization, deny_root_user, protect_security_services, restrict_regions or protect_ebs_encryption."
  }
  validation {
    condition = alltrue(flatten([
      for policy, targets in var.policy_attachments : [for t in targets : t == "Root" || contains(keys(var.organizational_units), t)]
    ]))
    error_message = "Every policy_attachments target must be \"Root\" or a key of organizational_units."
  }
  validation {
    condition = alltrue([
      for target in distinct(flatten(values(var.policy_attachments))) :
      length([for policy, targets in var.policy_attachments : policy if contains(targets, target)]) <= 4
    ])
    error_message = "At most 4 of these SCPs per target: AWS allows 5 attached SCPs per root, OU or account, and FullAWSAccess is one."
  }
}

variable "log_archive_bucket_name" {
  type        = string
  description = "Name of the organization trail's log-archive bucket (globally unique)."
  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.log_archive_bucket_name)) && !strcontains(var.log_archive_bucket_name, "..")
    error_message = "log_archive_bucket_name must be a valid S3 bucket name."
  }
}

variable "object_lock_mode" {
  type        = string
  default     = "GOVERNANCE"
  description = "Default S3 Object Lock mode of the log archive: GOVERNANCE (only principals with s3:BypassGovernanceRetention may delete early) or COMPLIANCE (nobody can, the root user included, until retention ends)."
  validation {
    condition     = contains(["GOVERNANCE", "COMPLIANCE"], var.object_lock_mode)
    error_message = "object_lock_mode must be GOVERNANCE or COMPLIANCE."
  }
}

variable "object_lock_days" {
  type        = number
  default     = 365
  description = "Days each log object is locked (default retention of the Object Lock configuration)."
  validation {
    condition     = var.object_lock_days >= 1 && var.object_lock_days <= 36500 && floor(var.object_lock_days) == var.object_lock_days
    error_message = "object_lock_days must be a whole number of days, 1-36500."
  }
}

variable "log_expiration_days" {
  type        = number
  default     = 2555
  description = "Days after which log objects (current and noncurrent versions) expire; must be longer than object_lock_days. Default: 7 years."
  validation {
    condition     = var.log_expiration_days >= 1 && floor(var.log_expiration_days) == var.log_expiration_days
    error_message = "log_expiration_days must be a positive whole number."
  }
  validation {
    condition     = var.log_expiration_days > var.object_lock_days
    error_message = "log_expiration_days must be longer than object_lock_days (a locked version cannot expire)."
  }
}

variable "log_glacier_transition_days" {
  type        = number
  default     = 90
  description = "Days after which log objects move to S3 Glacier Flexible Retrieval."
  validation {
    condition     = var.log_glacier_transition_days >= 1 && floor(var.log_glacier_transition_days) == var.log_glacier_transition_days
    error_message = "log_glacier_transition_days must be a positive whole number."
  }
}

variable "cloudwatch_logs_retention_days" {
  type        = number
  default     = 365
  description = "Retention of the trail's CloudWatch Logs group (for metric filters and alarms)."
  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.cloudwatch_logs_retention_days)
    error_message = "cloudwatch_logs_retention_days must be a CloudWatch Logs retention value (1, 3, 5, 7, 14, 30, ..., 365, 400, 545, 731, ..., 3653)."
  }
  validation {
    condition     = var.cloudwatch_logs_retention_days >= 365
    error_message = "Keep the trail's log group at least a year (365 days or more)."
  }
}

variable "cost_allocation_tag_keys" {
  type        = list(string)
  default     = ["Project", "Environment", "Layer", "CostCenter"]
  description = "Tag keys activated as cost allocation tags for the whole organization (Cost Explorer, budgets and the cost and usage report can then group by them). The platform's standard tags; [] activates none."
  validation {
    condition     = alltrue([for k in var.cost_allocation_tag_keys : can(regex("^[\\p{L}\\p{N}\\s_.:/=+@-]{1,128}$", k))])
    error_message = "cost_allocation_tag_keys must be tag keys (1-128 letters, digits, spaces or _ . : / = + @ -)."
  }
}

variable "tags" {
  type        = map(string)
  default     = {}
  description = "Tags for every taggable resource (the provider adds its default_tags as well)."
}
