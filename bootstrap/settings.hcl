# Settings of the bootstrap layers, which ../environments/root.hcl (their root, like every environment
# unit's) turns into their remote state and provider: 05-organization, applied once from the
# management account (bootstrap/accounts.yaml), and the state backend and IAM baseline of each
# environment's account (00, 10; env.yaml of ORCH_ENV). docs/accounts.md gives the order.
#
# Per account: `orch bootstrap --env NAME` first (creates the bucket this state goes to), then
#   cd bootstrap/00-state-backend && terragrunt import ...   (commands in terraform/modules/state-backend/README.md)
#   cd bootstrap/10-iam-baseline  && terragrunt apply        (as an administrator of the account)
# then set env.yaml execution_role.arn to the execution_role_arn output.
# Local mode (ORCH_LOCAL_ENDPOINT set, as `orch --local` does) targets the emulator exactly like
# environments/LIVE/settings.hcl.
locals {
  common = read_terragrunt_config("${get_parent_terragrunt_dir()}/common.hcl")
  env    = local.common.locals.env
  # get_original_terragrunt_dir(): the unit (this file is read with read_terragrunt_config).
  layer = basename(get_original_terragrunt_dir())

  modules = "${get_parent_terragrunt_dir()}/../terraform/modules"

  local_mode = read_terragrunt_config("${get_parent_terragrunt_dir()}/../environments/local-mode.hcl").locals
  is_local   = local.local_mode.enabled

  # Layers applied from the management account with bootstrap/accounts.yaml's `management:` block
  # (account, region, state); every other layer is an environment account's (env.yaml).
  management_layers = ["05-organization"]
  is_management     = contains(local.management_layers, local.layer)
  accounts          = yamldecode(file("${get_parent_terragrunt_dir()}/accounts.yaml"))
  management        = local.accounts.management

  account_id = local.is_local ? local.local_mode.account_id : (local.is_management ? local.management.account_id : local.env.account_id)
  region     = local.is_management ? local.management.region : local.env.region
  lock_mode  = local.is_management ? "s3" : try(local.env.state.lock_mode, "s3")

  tags = merge(local.is_management ? local.accounts.tags : local.env.tags, { Layer = "bootstrap-${local.layer}", ManagedBy = "terragrunt" })

  # Where this layer's state goes. The management account's own bucket (accounts.yaml) on AWS; in
  # local mode the emulator is one account for all, so the management layers keep their state in the
  # environment's emulator bucket (`orch --local bootstrap --env NAME` creates it) under management/.
  env_state = {
    bucket     = local.env.state.bucket
    key        = "${local.env.state.key_prefix}/bootstrap/${local.layer}/terraform.tfstate"
    kms_key_id = "arn:aws:kms:${local.region}:${local.account_id}:${local.env.state.kms_alias}"
  }
  state = !local.is_management ? local.env_state : (local.is_local ? merge(local.env_state, {
    key = "management/bootstrap/${local.layer}/terraform.tfstate"
    }) : {
    bucket     = local.management.state.bucket
    key        = "${local.management.state.key_prefix}/bootstrap/${local.layer}/terraform.tfstate"
    kms_key_id = null # the bucket's default encryption (SSE-KMS) applies
  })
  lock_table = try(local.env.state.lock_table, null)
  # Terragrunt-only keys: how `terragrunt backend bootstrap` creates the management account's state
  # bucket (once, docs/accounts.md): SSE-KMS; versioning, public access block and the TLS-only policy
  # are its defaults.
  backend_extra = { for k, v in { bucket_sse_algorithm = "aws:kms" } : k => v if local.is_management && !local.is_local }
  # No assume_role here: the bootstrap runs as an administrator of the account (orch exports the
  # caller's credentials, or the execution role once it exists and env.yaml names it).
  provider_credentials = "# credentials: an administrator's of the account (no role is assumed)"

  inputs             = { tags = local.tags }
  emulator_overrides = false
}
