variable "name" {
  type        = string
  description = "Name of the IAM role."

  validation {
    condition     = can(regex("^[\\w+=,.@-]{1,64}$", var.name))
    error_message = "name must be 1-64 characters of letters, digits and +=,.@_-."
  }
}

variable "description" {
  type        = string
  description = "Description of the role (what uses it)."
  default     = "Managed by Terraform"
}

variable "path" {
  type        = string
  description = "IAM path of the role."
  default     = "/"

  validation {
    condition     = can(regex("^/([\\x21-\\x7E]*/)?$", var.path))
    error_message = "path must start and end with a slash."
  }
}

variable "max_session_duration" {
  type        = number
  description = "Maximum session duration in seconds (3600-43200)."
  default     = 3600

  validation {
    condition     = var.max_session_duration >= 3600 && var.max_session_duration <= 43200
    error_message = "max_session_duration must be between 3600 and 43200 seconds."
  }
}

variable "permissions_boundary_arn" {
  type        = string
  description = "ARN of a managed policy used as permissions boundary, or null for none."
  default     = null
}

variable "trusted_services" {
  type        = list(string)
  description = "AWS service principals that may assume the role, e.g. [\"eks.amazonaws.com\"]."
  default     = []

  validation {
    condition     = alltrue([for s in var.trusted_services : can(regex("^[a-z0-9.-]+\\.amazonaws\\.com(\\.cn)?$", s))])
    error_message = "trusted_services must be service principals such as ec2.amazonaws.com."
  }
}

variable "trusted_role_arns" {
  type        = list(string)
  description = "IAM role or account-root ARNs that may assume the role (cross-account access, admin roles)."
  default     = []

  validation {
    condition     = alltrue([for a in var.trusted_role_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:(root|role/.+)$", a))])
    error_message = "trusted_role_arns must be IAM role ARNs or arn:aws:iam::<account>:root."
  }
}

variable "oidc_provider_arn" {
  type        = string
  description = "ARN of the cluster's IAM OIDC provider; set with oidc_subjects to make an IRSA role."
  default     = null

  validation {
    condition     = var.oidc_provider_arn == null || can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:oidc-provider/.+$", var.oidc_provider_arn))
    error_message = "oidc_provider_arn must be an IAM OIDC provider ARN."
  }
}

variable "oidc_subjects" {
  type        = list(string)
  description = "Kubernetes service accounts allowed to assume the role through IRSA, as \"namespace:serviceaccount\"."
  default     = []

  validation {
    condition     = alltrue([for s in var.oidc_subjects : can(regex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?:[a-z0-9]([-.a-z0-9]*[a-z0-9])?$", s))])
    error_message = "oidc_subjects entries must look like \"namespace:serviceaccount\" (no wildcards)."
  }
}

variable "managed_policy_arns" {
  type        = map(string)
  description = "Managed policies to attach, keyed by a static label (keys must be known at plan time)."
  default     = {}

  validation {
    condition     = alltrue([for a in values(var.managed_policy_arns) : can(regex("^arn:aws[a-z-]*:iam::([0-9]{12}|aws):policy/.+$", a))])
    error_message = "managed_policy_arns values must be IAM policy ARNs."
  }
}

variable "inline_policies" {
  type        = map(string)
  description = "Inline policies as name -> JSON document (e.g. from data.aws_iam_policy_document)."
  default     = {}
}

variable "tags" {
  type        = map(string)
  description = "Tags for the role."
  default     = {}
}

variable "trusted_services_conditions" {
  type = list(object({
    test     = string
    variable = string
    values   = list(string)
  }))
  description = "Conditions on the trusted_services statement, all of which must hold, e.g. aws:SourceAccount and aws:SourceArn against the confused deputy problem."
  default     = []
  nullable    = false

  validation {
    condition = alltrue([for c in var.trusted_services_conditions : (
      can(regex("^(ForAllValues:|ForAnyValue:)?[A-Za-z]+$", c.test)) && length(c.variable) > 0 && length(c.values) > 0
    )])
    error_message = "Each of trusted_services_conditions needs an IAM condition operator as test (e.g. StringEquals, ArnLike), a condition key as variable and at least one value."
  }
}

variable "trust_statement_sids" {
  type = object({
    services         = optional(string, "TrustServices")
    roles            = optional(string, "TrustRoles")
    service_accounts = optional(string, "TrustServiceAccounts")
  })
  description = "Sids of the trust policy's statements (AWS services, roles, Kubernetes service accounts). The defaults suit a new role; a role moved into this module from a hand-written one keeps its Sids, so its trust policy does not change."
  default     = {}
  nullable    = false

  validation {
    condition     = alltrue([for sid in [var.trust_statement_sids.services, var.trust_statement_sids.roles, var.trust_statement_sids.service_accounts] : can(regex("^[A-Za-z0-9]+$", sid))])
    error_message = "trust_statement_sids must be letters and digits only (IAM Sid)."
  }
}
