# The AWS Organization (OUs, member accounts, SCPs, organization CloudTrail and its log archive,
# GuardDuty/Security Hub delegated administrators), applied once from the management account with
# its administrator credentials. Everything comes from ../accounts.yaml; root.hcl puts this layer's
# state and provider in the management account (05: before any account's 00-state-backend and
# 10-iam-baseline, which need the accounts this layer creates). docs/accounts.md has the order.
include "root" {
  path   = "${get_terragrunt_dir()}/../../environments/root.hcl"
  expose = true
}

locals {
  org      = include.root.locals.settings.accounts.organization
  accounts = include.root.locals.settings.accounts.accounts
}

terraform {
  source = "${include.root.locals.settings.modules}//organization"
}

inputs = {
  name_prefix             = "orch"
  organizational_units    = { for name, parent in local.org.organizational_units : name => { parent = parent } }
  accounts                = local.accounts
  security_account_name   = local.org.security_account
  log_archive_bucket_name = local.org.log_archive_bucket
  object_lock_mode        = try(local.org.object_lock_mode, "GOVERNANCE")
  object_lock_days        = try(local.org.object_lock_days, 365)
  allowed_regions         = try(local.org.allowed_regions, ["ap-northeast-2"])
  # Only the payer account can activate cost allocation tags (the environments' 95-cost cannot).
  cost_allocation_tag_keys = try(local.org.cost_allocation_tags, ["Project", "Environment", "Layer", "CostCenter"])
}
