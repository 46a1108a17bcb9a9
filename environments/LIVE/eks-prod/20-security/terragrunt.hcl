# Security groups of the platform and every rule between them.
include "root" {
  path   = find_in_parent_folders("root.hcl")
  expose = true
}

terraform {
  source = "${include.root.locals.modules}//security-group"
}

dependency "foundation" {
  config_path  = "../00-foundation"
  skip_outputs = include.root.locals.offline
  mock_outputs = {
    name_prefix = "orch-eks-prod"
  }
  mock_outputs_allowed_terraform_commands = ["validate", "plan"]
}

dependency "networking" {
  config_path  = "../10-networking"
  skip_outputs = include.root.locals.offline
  mock_outputs = {
    vpc_id         = "vpc-00000000000000000"
    vpc_cidr_block = "10.0.0.0/16"
  }
  mock_outputs_allowed_terraform_commands = ["validate", "plan"]
}

inputs = {
  name_prefix    = dependency.foundation.outputs.name_prefix
  vpc_id         = dependency.networking.outputs.vpc_id
  vpc_cidr_block = dependency.networking.outputs.vpc_cidr_block
}
