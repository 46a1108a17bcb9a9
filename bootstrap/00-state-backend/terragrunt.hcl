# The state backend as code. `orch bootstrap` creates it (boto3); import it here to let Terraform own it:
# the import commands are in terraform/modules/state-backend/README.md. Until then, do not apply this
# layer against an account where the bucket exists (the apply would fail on "already exists").
include "root" {
  path   = "${get_terragrunt_dir()}/../../environments/root.hcl"
  expose = true
}

terraform {
  source = "${include.root.locals.settings.modules}//state-backend"
}

inputs = {
  bucket_name              = include.root.locals.settings.env.state.bucket
  kms_alias                = include.root.locals.settings.env.state.kms_alias
  lock_mode                = include.root.locals.settings.lock_mode
  lock_table               = try(include.root.locals.settings.env.state.lock_table, null)
  cross_account_principals = try(include.root.locals.settings.env.state.cross_account_principals, [])
  noncurrent_version_days  = try(include.root.locals.settings.env.state.noncurrent_version_days, 90)
}
