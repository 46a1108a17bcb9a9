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

# A role for an AWS service.
module "service_role" {
  source = "../.."

  name             = "example-ec2"
  description      = "Example instance role"
  trusted_services = ["ec2.amazonaws.com"]
  managed_policy_arns = {
    ssm = "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"
  }
  tags = { Project = "orch-eks" }
}

# An IRSA role: only the kube-system/example service account of one cluster may assume it.
module "irsa_role" {
  source = "../.."

  name              = "example-irsa"
  oidc_provider_arn = "arn:aws:iam::111111111111:oidc-provider/oidc.eks.ap-northeast-2.amazonaws.com/id/EXAMPLE0000000000000000000000000"
  oidc_subjects     = ["kube-system:example"]
  inline_policies = {
    read-parameters = jsonencode({
      Version   = "2012-10-17"
      Statement = [{ Effect = "Allow", Action = ["ssm:GetParameter"], Resource = "arn:aws:ssm:ap-northeast-2:111111111111:parameter/example/*" }]
    })
  }
  tags = { Project = "orch-eks" }
}

output "role_arns" {
  description = "ARNs of the example roles."
  value       = [module.service_role.arn, module.irsa_role.arn]
}
