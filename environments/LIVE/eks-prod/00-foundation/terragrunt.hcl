# Names and KMS keys of the environment (environment, region, azs, tags come from root.hcl).
include "root" {
  path   = find_in_parent_folders("root.hcl")
  expose = true
}

terraform {
  source = "${include.root.locals.modules}//foundation"
}
