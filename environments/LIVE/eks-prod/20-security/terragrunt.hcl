# Security groups of the platform and every rule between them.
include "root" {
  path   = find_in_parent_folders("root.hcl")
  expose = true
}

terraform {
  source = "${include.root.locals.modules}//security-group"
}

include "foundation" {
  path = "${get_terragrunt_dir()}/../_deps/foundation.hcl"
}

include "networking" {
  path = "${get_terragrunt_dir()}/../_deps/networking.hcl"
}

inputs = {
  name_prefix    = dependency.foundation.outputs.name_prefix
  vpc_id         = dependency.networking.outputs.vpc_id
  vpc_cidr_block = dependency.networking.outputs.vpc_cidr_block
}
