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

data "aws_caller_identity" "current" {}

locals {
  tags   = { Project = "orch-eks", Environment = "example" }
  suffix = "${data.aws_caller_identity.current.account_id}-ap-northeast-2"
}

module "kms" {
  source = "../../../kms"

  environment = "example"
  region      = "ap-northeast-2"
  purposes    = ["s3"]
  tags        = local.tags
}

# A log bucket (SSE-S3: ALB and S3 access log delivery cannot write SSE-KMS objects) ...
module "logs" {
  source = "../.."

  name                         = "example-logs-${local.suffix}"
  allow_alb_log_delivery       = true
  allow_s3_access_log_delivery = true
  expiration_days              = 400
  tags                         = local.tags
}

# ... and a data bucket with SSE-KMS that logs its access to it.
module "artifacts" {
  source = "../.."

  name           = "example-artifacts-${local.suffix}"
  kms_key_arn    = module.kms.key_arns["s3"]
  access_logging = { target_bucket = module.logs.id, target_prefix = "s3-access/artifacts/" }
  tags           = local.tags
}

output "bucket_names" {
  description = "Bucket names."
  value       = [module.logs.id, module.artifacts.id]
}
