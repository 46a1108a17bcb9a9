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

variable "cluster_name" {
  type        = string
  description = "Existing EKS cluster."
  default     = "example"
}

variable "subnet_ids" {
  type        = list(string)
  description = "Private subnets of the cluster's VPC (two AZs)."
  default     = ["subnet-0000000000000000a", "subnet-0000000000000000c"]
}

variable "node_security_group_id" {
  type        = string
  description = "Node security group."
  default     = "sg-00000000000000002"
}

variable "ebs_kms_key_arn" {
  type        = string
  description = "KMS key for node volumes."
  default     = "arn:aws:kms:ap-northeast-2:111111111111:key/00000000-0000-0000-0000-000000000000"
}

module "nodes" {
  source = "../.."

  cluster_name            = var.cluster_name
  kubernetes_version      = "1.35"
  subnet_ids              = var.subnet_ids
  node_security_group_ids = [var.node_security_group_id]
  ebs_kms_key_arn         = var.ebs_kms_key_arn
  # In a stack: eks-cluster's network_addons output (the add-ons exist before any node).
  network_addons = { vpc-cni = "v1.21.1-eksbuild.1", kube-proxy = "v1.35.0-eksbuild.2" }

  node_groups = {
    system = {
      instance_types = ["m6i.large"]
      min_size       = 2
      max_size       = 4
      labels         = { role = "system" }
      taints         = [{ key = "CriticalAddonsOnly", value = "true", effect = "NO_SCHEDULE" }]
    }
    spot = {
      instance_types = ["m6i.xlarge", "m5.xlarge"]
      capacity_type  = "SPOT"
      min_size       = 0
      max_size       = 5
      labels         = { role = "spot" }
    }
  }
  tags = { Project = "orch-eks" }
}

output "node_group_names" {
  description = "Node group names."
  value       = module.nodes.node_group_names
}
