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

locals {
  azs  = ["ap-northeast-2a", "ap-northeast-2c"]
  tags = { Project = "orch-eks", Environment = "example" }
}


# The network and keys the module expects, from the sibling modules (as layers 00-20 do).
module "kms" {
  source = "../../../kms"

  environment = "example"
  region      = "ap-northeast-2"
  purposes    = ["logs", "efs"]
  tags        = local.tags
}

module "vpc" {
  source = "../../../vpc"

  environment          = "example"
  region               = "ap-northeast-2"
  azs                  = local.azs
  flow_log_kms_key_arn = module.kms.key_arns["logs"]
  tags                 = local.tags
}

module "security_groups" {
  source = "../../../security-group"

  environment    = "example"
  vpc_id         = module.vpc.vpc_id
  vpc_cidr_block = module.vpc.vpc_cidr_block
  tags           = local.tags
}

module "efs" {
  source = "../.."

  name               = "example-efs"
  azs                = local.azs
  subnet_ids         = module.vpc.private_subnet_ids
  security_group_ids = [module.security_groups.efs_security_group_id]
  kms_key_arn        = module.kms.key_arns["efs"]
  tags               = local.tags
}

output "efs_id" {
  description = "File system id."
  value       = module.efs.id
}
