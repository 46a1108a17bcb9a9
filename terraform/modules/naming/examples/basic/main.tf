terraform {
  required_version = ">= 1.10"
}

module "naming" {
  source = "../.."

  environment = "eks-prod"
  azs         = ["ap-northeast-2a", "ap-northeast-2c"]
  tags        = { Project = "orch-eks", Environment = "prod" }
}

output "name_prefix" {
  description = "Derived prefix."
  value       = module.naming.name_prefix
}

output "subnet_names" {
  description = "Subnet names per tier and AZ."
  value       = module.naming.subnet_names
}
