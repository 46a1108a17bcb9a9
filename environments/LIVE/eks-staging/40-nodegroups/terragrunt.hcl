# Every environment runs the same 40-nodegroups unit: environments/catalog/units/40-nodegroups.hcl says
# what it builds and from what; this environment's values come from ../env.yaml.
include "root" {
  path = find_in_parent_folders("root.hcl")
}

include "unit" {
  path = "${dirname(find_in_parent_folders("root.hcl"))}/catalog/units/40-nodegroups.hcl"
}

include "foundation" {
  path = "${dirname(find_in_parent_folders("root.hcl"))}/catalog/deps/foundation.hcl"
}

include "networking" {
  path = "${dirname(find_in_parent_folders("root.hcl"))}/catalog/deps/networking.hcl"
}

include "security" {
  path = "${dirname(find_in_parent_folders("root.hcl"))}/catalog/deps/security.hcl"
}

include "cluster" {
  path = "${dirname(find_in_parent_folders("root.hcl"))}/catalog/deps/cluster.hcl"
}
