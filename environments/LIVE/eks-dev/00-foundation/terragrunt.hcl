# Every environment runs the same 00-foundation unit: environments/catalog/units/00-foundation.hcl says
# what it builds and from what; this environment's values come from ../env.yaml.
include "root" {
  path = find_in_parent_folders("root.hcl")
}

include "unit" {
  path = "${dirname(find_in_parent_folders("root.hcl"))}/catalog/units/00-foundation.hcl"
}
