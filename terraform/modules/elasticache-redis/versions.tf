terraform {
  # Ephemeral resources and write-only arguments (the AUTH token never reaches state): OpenTofu
  # 1.11, Terraform 1.11.
  required_version = ">= 1.11"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 6.0, < 7.0"
    }
  }
}
