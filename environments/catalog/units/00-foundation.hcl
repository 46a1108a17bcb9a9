# Names and KMS keys of the environment (environment, region, azs, tags come from root.hcl).
locals {
  root = read_terragrunt_config(find_in_parent_folders("root.hcl")).locals # docs/hcl-conventions.md: why
}

terraform {
  source = "${local.root.modules}//foundation"
}
