# Every environment runs the same 50-addons unit: environments/catalog/units/50-addons.hcl says
# what it builds and from what; this environment's values come from ../env.yaml.
include "root" {
  path = find_in_parent_folders("root.hcl")
}

include "unit" {
  path = "${dirname(find_in_parent_folders("root.hcl"))}/catalog/units/50-addons.hcl"
}

include "foundation" {
  path = "${dirname(find_in_parent_folders("root.hcl"))}/catalog/deps/foundation.hcl"
}

include "networking" {
  path = "${dirname(find_in_parent_folders("root.hcl"))}/catalog/deps/networking.hcl"
}

include "cluster" {
  path = "${dirname(find_in_parent_folders("root.hcl"))}/catalog/deps/cluster.hcl"
}
