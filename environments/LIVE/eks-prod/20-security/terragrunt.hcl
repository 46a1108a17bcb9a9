# Every environment runs the same 20-security unit: environments/catalog/units/20-security.hcl says
# what it builds and from what; this environment's values come from ../env.yaml.
include "root" {
  path = find_in_parent_folders("root.hcl")
}

include "unit" {
  path = "${dirname(find_in_parent_folders("root.hcl"))}/catalog/units/20-security.hcl"
}

include "foundation" {
  path = "${dirname(find_in_parent_folders("root.hcl"))}/catalog/deps/foundation.hcl"
}

include "networking" {
  path = "${dirname(find_in_parent_folders("root.hcl"))}/catalog/deps/networking.hcl"
}
