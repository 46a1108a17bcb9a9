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

resource "aws_vpc" "example" {
  # checkov:skip=CKV2_AWS_11:Example VPC only; flow logs are the vpc module's job.
  # checkov:skip=CKV2_AWS_12:Example VPC only; the vpc module closes the default security group.
  cidr_block = "10.0.0.0/16"
}

module "security_groups" {
  source = "../.."

  environment    = "eks-prod"
  vpc_id         = aws_vpc.example.id
  vpc_cidr_block = aws_vpc.example.cidr_block
  tags           = { Project = "orch-eks" }
}

output "security_group_ids" {
  description = "Security group IDs by role."
  value       = module.security_groups.security_group_ids
}
