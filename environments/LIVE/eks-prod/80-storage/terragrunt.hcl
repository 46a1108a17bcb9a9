# Every environment runs the same 80-storage unit: environments/catalog/units/80-storage.hcl says
# what it builds and from what; this environment's values come from ../env.yaml.
include "root" {
  path = find_in_parent_folders("root.hcl")
}

include "unit" {
  path = "${dirname(find_in_parent_folders("root.hcl"))}/catalog/units/80-storage.hcl"
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
