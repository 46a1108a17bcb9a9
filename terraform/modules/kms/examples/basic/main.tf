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

module "kms" {
  source = "../.."

  environment = "eks-prod"
  region      = "ap-northeast-2"
  purposes    = ["logs", "ebs"]
  tags        = { Project = "orch-eks" }
}

output "key_arns" {
  description = "Key ARNs by purpose."
  value       = module.kms.key_arns
}
