terraform {
  # Terraform reads this file; OpenTofu reads versions.tofu instead (a .tofu file replaces the
  # .tf file of the same name). Terraform >= 1.14 is the plan's minimum (issue 17).
  required_version = ">= 1.14"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 6.0, < 7.0"
    }
  }
}
