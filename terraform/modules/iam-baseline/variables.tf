variable "name_prefix" {
  type        = string
  default     = "orch"
  description = "Prefix of every role and policy name."
  validation {
    condition     = can(regex("^[a-zA-Z][a-zA-Z0-9+=,.@-]{0,30}$", var.name_prefix))
    error_message = "name_prefix must be 1-31 IAM-name characters starting with a letter."
  }
}

variable "ci_principal_arns" {
  type        = list(string)
  default     = []
  description = "Principals of the CI system (e.g. the Jenkins agent role, possibly in a shared-services account) that may assume the CI role."
  validation {
    condition     = alltrue([for p in var.ci_principal_arns : can(regex("^arn:aws[a-z-]*:(iam|sts)::\\d{12}:.+$", p))])
    error_message = "ci_principal_arns must be IAM ARNs."
  }
}

variable "admin_principal_arns" {
  type        = list(string)
  description = "Principals of platform administrators that may assume the execution and EKS admin roles: IAM users/roles or an account root (these need MFA when require_mfa), or IAM Identity Center permission-set roles arn:aws:iam::<account>:role/aws-reserved/sso.amazonaws.com/[<region>/]AWSReservedSSO_<permission set>_<suffix>, where * may stand for the region and suffix (matched by aws:PrincipalArn; Identity Center enforces their MFA at sign-in)."
  validation {
    condition     = length(var.admin_principal_arns) > 0 && alltrue([for p in var.admin_principal_arns : can(regex("^arn:aws[a-z-]*:(iam|sts)::\\d{12}:.+$", p))])
    error_message = "admin_principal_arns must be a non-empty list of IAM ARNs."
  }
  validation {
    condition = alltrue([for p in var.admin_principal_arns : (
      can(regex("^arn:aws[a-z-]*:iam::\\d{12}:role/aws-reserved/sso\\.amazonaws\\.com/", p))
      ? can(regex("^arn:aws[a-z-]*:iam::\\d{12}:role/aws-reserved/sso\\.amazonaws\\.com/([a-z0-9-]+/|\\*/)?AWSReservedSSO_[A-Za-z0-9+=,.@_*-]+$", p))
      : !strcontains(p, "*")
    )])
    error_message = "Identity Center entries must name AWSReservedSSO_* roles under role/aws-reserved/sso.amazonaws.com/; wildcards (*) are allowed only in those entries."
  }
}

variable "developer_principal_arns" {
  type        = list(string)
  default     = []
  description = "Principals of developers that may assume the read-only developer role (no role created when empty); same forms as admin_principal_arns (IAM principals need MFA when require_mfa, Identity Center AWSReservedSSO_* roles are matched by aws:PrincipalArn)."
  validation {
    condition     = alltrue([for p in var.developer_principal_arns : can(regex("^arn:aws[a-z-]*:(iam|sts)::\\d{12}:.+$", p))])
    error_message = "developer_principal_arns must be IAM ARNs."
  }
  validation {
    condition = alltrue([for p in var.developer_principal_arns : (
      can(regex("^arn:aws[a-z-]*:iam::\\d{12}:role/aws-reserved/sso\\.amazonaws\\.com/", p))
      ? can(regex("^arn:aws[a-z-]*:iam::\\d{12}:role/aws-reserved/sso\\.amazonaws\\.com/([a-z0-9-]+/|\\*/)?AWSReservedSSO_[A-Za-z0-9+=,.@_*-]+$", p))
      : !strcontains(p, "*")
    )])
    error_message = "Identity Center entries must name AWSReservedSSO_* roles under role/aws-reserved/sso.amazonaws.com/; wildcards (*) are allowed only in those entries."
  }
}

variable "audit_principal_arns" {
  type        = list(string)
  default     = []
  description = "Principals (usually of the Audit account) that may assume the read-only audit role (no role created when empty); same forms and trust as developer_principal_arns (IAM principals need MFA when require_mfa, Identity Center AWSReservedSSO_* roles are matched by aws:PrincipalArn)."
  validation {
    condition     = alltrue([for p in var.audit_principal_arns : can(regex("^arn:aws[a-z-]*:(iam|sts)::\\d{12}:.+$", p))])
    error_message = "audit_principal_arns must be IAM ARNs."
  }
  validation {
    condition = alltrue([for p in var.audit_principal_arns : (
      can(regex("^arn:aws[a-z-]*:iam::\\d{12}:role/aws-reserved/sso\\.amazonaws\\.com/", p))
      ? can(regex("^arn:aws[a-z-]*:iam::\\d{12}:role/aws-reserved/sso\\.amazonaws\\.com/([a-z0-9-]+/|\\*/)?AWSReservedSSO_[A-Za-z0-9+=,.@_*-]+$", p))
      : !strcontains(p, "*")
    )])
    error_message = "Identity Center entries must name AWSReservedSSO_* roles under role/aws-reserved/sso.amazonaws.com/; wildcards (*) are allowed only in those entries."
  }
}

variable "execution_role_ci_principal_arn" {
  type        = string
  default     = null
  description = "The shared-services CI role (e.g. arn:aws:iam::<shared-services account>:role/jenkins-agent) that alone may assume the execution role, from its own account (env.yaml execution_role.trusted_ci_role_arn). Set: the execution role trusts that role only (no admin principals, not this account's CI role; administrators come in through OrganizationAccountAccessRole or the EKS admin role). Null: this account's CI role and the admin principals, as before."
  validation {
    condition     = var.execution_role_ci_principal_arn == null || can(regex("^arn:aws[a-z-]*:iam::\\d{12}:role/[\\w+=,.@/-]+$", var.execution_role_ci_principal_arn))
    error_message = "execution_role_ci_principal_arn must be an IAM role ARN (no wildcards)."
  }
}

variable "external_id" {
  type        = string
  default     = null
  sensitive   = true
  description = "When set, CI must pass this sts:ExternalId to assume the execution role (env.yaml execution_role.external_id)."
}

variable "require_mfa" {
  type        = bool
  default     = true
  description = "IAM principals among the administrators, developers and auditors must have signed in with MFA (aws:MultiFactorAuthPresent) to assume their roles. Identity Center (SSO) roles are trusted in a separate statement without that key, which their sessions never carry; enforce MFA in Identity Center."
}

variable "execution_policy_arns" {
  type        = list(string)
  default     = ["arn:aws:iam::aws:policy/AdministratorAccess"]
  description = "Managed policies of the Terraform execution role (it creates VPCs, EKS, IAM roles, RDS...); narrow with a permissions boundary where required."
}

variable "permissions_boundary_arn" {
  type        = string
  default     = null
  description = "Permissions boundary attached to every role created here (optional)."
}

variable "max_session_duration" {
  type        = number
  default     = 3600
  description = "Maximum session of the roles, in seconds (env.yaml execution_role.session_duration must not exceed it)."
  validation {
    condition     = var.max_session_duration >= 3600 && var.max_session_duration <= 43200
    error_message = "max_session_duration must be between 3600 and 43200."
  }
}

# Declared since the module's first version but read by no statement: setting it grants the CI role
# nothing; kept so that callers passing it do not break
# tflint-ignore: terraform_unused_declarations
variable "state_bucket_arn" {
  type        = string
  default     = null
  description = "ARN of the state bucket; when set, the CI role may read plans' state directly (plan-only jobs)."
}

variable "tags" {
  type        = map(string)
  default     = {}
  description = "Standard tags added to every resource."
}
