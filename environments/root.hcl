# The root of every unit, environments and bootstrap alike (Gruntwork's root.hcl, once): the S3 remote
# state, the generated AWS provider and the inputs every module receives. It decides nothing itself:
# the values come from the settings.hcl above the unit, found from the unit's folder:
#   environments/LIVE/settings.hcl  an environment unit (its env.yaml is the unit's parent folder's)
#   bootstrap/settings.hcl          a bootstrap unit (ORCH_ENV's env.yaml; the management account's for
#                                   05-organization)
# A settings.hcl provides: state = { bucket, key, kms_key_id (null: the bucket's default encryption) },
# lock_mode, lock_table, backend_extra (Terragrunt-only keys), region, account_id, tags,
# provider_credentials (HCL lines), inputs, emulator_overrides, local_mode and is_local
# (environments/local-mode.hcl). Environment units include this file with find_in_parent_folders("root.hcl"),
# bootstrap units by path; catalog files read settings.hcl (docs/hcl-conventions.md).
locals {
  settings = read_terragrunt_config(find_in_parent_folders("settings.hcl")).locals
}

remote_state {
  backend = "s3"
  # orch bootstrap creates and hardens the bucket (KMS, TLS-only policy, versioning);
  # Terragrunt's own bucket creation would skip those, so it is turned off.
  disable_init = true
  generate = {
    path      = "backend.tf"
    if_exists = "overwrite_terragrunt"
  }
  config = merge(
    {
      bucket       = local.settings.state.bucket
      key          = local.settings.state.key
      region       = local.settings.region
      encrypt      = true
      use_lockfile = contains(["s3", "both"], local.settings.lock_mode)
    },
    # Optional settings as filtered for-expressions: a conditional `x ? {..} : {}` is a type error in HCL.
    { for k, v in { kms_key_id = local.settings.state.kms_key_id } : k => v if v != null },
    { for k, v in { dynamodb_table = local.settings.lock_table } : k => v if contains(["dynamodb", "both"], local.settings.lock_mode) },
    local.settings.backend_extra,
    { for k, v in local.settings.local_mode.backend_config : k => v if local.settings.is_local },
  )
}

generate "provider" {
  path      = "provider.tf"
  if_exists = "overwrite_terragrunt"
  contents  = <<-EOT
    provider "aws" {
      region              = "${local.settings.region}"
      allowed_account_ids = ["${local.settings.account_id}"]
      ${indent(2, local.settings.provider_credentials)}
      default_tags {
        tags = ${jsonencode(local.settings.tags)}
      }
      ${local.settings.is_local ? indent(2, local.settings.local_mode.provider_settings) : "# real AWS: default endpoints"}
    }
  EOT
}

# Every module receives these; modules declare the ones they use. In local mode the switches in
# emulator-overrides.yaml turn off what a local run cannot have (Helm charts from the internet); nothing
# else differs from a real AWS run (environment units only: the bootstrap modules have no such switch).
# On a machine without the local Kubernetes build (orch then sets ORCH_LOCAL_KUBE=0) the clusters have
# no Kubernetes API, so the layers' Kubernetes side is off as well.
inputs = merge(
  local.settings.inputs,
  local.settings.is_local && local.settings.emulator_overrides ? yamldecode(file(mark_as_read("${get_parent_terragrunt_dir()}/emulator-overrides.yaml"))) : {},
  local.settings.is_local && local.settings.emulator_overrides && get_env("ORCH_LOCAL_KUBE", "1") == "0" ? { enable_kubernetes_resources = false } : {},
)
