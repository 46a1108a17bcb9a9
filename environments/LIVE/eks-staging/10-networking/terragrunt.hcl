# Every environment runs the same 10-networking unit: environments/catalog/units/10-networking.hcl says
# what it builds and from what; this environment's values come from ../env.yaml.
include "root" {
  path = find_in_parent_folders("root.hcl")
}

include "unit" {
  path = "${dirname(find_in_parent_folders("root.hcl"))}/catalog/units/10-networking.hcl"
}

include "foundation" {
  path = "${dirname(find_in_parent_folders("root.hcl"))}/catalog/deps/foundation.hcl"
}
