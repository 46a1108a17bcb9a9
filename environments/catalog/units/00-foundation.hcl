# Names and KMS keys of the environment (environment, region, azs, tags come from root.hcl).
locals {
  # root.hcl's locals (env.yaml, module path, account mapping); an included file cannot read
  # `include.root`, so it reads root.hcl itself, as seen from the unit that includes this file.
  root = read_terragrunt_config(find_in_parent_folders("root.hcl")).locals
}

terraform {
  source = "${local.root.modules}//foundation"
}
