# Security groups of the platform and every rule between them.
locals {
  # root.hcl's locals (env.yaml, module path, account mapping); an included file cannot read
  # `include.root`, so it reads root.hcl itself, as seen from the unit that includes this file.
  root = read_terragrunt_config(find_in_parent_folders("root.hcl")).locals
}

terraform {
  source = "${local.root.modules}//security-group"
}

inputs = {
  name_prefix    = dependency.foundation.outputs.name_prefix
  vpc_id         = dependency.networking.outputs.vpc_id
  vpc_cidr_block = dependency.networking.outputs.vpc_cidr_block
}
