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

provider "aws" {
  region = "ap-northeast-2"
}

module "iam_baseline" {
  source = "../.."

  admin_principal_arns     = ["arn:aws:iam::111111111111:root"]
  ci_principal_arns        = ["arn:aws:iam::222222222222:role/jenkins-agent"]
  developer_principal_arns = ["arn:aws:iam::111111111111:root"]
  external_id              = "example-external-id"
  tags = {
    Project     = "orch-eks"
    Environment = "example"
    Owner       = "platform-team"
    CostCenter  = "platform"
    ManagedBy   = "terraform"
  }
}
