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
  purposes    = ["logs", "elasticache"]
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

module "redis" {
  source = "../.."

  name                        = "example-redis"
  subnet_ids                  = module.vpc.database_subnet_ids
  security_group_ids          = [module.security_groups.elasticache_security_group_id]
  kms_key_arn                 = module.kms.key_arns["elasticache"]
  cloudwatch_logs_kms_key_arn = module.kms.key_arns["logs"]
  tags                        = local.tags
}

output "configuration_endpoint" {
  description = "Cluster-mode configuration endpoint."
  value       = module.redis.configuration_endpoint
}

output "auth_token_secret_arn" {
  description = "Secret holding the AUTH token."
  value       = module.redis.auth_token_secret_arn
}
