# The S3 remote state and the AWS provider of every unit, environment and bootstrap alike, defined
# once. A unit includes it next to its root.hcl (environments/LIVE/root.hcl or bootstrap/root.hcl),
# which decides the values; this file reads them from that root.hcl's locals:
#   state = { bucket, key, kms_key_id (null: the bucket's default encryption) }, lock_mode, lock_table,
#   backend_extra (Terragrunt-only keys), region, account_id, tags, provider_credentials (HCL lines),
#   local_mode and is_local (environments/local-mode.hcl).
locals {
  root = read_terragrunt_config(find_in_parent_folders("root.hcl")).locals
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
      bucket       = local.root.state.bucket
      key          = local.root.state.key
      region       = local.root.region
      encrypt      = true
      use_lockfile = contains(["s3", "both"], local.root.lock_mode)
    },
    # Optional settings as filtered for-expressions: a conditional `x ? {..} : {}` is a type error in HCL.
    { for k, v in { kms_key_id = local.root.state.kms_key_id } : k => v if v != null },
    { for k, v in { dynamodb_table = local.root.lock_table } : k => v if contains(["dynamodb", "both"], local.root.lock_mode) },
    local.root.backend_extra,
    { for k, v in local.root.local_mode.backend_config : k => v if local.root.is_local },
  )
}

generate "provider" {
  path      = "provider.tf"
  if_exists = "overwrite_terragrunt"
  contents  = <<-EOT
    provider "aws" {
      region              = "${local.root.region}"
      allowed_account_ids = ["${local.root.account_id}"]
      ${indent(2, local.root.provider_credentials)}
      default_tags {
        tags = ${jsonencode(local.root.tags)}
      }
      ${local.root.is_local ? indent(2, local.root.local_mode.provider_settings) : "# real AWS: default endpoints"}
    }
  EOT
}
