# Every environment runs the same 85-backup unit: environments/catalog/units/85-backup.hcl says
# what it builds and from what; this environment's values come from ../env.yaml.
include "root" {
  path = find_in_parent_folders("root.hcl")
}

include "unit" {
  path = "${dirname(find_in_parent_folders("root.hcl"))}/catalog/units/85-backup.hcl"
}

include "foundation" {
  path = "${dirname(find_in_parent_folders("root.hcl"))}/catalog/deps/foundation.hcl"
}
