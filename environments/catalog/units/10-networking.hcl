# VPC, subnets (public/private/database/pod per AZ), NAT per AZ (or one:
# network.single_nat_gateway), endpoints, flow logs.
# The VPC's CIDRs and NAT layout come from env.yaml `network:` (orch validates them and refuses
# ranges that overlap another environment's); absent keys take the module defaults (the plan's table).
locals {
  settings = read_terragrunt_config(find_in_parent_folders("settings.hcl")).locals # docs/hcl-conventions.md: why
}

terraform {
  source = "${local.settings.modules}//vpc"
}

inputs = merge(
  {
    name_prefix          = dependency.foundation.outputs.name_prefix
    cluster_name         = dependency.foundation.outputs.cluster_name
    flow_log_kms_key_arn = dependency.foundation.outputs.kms_key_arns["logs"]
  },
  # vpc_cidr, *_subnet_cidrs, single_nat_gateway: the keys are the module's variable names.
  try(local.settings.env.network, {}),
)
