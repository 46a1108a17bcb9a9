# VPC, subnets (public/private/database/pod per AZ), NAT per AZ, endpoints, flow logs.
# Subnet CIDRs are the module defaults (the plan's table).
include "root" {
  path   = find_in_parent_folders("root.hcl")
  expose = true
}

terraform {
  source = "${include.root.locals.modules}//vpc"
}

include "foundation" {
  path = "${get_terragrunt_dir()}/../_deps/foundation.hcl"
}

inputs = {
  name_prefix          = dependency.foundation.outputs.name_prefix
  cluster_name         = dependency.foundation.outputs.cluster_name
  flow_log_kms_key_arn = dependency.foundation.outputs.kms_key_arns["logs"]
}
