# Settings shared by the bootstrap layers: which environment (account) they build, read from the
# same env.yaml that orch and environments/LIVE/settings.hcl use. Choose it with ORCH_ENV
# (default eks-prod): `ORCH_ENV=eks-staging terragrunt run --all -- plan` from bootstrap/.
locals {
  env_name = get_env("ORCH_ENV", "eks-prod")
  env_dir  = "${get_parent_terragrunt_dir()}/../environments/LIVE/${local.env_name}"
  env      = yamldecode(file("${local.env_dir}/env.yaml"))

  # Who may use the roles 10-iam-baseline creates: env.yaml's `iam:` block (orch validates it, see
  # orchestrator/config/access.py IamSettings). Defaults: admins = the account itself (its administrators
  # decide through their own IAM policies); no developer or audit principals, so no such roles.
  # IAM Identity Center roles are given as
  # arn:aws:iam::<account>:role/aws-reserved/sso.amazonaws.com/*/AWSReservedSSO_<permission set>_*
  # and are trusted without the MFA key their sessions never carry (see the iam-baseline README).
  env_iam = try(local.env.iam, {})
  iam = {
    admin_principal_arns     = length(try(local.env_iam.admin_principals, [])) > 0 ? local.env_iam.admin_principals : ["arn:aws:iam::${local.env.account_id}:root"]
    ci_principal_arns        = try(local.env_iam.ci_principals, [])
    developer_principal_arns = try(local.env_iam.developer_principals, [])
    audit_principal_arns     = try(local.env_iam.audit_principals, [])
    require_mfa              = try(local.env_iam.require_mfa, true)
  }
}
