terraform {
  # Terraform reads this file; OpenTofu reads versions.tofu instead (a .tofu file replaces the
  # .tf file of the same name). Terraform >= 1.14 is the plan's minimum (issue 17).
  required_version = ">= 1.14"
  # Pure logic: no resources, so no provider is required.
}
