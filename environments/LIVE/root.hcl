# Shared Terragrunt configuration for every unit of every environment: remote state and the
# AWS provider are defined once here. A unit includes it and its catalog file
# (environments/catalog/units/NN-name.hcl), which reads these locals with read_terragrunt_config.
# get_original_terragrunt_dir() is the unit's directory in both cases (get_terragrunt_dir() is not
# when this file is read from the catalog), so the environment is always the unit's parent folder.
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

  lock_mode = try(local.env.state.lock_mode, "s3")

  # `orch validate` is offline: units then take their dependencies' typed mock outputs
  # instead of reading state (every dependency block sets skip_outputs from this).
  offline = get_env("ORCH_OFFLINE", "") != ""

  tags = merge(local.env.tags, { Layer = local.layer })

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
      bucket       = local.env.state.bucket
      key          = "${local.env.state.key_prefix}/${local.layer}/terraform.tfstate"
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

generate "provider" {
  path      = "provider.tf"
  if_exists = "overwrite_terragrunt"
  contents  = <<-EOT
    provider "aws" {
      region              = "${local.region}"
      allowed_account_ids = ["${local.account_id}"]
      ${local.provider_assume ? indent(2, local.assume_role_block) : "# credentials: the caller's, or the execution role orch assumed"}
      default_tags {
        tags = ${jsonencode(local.tags)}
      }
      ${local.is_local ? indent(2, local.local_mode.provider_settings) : "# real AWS: default endpoints"}
    }
  EOT
}

# Every module receives these; modules declare the ones they use. In local mode the
# switches in environments/emulator-overrides.yaml turn off what the emulator cannot serve (the
# Kubernetes API); nothing else differs from a real AWS run.
inputs = merge(
  {
    environment = local.env.name
    region      = local.region
    azs         = local.env.availability_zones
    tags        = local.tags
  },
  local.is_local ? yamldecode(file(mark_as_read("${get_parent_terragrunt_dir()}/../emulator-overrides.yaml"))) : {},
)
