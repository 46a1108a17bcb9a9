terraform {
  # The module says what each engine needs (versions.tf: Terraform >= 1.14; versions.tofu: OpenTofu >= 1.11).
  required_version = ">= 1.11"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 6.0, < 7.0"
    }
  }
}

provider "aws" {
  region = "ap-northeast-2"
}

module "state_backend" {
  source = "../.."

  bucket_name = "orch-tfstate-example-111111111111"
  kms_alias   = "alias/orch-tfstate-example"
  lock_mode   = "both"
  lock_table  = "orch-tflock-example"
  tags = {
    Project     = "orch-eks"
    Environment = "example"
    Owner       = "platform-team"
    CostCenter  = "platform"
    ManagedBy   = "terraform"
  }
}
