# Terragrunt configuration of the bootstrap layers (state backend, IAM baseline) of one account.
#
# Order: `orch bootstrap --env NAME` first (creates the bucket this state goes to), then
#   cd bootstrap/00-state-backend && terragrunt import ...   (commands in terraform/modules/state-backend/README.md)
#   cd bootstrap/10-iam-baseline  && terragrunt apply        (as an administrator of the account)
# then set env.yaml execution_role.arn to the execution_role_arn output.
# Local mode (ORCH_LOCAL_ENDPOINT set, as `orch --local` does) targets the emulator exactly like
# environments/LIVE/<env>/root.hcl.
locals {
  common = read_terragrunt_config("${get_parent_terragrunt_dir()}/common.hcl")
  env    = local.common.locals.env
  layer  = basename(get_terragrunt_dir())

  modules = "${get_parent_terragrunt_dir()}/../terraform/modules"

  local_mode = read_terragrunt_config("${get_parent_terragrunt_dir()}/../environments/local-mode.hcl").locals
  is_local   = local.local_mode.enabled
  account_id = local.is_local ? local.local_mode.account_id : local.env.account_id
  region     = local.env.region
  lock_mode  = try(local.env.state.lock_mode, "s3")

  tags = merge(local.env.tags, { Layer = "bootstrap-${local.layer}", ManagedBy = "terragrunt" })

}

remote_state {
  backend      = "s3"
  disable_init = true
  generate = {
    path      = "backend.tf"
    if_exists = "overwrite_terragrunt"
  }
  config = merge(
    {
      bucket       = local.env.state.bucket
      key          = "${local.env.state.key_prefix}/bootstrap/${path_relative_to_include()}/terraform.tfstate"
      region       = local.region
      encrypt      = true
      kms_key_id   = "arn:aws:kms:${local.region}:${local.account_id}:${local.env.state.kms_alias}"
      use_lockfile = contains(["s3", "both"], local.lock_mode)
    },
    # Optional settings as filtered for-expressions: a conditional `x ? {..} : {}` is a type error in HCL.
    { for k, v in { dynamodb_table = local.env.state.lock_table } : k => v if contains(["dynamodb", "both"], local.lock_mode) },
    { for k, v in local.local_mode.backend_config : k => v if local.is_local },
  )
}

# No assume_role here: the bootstrap runs as an administrator of the account (orch exports the
# caller's credentials, or the execution role once it exists and env.yaml names it).
generate "provider" {
  path      = "provider.tf"
  if_exists = "overwrite_terragrunt"
  contents  = <<-EOT
    provider "aws" {
      region              = "${local.region}"
      allowed_account_ids = ["${local.account_id}"]
      default_tags {
        tags = ${jsonencode(local.tags)}
      }
      ${local.is_local ? indent(2, local.local_mode.provider_settings) : "# real AWS: default endpoints"}
    }
  EOT
}

inputs = {
  tags = local.tags
}
