# Security groups of the platform and every rule between them.
locals {
  settings = read_terragrunt_config(find_in_parent_folders("settings.hcl")).locals # docs/hcl-conventions.md: why
}

terraform {
  source = "${local.settings.modules}//security-group"
}

inputs = {
  name_prefix    = dependency.foundation.outputs.name_prefix
  vpc_id         = dependency.networking.outputs.vpc_id
  vpc_cidr_block = dependency.networking.outputs.vpc_cidr_block
}
