variable "project" {
  type        = string
  description = "Short project name that starts every resource name."
  default     = "orch"
}

variable "environment" {
  type        = string
  description = "Environment name from env.yaml (e.g. eks-prod)."
}

variable "region" {
  type        = string
  description = "AWS region of the environment."
}

variable "azs" {
  type        = list(string)
  description = "Availability zones of the environment."
  default     = []
}

variable "kms_deletion_window_in_days" {
  type        = number
  description = "Waiting period before a scheduled KMS key deletion takes effect."
  default     = 30
}

variable "kms_rotation_period_in_days" {
  type        = number
  description = "Automatic rotation period of every key (rotation is always on)."
  default     = 365
}

variable "create_autoscaling_service_linked_role" {
  type        = bool
  description = "Create the Auto Scaling service-linked role that the EBS key policy names (a new account has none and KMS rejects the policy without it). Set false in an account that already has AWSServiceRoleForAutoScaling."
  default     = true
}

variable "set_ebs_default_kms_key" {
  type        = bool
  description = "Make the platform's ebs KMS key the account's default EBS key in this region (EBS encryption by default is always on). false only for the local emulator."
  default     = true
}

variable "tags" {
  type        = map(string)
  description = "Standard tags of the environment."
  default     = {}
}
