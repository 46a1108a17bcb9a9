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

# Credentials of the management account (the organization is created from there).
provider "aws" {
  region = "ap-northeast-2"
}

module "organization" {
  source = "../.."

  accounts = [
    { name = "log-archive", email = "aws+log-archive@example.com", ou = "Security", purpose = "Log Archive" },
    { name = "audit", email = "aws+audit@example.com", ou = "Security", purpose = "Audit: GuardDuty and Security Hub administrator" },
    { name = "shared-services", email = "aws+shared-services@example.com", ou = "Infrastructure", purpose = "CI (Jenkins)" },
    { name = "production", email = "aws+production@example.com", ou = "Production", purpose = "eks-prod" },
  ]
  security_account_name   = "audit"
  log_archive_bucket_name = "example-org-log-archive-000000000000"
  tags = {
    Project     = "orch-eks"
    Environment = "management"
    Owner       = "platform-team"
    CostCenter  = "platform"
    ManagedBy   = "terraform"
  }
}

output "account_ids" {
  value = module.organization.account_ids
}
