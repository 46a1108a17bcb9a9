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
  purposes    = ["logs", "efs", "s3"]
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

module "storage" {
  source = "../.."

  name_prefix            = "example"
  azs                    = local.azs
  private_subnet_ids     = module.vpc.private_subnet_ids
  efs_security_group_ids = [module.security_groups.efs_security_group_id]
  efs_kms_key_arn        = module.kms.key_arns["efs"]
  s3_kms_key_arn         = module.kms.key_arns["s3"]
  buckets                = { artifacts = {}, backups = { transition_to_ia_days = 30, noncurrent_version_expiration_days = 30 } }
  tags                   = local.tags
}

output "bucket_names" {
  description = "Bucket names by purpose."
  value       = module.storage.bucket_names
}
