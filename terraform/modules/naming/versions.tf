terraform {
  required_version = ">= 1.10"
  # Pure logic: no resources, so no provider is required.
}
