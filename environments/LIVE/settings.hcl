# What every environment unit's root (../root.hcl) and catalog file (../catalog/units/NN-name.hcl) take:
# where its state goes, which account and credentials its AWS provider uses, its tags and the inputs
# every module receives, all from the env.yaml of the unit's environment folder. Both read these
# locals with read_terragrunt_config; get_original_terragrunt_dir() is the unit's directory in both
# cases (get_terragrunt_dir() is this file's), so the environment is always the unit's parent folder.
locals {
  env_dir = dirname(get_original_terragrunt_dir())
  env     = yamldecode(file("${local.env_dir}/env.yaml"))
  layer   = basename(get_original_terragrunt_dir())

  # Where the hand-written modules live; catalog units use "${local.root.modules}//NAME".
  modules = "${get_parent_terragrunt_dir()}/../../terraform/modules"

  # Local mode: orch (`orch --local`) points every AWS call at its embedded emulator and
  # maps the environment's account to the emulator's. Real AWS runs never set these.
  local_mode = read_terragrunt_config("${get_parent_terragrunt_dir()}/../local-mode.hcl").locals
  is_local   = local.local_mode.enabled
  account_id = local.is_local ? local.local_mode.account_id : local.env.account_id
  region     = local.env.region

  # orch assumes the execution role itself (with an account guard) and exports the
  # short-lived credentials; the provider assumes it only when Terragrunt runs alone.
  role_arn        = try(local.env.execution_role.arn, null) == null ? "" : local.env.execution_role.arn
  provider_assume = local.role_arn != "" && get_env("ORCH_ROLE_ASSUMED", "") == "" && !local.is_local
  external_id     = try(local.env.execution_role.external_id, null)
  assume_role_block = join("\n", concat(
    ["assume_role {", "  role_arn     = \"${local.role_arn}\"", "  session_name = \"terragrunt-${local.layer}\""],
    local.external_id == null ? [] : ["  external_id  = \"${local.external_id}\""],
    ["}"],
  ))

  # IAM ARNs in env.yaml name the environment's account; in local mode the emulator's account
  # stands in for it: units rewrite them with replace(arn, account_arn_from, account_arn_to).
  account_arn_from = ":${local.env.account_id}:"
  account_arn_to   = ":${local.account_id}:"

  # Read by ../root.hcl.
  state = {
    bucket     = local.env.state.bucket
    key        = "${local.env.state.key_prefix}/${local.layer}/terraform.tfstate"
    kms_key_id = "arn:aws:kms:${local.region}:${local.account_id}:${local.env.state.kms_alias}"
  }
  lock_mode            = try(local.env.state.lock_mode, "s3")
  lock_table           = try(local.env.state.lock_table, null)
  backend_extra        = {}
  provider_credentials = local.provider_assume ? local.assume_role_block : "# credentials: the caller's, or the execution role orch assumed"

  # `orch validate` is offline: units then take their dependencies' typed mock outputs
  # instead of reading state (every dependency block sets skip_outputs from this).
  offline = get_env("ORCH_OFFLINE", "") != ""

  tags = merge(local.env.tags, { Layer = local.layer })

  # ../root.hcl passes these to every module and, in local mode, merges emulator-overrides.yaml.
  inputs = {
    environment = local.env.name
    region      = local.region
    azs         = local.env.availability_zones
    tags        = local.tags
  }
  emulator_overrides = true
}
