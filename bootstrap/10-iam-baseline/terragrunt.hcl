# Terraform execution role (assumable by this account's CI role and the admins, or, with env.yaml
# execution_role.trusted_ci_role_arn, by the shared-services CI role only), CI role + cross-account
# assume-role policy, EKS admin role, and the
# developer and audit roles when env.yaml's `iam:` block lists their principals (read through
# ../common.hcl). Apply as an account administrator; env.yaml's eks.*_role_arns name the outputs.
include "root" {
  path   = "${get_terragrunt_dir()}/../../environments/root.hcl"
  expose = true
}

locals {
  iam = read_terragrunt_config("${get_terragrunt_dir()}/../common.hcl").locals.iam
}

terraform {
  source = "${include.root.locals.settings.modules}//iam-baseline"
}

inputs = {
  name_prefix              = "orch"
  admin_principal_arns     = local.iam.admin_principal_arns
  ci_principal_arns        = local.iam.ci_principal_arns
  developer_principal_arns = local.iam.developer_principal_arns
  audit_principal_arns     = local.iam.audit_principal_arns
  require_mfa              = local.iam.require_mfa
  external_id              = try(include.root.locals.settings.env.execution_role.external_id, null)
  # Multi-account: only the shared-services CI role may assume the execution role (docs/accounts.md).
  execution_role_ci_principal_arn = try(include.root.locals.settings.env.execution_role.trusted_ci_role_arn, null)
  max_session_duration            = max(3600, try(include.root.locals.settings.env.execution_role.session_duration, 3600))
}
