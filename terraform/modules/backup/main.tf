data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

data "aws_region" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.region

  vault_name = "${var.name_prefix}-backup"
  copy       = var.copy_region != null

  # The service role may back up and restore these kinds; the plan protects what the selections name.
  managed_policies = {
    backup  = "arn:${local.partition}:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup"
    restore = "arn:${local.partition}:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores"
  }
}

# ---------------------------------------------------------------- vault keys
# A key of the vault's own: recovery points must stay readable when a source key (rds, efs, ebs)
# is scheduled for deletion, and a restore must not depend on the source layer's key policy.
data "aws_iam_policy_document" "key" {
  # checkov:skip=CKV_AWS_109:A key policy's Resource "*" is the key itself; administration is limited to the account root (delegated to IAM).
  # checkov:skip=CKV_AWS_111:A key policy's Resource "*" is the key itself; use is limited to this account through the service (kms:ViaService).
  # checkov:skip=CKV_AWS_356:A key policy's Resource "*" always means this key; it cannot name another resource.
  statement {
    sid       = "AccountAdministers"
    actions   = ["kms:*"]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = ["arn:${local.partition}:iam::${local.account_id}:root"]
    }
  }

  statement {
    sid = "BackupUsesViaService"
    actions = [
      "kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*", "kms:DescribeKey", "kms:CreateGrant",
    ]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = ["*"]
    }

    condition {
      test     = "StringEquals"
      variable = "kms:CallerAccount"
      values   = [local.account_id]
    }

    condition {
      test     = "StringLike"
      variable = "kms:ViaService"
      values   = ["backup.*.amazonaws.com"]
    }
  }
}

resource "aws_kms_key" "vault" {
  description             = "${var.name_prefix}: AWS Backup vault ${local.vault_name}"
  enable_key_rotation     = true
  deletion_window_in_days = 30
  policy                  = data.aws_iam_policy_document.key.json

  tags = merge(var.tags, { Name = local.vault_name, Purpose = "backup" })
}

resource "aws_kms_alias" "vault" {
  name          = "alias/${local.vault_name}"
  target_key_id = aws_kms_key.vault.key_id
}

resource "aws_kms_key" "copy" {
  count  = local.copy ? 1 : 0
  region = var.copy_region

  description             = "${var.name_prefix}: AWS Backup copy vault ${local.vault_name} in ${var.copy_region}"
  enable_key_rotation     = true
  deletion_window_in_days = 30
  policy                  = data.aws_iam_policy_document.key.json

  tags = merge(var.tags, { Name = "${local.vault_name}-copy", Purpose = "backup" })
}

# ---------------------------------------------------------------- vaults
resource "aws_backup_vault" "this" {
  name        = local.vault_name
  kms_key_arn = aws_kms_key.vault.arn

  tags = merge(var.tags, { Name = local.vault_name })
}

# Governance mode (no changeable_for_days): recovery points cannot be deleted before
# min_retention_days nor kept longer than max_retention_days, except by an identity allowed
# backup:DeleteBackupVaultLockConfiguration (the account's administrators). Compliance mode would
# make the lock permanent after its grace period; choose it consciously, not by default.
resource "aws_backup_vault_lock_configuration" "this" {
  backup_vault_name  = aws_backup_vault.this.name
  min_retention_days = var.vault_lock_min_retention_days
  max_retention_days = var.vault_lock_max_retention_days
}

resource "aws_backup_vault" "copy" {
  count  = local.copy ? 1 : 0
  region = var.copy_region

  name        = local.vault_name
  kms_key_arn = aws_kms_key.copy[0].arn

  tags = merge(var.tags, { Name = "${local.vault_name}-copy" })
}

resource "aws_backup_vault_lock_configuration" "copy" {
  count  = local.copy ? 1 : 0
  region = var.copy_region

  backup_vault_name  = aws_backup_vault.copy[0].name
  min_retention_days = var.vault_lock_min_retention_days
  max_retention_days = var.vault_lock_max_retention_days
}

# ---------------------------------------------------------------- service role
# Trusted by AWS Backup only for this account's jobs (the confused deputy); the Sid is the one the
# hand-written role had.
module "service_role" {
  source = "../iam-role"

  name             = "${var.name_prefix}-backup"
  description      = "AWS Backup service role of ${var.name_prefix} (backup and restore of the selected resources)"
  trusted_services = ["backup.amazonaws.com"]
  trusted_services_conditions = [
    { test = "StringEquals", variable = "aws:SourceAccount", values = [local.account_id] },
  ]
  trust_statement_sids = { services = "BackupAssumes" }
  managed_policy_arns  = local.managed_policies
  tags                 = var.tags
}

# The role and its attachments were hand-written here before; moved, not replaced.
moved {
  from = aws_iam_role.backup
  to   = module.service_role.aws_iam_role.this
}

moved {
  from = aws_iam_role_policy_attachment.backup
  to   = module.service_role.aws_iam_role_policy_attachment.managed
}

# ---------------------------------------------------------------- plan and selections
resource "aws_backup_plan" "this" {
  name = "${var.name_prefix}-daily"

  rule {
    rule_name                    = "daily"
    target_vault_name            = aws_backup_vault.this.name
    schedule                     = var.schedule
    schedule_expression_timezone = var.schedule_timezone
    start_window                 = var.start_window_minutes
    completion_window            = var.completion_window_minutes
    enable_continuous_backup     = false

    lifecycle {
      delete_after = var.retention_days
    }

    dynamic "copy_action" {
      for_each = local.copy ? [1] : []
      content {
        destination_vault_arn = aws_backup_vault.copy[0].arn

        lifecycle {
          delete_after = coalesce(var.copy_retention_days, var.retention_days)
        }
      }
    }

    recovery_point_tags = merge(var.tags, { BackupPlan = "${var.name_prefix}-daily" })
  }

  tags = merge(var.tags, { Name = "${var.name_prefix}-daily" })

  lifecycle {
    precondition {
      condition     = var.retention_days >= var.vault_lock_min_retention_days && var.retention_days <= var.vault_lock_max_retention_days
      error_message = "retention_days must lie within the vault lock's min/max retention days, or the vault refuses the recovery points."
    }
  }
}

# The data tier by ARN (Aurora cluster, EFS file system), named by the layers that own them.
resource "aws_backup_selection" "resources" {
  count = length(var.resource_arns) > 0 ? 1 : 0

  name         = "${var.name_prefix}-data"
  plan_id      = aws_backup_plan.this.id
  iam_role_arn = module.service_role.arn
  resources    = values(var.resource_arns)

  depends_on = [module.service_role]
}

# EBS volumes opt in by tag (a PersistentVolume's StorageClass or the EBS CSI driver's
# extraVolumeTags sets it); node root volumes carry no such tag and are not backed up.
resource "aws_backup_selection" "tagged_ebs" {
  count = var.ebs_selection_tag == null ? 0 : 1

  name         = "${var.name_prefix}-tagged-ebs"
  plan_id      = aws_backup_plan.this.id
  iam_role_arn = module.service_role.arn
  resources    = ["arn:${local.partition}:ec2:${local.region}:${local.account_id}:volume/*"]

  condition {
    string_equals {
      key   = "aws:ResourceTag/${var.ebs_selection_tag.key}"
      value = var.ebs_selection_tag.value
    }
  }

  depends_on = [module.service_role]
}
