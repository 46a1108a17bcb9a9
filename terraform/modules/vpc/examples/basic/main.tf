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
  source = "../../../kms"

  environment = "eks-prod"
  region      = "ap-northeast-2"
  purposes    = ["logs"]
}

# The plan's CIDR table is the default; only the environment settings are passed.
module "vpc" {
  source = "../.."

  environment          = "eks-prod"
  region               = "ap-northeast-2"
  azs                  = ["ap-northeast-2a", "ap-northeast-2c"]
  flow_log_kms_key_arn = module.kms.key_arns["logs"]
  tags                 = { Project = "orch-eks" }
}

output "private_subnet_ids" {
  description = "Node subnets in AZ order."
  value       = module.vpc.private_subnet_ids
}
