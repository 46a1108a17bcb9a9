data "aws_caller_identity" "current" {}

# The regional Elastic Load Balancing account (static table in the provider, no API call).
data "aws_elb_service_account" "this" {
  count = var.allow_alb_log_delivery ? 1 : 0
}

locals {
  account_id = data.aws_caller_identity.current.account_id
  sse_kms    = var.kms_key_arn != null
}

resource "aws_s3_bucket" "this" {
  #checkov:skip=CKV_AWS_18:Access logging is configured by aws_s3_bucket_logging.this whenever access_logging is given; the log bucket itself is the target and does not log into itself.
  #checkov:skip=CKV_AWS_144:Single-region platform: the buckets hold logs and build artifacts that are versioned and reproducible; cross-region replication is not required.
  #checkov:skip=CKV_AWS_145:SSE-KMS is the default (kms_key_arn); only the log bucket uses SSE-S3 because ALB and S3 access log delivery do not support SSE-KMS.
  #checkov:skip=CKV2_AWS_62:No consumer of object events exists; notifications are added by the caller when one does.
  bucket        = var.name
  force_destroy = var.force_destroy

  tags = merge(var.tags, { Name = var.name })
}

resource "aws_s3_bucket_ownership_controls" "this" {
  bucket = aws_s3_bucket.this.id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_public_access_block" "this" {
  bucket = aws_s3_bucket.this.id

  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_versioning" "this" {
  bucket = aws_s3_bucket.this.id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "this" {
  bucket = aws_s3_bucket.this.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = local.sse_kms ? "aws:kms" : "AES256"
      kms_master_key_id = var.kms_key_arn
    }
    bucket_key_enabled = local.sse_kms
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "this" {
  bucket = aws_s3_bucket.this.id

  rule {
    id     = "housekeeping"
    status = "Enabled"

    filter {}

    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }

    noncurrent_version_expiration {
      noncurrent_days = var.noncurrent_version_expiration_days
    }

    dynamic "transition" {
      for_each = var.transition_to_ia_days == null ? [] : [var.transition_to_ia_days]
      content {
        days          = transition.value
        storage_class = "STANDARD_IA"
      }
    }

    dynamic "expiration" {
      for_each = var.expiration_days == null ? [] : [var.expiration_days]
      content {
        days = expiration.value
      }
    }
  }

  depends_on = [aws_s3_bucket_versioning.this]
}

resource "aws_s3_bucket_logging" "this" {
  # An object (not its possibly unknown attributes) decides the count, so it is known at plan time.
  count = var.access_logging == null ? 0 : 1

  bucket        = aws_s3_bucket.this.id
  target_bucket = var.access_logging.target_bucket
  target_prefix = var.access_logging.target_prefix
}

data "aws_iam_policy_document" "this" {
  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [aws_s3_bucket.this.arn, "${aws_s3_bucket.this.arn}/*"]

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

  dynamic "statement" {
    for_each = var.allow_alb_log_delivery ? [1] : []
    content {
      sid       = "AlbAccessLogDelivery"
      effect    = "Allow"
      actions   = ["s3:PutObject"]
      resources = ["${aws_s3_bucket.this.arn}/${var.alb_log_prefix}/AWSLogs/${local.account_id}/*"]

      # Regions older than August 2022 (ap-northeast-2 among them) deliver as the regional ELB
      # account; newer regions use the log delivery service principal.
      principals {
        type        = "AWS"
        identifiers = [data.aws_elb_service_account.this[0].arn]
      }
    }
  }

  dynamic "statement" {
    for_each = var.allow_alb_log_delivery ? [1] : []
    content {
      sid       = "AlbAccessLogDeliveryService"
      effect    = "Allow"
      actions   = ["s3:PutObject"]
      resources = ["${aws_s3_bucket.this.arn}/${var.alb_log_prefix}/AWSLogs/${local.account_id}/*"]

      principals {
        type        = "Service"
        identifiers = ["logdelivery.elasticloadbalancing.amazonaws.com"]
      }
    }
  }

  dynamic "statement" {
    for_each = var.allow_s3_access_log_delivery ? [1] : []
    content {
      sid       = "S3ServerAccessLogDelivery"
      effect    = "Allow"
      actions   = ["s3:PutObject"]
      resources = ["${aws_s3_bucket.this.arn}/${var.s3_access_log_prefix}/*"]

      principals {
        type        = "Service"
        identifiers = ["logging.s3.amazonaws.com"]
      }

      condition {
        test     = "StringEquals"
        variable = "aws:SourceAccount"
        values   = [local.account_id]
      }
    }
  }
}

resource "aws_s3_bucket_policy" "this" {
  bucket = aws_s3_bucket.this.id
  policy = data.aws_iam_policy_document.this.json

  # The public access block must exist first, or S3 may evaluate the policy as public.
  depends_on = [aws_s3_bucket_public_access_block.this]
}
