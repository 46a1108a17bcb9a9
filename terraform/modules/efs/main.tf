locals {
  # Mount targets keyed by AZ: the keys are known at plan time even when the subnet ids are not.
  mount_targets = zipmap(var.azs, var.subnet_ids)
}

resource "aws_efs_file_system" "this" {
  #checkov:skip=CKV2_AWS_18:AWS Backup covers it twice: aws_efs_backup_policy below (EFS automatic backups) and 85-backup's plan (terraform/modules/backup selects this file system by ARN, another layer checkov cannot follow)
  creation_token   = var.name
  encrypted        = true
  kms_key_id       = var.kms_key_arn
  performance_mode = var.performance_mode
  throughput_mode  = var.throughput_mode

  lifecycle_policy {
    transition_to_ia = var.transition_to_ia
  }

  lifecycle_policy {
    transition_to_primary_storage_class = "AFTER_1_ACCESS"
  }

  tags = merge(var.tags, { Name = var.name })

  lifecycle {
    precondition {
      condition     = length(var.subnet_ids) == length(var.azs)
      error_message = "subnet_ids must hold exactly one subnet per AZ, in azs order."
    }
  }
}

resource "aws_efs_mount_target" "this" {
  for_each = local.mount_targets

  file_system_id  = aws_efs_file_system.this.id
  subnet_id       = each.value
  security_groups = var.security_group_ids
}

resource "aws_efs_backup_policy" "this" {
  file_system_id = aws_efs_file_system.this.id

  backup_policy {
    status = var.enable_backups ? "ENABLED" : "DISABLED"
  }
}

moved {
  from = aws_efs_backup_policy.this[0]
  to   = aws_efs_backup_policy.this
}

data "aws_iam_policy_document" "this" {
  # Every client must mount with TLS (the EFS CSI driver does with encryptInTransit, its default).
  statement {
    sid       = "DenyWithoutTls"
    effect    = "Deny"
    actions   = ["*"]
    resources = [aws_efs_file_system.this.arn]

    principals {
      type        = "AWS"
      identifiers = ["*"]
    }

    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }

  # Clients (the EFS CSI driver mounts without IAM authorisation, i.e. anonymously) may mount
  # and write only through a mount target, i.e. from inside the VPC where the security group
  # admits the nodes alone. Root access is not granted: the driver's access points map every
  # pod to its own uid/gid, so plain clients are root-squashed.
  statement {
    sid       = "MountThroughMountTargetsOnly"
    effect    = "Allow"
    actions   = ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"]
    resources = [aws_efs_file_system.this.arn]

    principals {
      type        = "AWS"
      identifiers = ["*"]
    }

    condition {
      test     = "Bool"
      variable = "elasticfilesystem:AccessedViaMountTarget"
      values   = ["true"]
    }
  }
}

resource "aws_efs_file_system_policy" "this" {
  file_system_id = aws_efs_file_system.this.id
  policy         = data.aws_iam_policy_document.this.json
}
