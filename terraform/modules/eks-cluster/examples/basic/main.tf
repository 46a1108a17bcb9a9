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

# Minimal network and keys so the example stands alone; real layers take them from
# 00-foundation, 10-networking and 20-security.
resource "aws_vpc" "this" {
  #checkov:skip=CKV2_AWS_11:Example stand-in for 10-networking's VPC, which has flow logs.
  cidr_block = "10.0.0.0/16"
}

resource "aws_default_security_group" "this" {
  vpc_id = aws_vpc.this.id
}

resource "aws_subnet" "private" {
  for_each          = { "ap-northeast-2a" = "10.0.10.0/24", "ap-northeast-2c" = "10.0.11.0/24" }
  vpc_id            = aws_vpc.this.id
  availability_zone = each.key
  cidr_block        = each.value
}

resource "aws_security_group" "cluster" {
  name        = "example-eks-cluster"
  description = "Example EKS cluster security group"
  vpc_id      = aws_vpc.this.id
}

data "aws_caller_identity" "current" {}

resource "aws_kms_key" "this" {
  description         = "Example EKS secrets and logs key"
  enable_key_rotation = true
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "AccountAdmin"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root" }
        Action    = "kms:*"
        Resource  = "*"
      },
      {
        Sid       = "CloudWatchLogs"
        Effect    = "Allow"
        Principal = { Service = "logs.ap-northeast-2.amazonaws.com" }
        Action    = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"]
        Resource  = "*"
      },
    ]
  })
}

module "cluster" {
  source = "../.."

  cluster_name              = "example"
  subnet_ids                = [for s in aws_subnet.private : s.id]
  cluster_security_group_id = aws_security_group.cluster.id
  secrets_kms_key_arn       = aws_kms_key.this.arn
  logs_kms_key_arn          = aws_kms_key.this.arn
  public_access_cidrs       = ["203.0.113.0/24"]
  pod_subnet_ids_by_az      = { for az, s in aws_subnet.private : az => s.id }
  pod_security_group_ids    = [aws_security_group.cluster.id]
  admin_role_arns           = ["arn:aws:iam::111111111111:role/example-eks-admin"]
  developer_role_arns       = ["arn:aws:iam::111111111111:role/example-eks-developer"]
  audit_role_arns           = ["arn:aws:iam::111111111111:role/example-eks-audit"]
  application_namespaces    = ["app"]
  tags                      = { Project = "orch-eks" }
}

output "cluster_endpoint" {
  description = "API server endpoint."
  value       = module.cluster.cluster_endpoint
}

output "oidc_provider_arn" {
  description = "IRSA OIDC provider."
  value       = module.cluster.oidc_provider_arn
}
