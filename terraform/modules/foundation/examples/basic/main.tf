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

module "foundation" {
  source = "../.."

  environment = "eks-prod"
  region      = "ap-northeast-2"
  azs         = ["ap-northeast-2a", "ap-northeast-2c"]
  tags        = { Project = "orch-eks" }
}

output "kms_key_arns" {
  description = "Key ARNs by purpose."
  value       = module.foundation.kms_key_arns
}
