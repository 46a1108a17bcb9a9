# Plan-only checks of the vault lock, the retention, the selections and the optional copy (no AWS calls).
mock_provider "aws" {
  mock_data "aws_iam_policy_document" {
    defaults = { json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}" }
  }
  mock_data "aws_caller_identity" {
    defaults = { account_id = "111111111111" }
  }
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
  mock_data "aws_region" {
    defaults = { region = "ap-northeast-2" }
  }
  mock_resource "aws_kms_key" {
    defaults = { arn = "arn:aws:kms:ap-northeast-2:111111111111:key/00000000-0000-0000-0000-000000000009" }
  }
  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::111111111111:role/orch-eks-prod-backup" }
  }
  mock_resource "aws_backup_vault" {
    defaults = { arn = "arn:aws:backup:ap-northeast-2:111111111111:backup-vault:orch-eks-prod-backup" }
  }
}

variables {
  name_prefix = "orch-eks-prod"
  resource_arns = {
    aurora = "arn:aws:rds:ap-northeast-2:111111111111:cluster:orch-eks-prod-aurora"
    efs    = "arn:aws:elasticfilesystem:ap-northeast-2:111111111111:file-system/fs-0123456789abcdef0"
  }
}

run "plan_retention_lock_and_selections" {
  command = plan

  assert {
    condition     = one(aws_backup_plan.this.rule).lifecycle[0].delete_after == 7 && length(one(aws_backup_plan.this.rule).copy_action) == 0
    error_message = "Daily recovery points are kept 7 days (plan.md) and not copied by default."
  }
  assert {
    condition = (
      aws_backup_vault_lock_configuration.this.min_retention_days == 7 &&
      aws_backup_vault_lock_configuration.this.max_retention_days == 35 &&
      aws_backup_vault_lock_configuration.this.changeable_for_days == null
    )
    error_message = "The vault lock must be in governance mode (no changeable_for_days) with 7-35 days."
  }
  assert {
    condition     = aws_kms_key.vault.enable_key_rotation && aws_backup_vault.this.name == "orch-eks-prod-backup"
    error_message = "The vault is encrypted with its own rotating key."
  }
  assert {
    condition     = toset(aws_backup_selection.resources[0].resources) == toset(values(var.resource_arns))
    error_message = "Aurora and EFS are selected by ARN."
  }
  assert {
    condition = (
      aws_backup_selection.tagged_ebs[0].resources == toset(["arn:aws:ec2:ap-northeast-2:111111111111:volume/*"]) &&
      one(one(aws_backup_selection.tagged_ebs[0].condition).string_equals).key == "aws:ResourceTag/Backup"
    )
    error_message = "EBS volumes are selected by their Backup tag."
  }
  assert {
    condition = module.service_role.managed_policy_arns == toset([
      "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup",
      "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores",
    ])
    error_message = "The service role has the AWS managed backup and restore policies."
  }
}

run "cross_region_copy" {
  command = plan

  variables {
    copy_region         = "ap-northeast-1"
    copy_retention_days = 14
  }

  assert {
    condition = (
      aws_backup_vault.copy[0].region == "ap-northeast-1" &&
      aws_kms_key.copy[0].region == "ap-northeast-1" &&
      one(one(aws_backup_plan.this.rule).copy_action).lifecycle[0].delete_after == 14
    )
    error_message = "With copy_region every recovery point is copied to a locked vault there."
  }
}

run "retention_outside_the_lock_is_refused" {
  command = plan

  variables {
    retention_days = 90
  }

  expect_failures = [aws_backup_plan.this]
}
