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
  tags = { Project = "orch-eks", Environment = "example" }
}


module "kms" {
  source = "../../../kms"

  environment = "example"
  region      = "ap-northeast-2"
  purposes    = ["logs", "sns"]
  tags        = local.tags
}

module "monitoring" {
  source = "../.."

  name_prefix                 = "example"
  sns_kms_key_arn             = module.kms.key_arns["sns"]
  cloudwatch_logs_kms_key_arn = module.kms.key_arns["logs"]
  alarm_email_addresses       = ["platform-oncall@example.com"]
  cluster_name                = "example"
  oidc_provider_arn           = "arn:aws:iam::111111111111:oidc-provider/oidc.eks.ap-northeast-2.amazonaws.com/id/EXAMPLE0000000000000000000000000"
  oidc_issuer_url             = "https://oidc.eks.ap-northeast-2.amazonaws.com/id/EXAMPLE0000000000000000000000000"
  aurora_instance_ids         = ["example-aurora-01", "example-aurora-02"]
  redis_member_clusters       = ["example-redis-0001-001", "example-redis-0001-002"]
  tags                        = local.tags
}

output "alarm_topic_arn" {
  description = "Alarm topic."
  value       = module.monitoring.alarm_topic_arn
}
