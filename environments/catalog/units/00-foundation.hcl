# Names and KMS keys of the environment (environment, region, azs, tags come from root.hcl).
locals {
  settings = read_terragrunt_config(find_in_parent_folders("settings.hcl")).locals # docs/hcl-conventions.md: why
}

terraform {
  source = "${local.settings.modules}//foundation"
}
