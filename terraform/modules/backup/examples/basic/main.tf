terraform {
  required_version = ">= 1.10"
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

module "backup" {
  source = "../.."

  name_prefix    = "example"
  retention_days = 7
  resource_arns = {
    aurora = "arn:aws:rds:ap-northeast-2:111111111111:cluster:example-aurora"
    efs    = "arn:aws:elasticfilesystem:ap-northeast-2:111111111111:file-system/fs-0123456789abcdef0"
  }
  tags = { Project = "orch-eks", Environment = "example" }
}

output "vault_arn" {
  description = "The locked backup vault."
  value       = module.backup.vault_arn
}
