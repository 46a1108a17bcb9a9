# The Terraform state backend of one environment: the same resources `orch bootstrap` creates with
# boto3 (orchestrator/aws/backend/__init__.py), so Terraform can own them after an import (see README.md).

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

locals {
  partition  = data.aws_partition.current.partition
  account_id = data.aws_caller_identity.current.account_id
  bucket_arn = "arn:${local.partition}:s3:::${var.bucket_name}"
  principal_arns = [
    for p in var.cross_account_principals : can(regex("^\\d{12}$", p)) ? "arn:${local.partition}:iam::${p}:root" : p
  ]
  use_dynamodb = contains(["dynamodb", "both"], var.lock_mode)
}

# --- KMS key ------------------------------------------------------------------------------------------

data "aws_iam_policy_document" "key" {
  #checkov:skip=CKV_AWS_109:A key policy must grant the account root kms:* (on "*" = this key) or the key becomes unmanageable.
  #checkov:skip=CKV_AWS_111:Same: the account-root statement is the standard administrator grant of a key policy.
  #checkov:skip=CKV_AWS_356:In a key policy, Resource "*" means this key only.
  statement {
    sid       = "AccountAdministersKey"
    effect    = "Allow"
    actions   = ["kms:*"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:${local.partition}:iam::${local.account_id}:root"]
    }
  }

  dynamic "statement" {
    for_each = length(local.principal_arns) > 0 ? [1] : []
    content {
      sid       = "CrossAccountStateUse"
      effect    = "Allow"
      actions   = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"]
      resources = ["*"]
      principals {
        type        = "AWS"
        identifiers = local.principal_arns
      }
    }
  }
}

resource "aws_kms_key" "state" {
  description             = "Terraform state (${var.bucket_name})"
  key_usage               = "ENCRYPT_DECRYPT"
  enable_key_rotation     = true
  deletion_window_in_days = var.kms_deletion_window_days
  policy                  = data.aws_iam_policy_document.key.json
  tags                    = merge(var.tags, { Name = trimprefix(var.kms_alias, "alias/") })
}

resource "aws_kms_alias" "state" {
  name          = var.kms_alias
  target_key_id = aws_kms_key.state.key_id
}

# --- S3 bucket ----------------------------------------------------------------------------------------

resource "aws_s3_bucket" "state" {
  #checkov:skip=CKV_AWS_18:Access logging needs a separate log bucket in the Log Archive account (Phase 5); CloudTrail data events cover state access.
  #checkov:skip=CKV_AWS_144:Cross-region replication of state is not required by the plan; versioning and the KMS key protect it.
  #checkov:skip=CKV2_AWS_62:No consumer for state-bucket event notifications.
  bucket = var.bucket_name
  tags   = merge(var.tags, { Name = var.bucket_name })

  lifecycle {
    prevent_destroy = true
  }
}

resource "aws_s3_bucket_ownership_controls" "state" {
  bucket = aws_s3_bucket.state.id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_public_access_block" "state" {
  bucket                  = aws_s3_bucket.state.id
  block_public_acls       = true
  ignore_public_acls      = true
  block_public_policy     = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_versioning" "state" {
  bucket = aws_s3_bucket.state.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "state" {
  bucket = aws_s3_bucket.state.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.state.arn
    }
    bucket_key_enabled = true
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "state" {
  bucket = aws_s3_bucket.state.id
  rule {
    id     = "expire-noncurrent-state-versions"
    status = "Enabled"
    filter {}
    noncurrent_version_expiration {
      noncurrent_days = var.noncurrent_version_days
    }
    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }
  }
  depends_on = [aws_s3_bucket_versioning.state]
}

data "aws_iam_policy_document" "bucket" {
  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [local.bucket_arn, "${local.bucket_arn}/*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }

  # The backend (encrypt = true, kms_key_id) sends aws:kms on every state and .tflock upload.
  statement {
    sid       = "DenyUnencryptedUploads"
    effect    = "Deny"
    actions   = ["s3:PutObject"]
    resources = ["${local.bucket_arn}/*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "StringNotEquals"
      variable = "s3:x-amz-server-side-encryption"
      values   = ["aws:kms"]
    }
  }

  dynamic "statement" {
    for_each = length(local.principal_arns) > 0 ? [1] : []
    content {
      sid       = "CrossAccountListState"
      effect    = "Allow"
      actions   = ["s3:ListBucket", "s3:GetBucketVersioning", "s3:GetBucketLocation"]
      resources = [local.bucket_arn]
      principals {
        type        = "AWS"
        identifiers = local.principal_arns
      }
    }
  }

  dynamic "statement" {
    for_each = length(local.principal_arns) > 0 ? [1] : []
    content {
      sid       = "CrossAccountReadWriteState"
      effect    = "Allow"
      actions   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
      resources = ["${local.bucket_arn}/*"]
      principals {
        type        = "AWS"
        identifiers = local.principal_arns
      }
    }
  }
}

resource "aws_s3_bucket_policy" "state" {
  bucket = aws_s3_bucket.state.id
  policy = data.aws_iam_policy_document.bucket.json
  # A policy is rejected while the public access block is being written.
  depends_on = [aws_s3_bucket_public_access_block.state]
}

# --- DynamoDB lock table (lock_mode dynamodb / both) -------------------------------------------------------

resource "aws_dynamodb_table" "lock" {
  count                       = local.use_dynamodb ? 1 : 0
  name                        = var.lock_table
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = "LockID"
  deletion_protection_enabled = true

  attribute {
    name = "LockID"
    type = "S"
  }

  point_in_time_recovery {
    enabled = true
  }

  server_side_encryption {
    enabled     = true
    kms_key_arn = aws_kms_key.state.arn
  }

  tags = merge(var.tags, { Name = coalesce(var.lock_table, "unused") })

  lifecycle {
    precondition {
      condition     = var.lock_table != null && var.lock_table != ""
      error_message = "lock_table is required when lock_mode is dynamodb or both."
    }
  }
}
