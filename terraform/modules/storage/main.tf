# Storage of the platform: the EFS file system behind the EFS CSI driver and the S3 buckets.
data "aws_caller_identity" "current" {}

data "aws_region" "current" {}

locals {
  # Bucket names are global: account and region make them unique and predictable.
  bucket_suffix = "${data.aws_caller_identity.current.account_id}-${data.aws_region.current.region}"
}

module "efs" {
  source = "../efs"

  name               = "${var.name_prefix}-efs"
  azs                = var.azs
  subnet_ids         = var.private_subnet_ids
  security_group_ids = var.efs_security_group_ids
  kms_key_arn        = var.efs_kms_key_arn
  enable_backups     = var.enable_efs_backups
  tags               = var.tags
}

# ALB access logs and S3 server access logs: both delivery services write SSE-S3 objects only,
# so this one bucket uses SSE-S3 (AES256); everything else uses the S3 KMS key.
module "logs" {
  source = "../s3-bucket"

  name                         = "${var.name_prefix}-logs-${local.bucket_suffix}"
  kms_key_arn                  = null
  allow_alb_log_delivery       = true
  allow_s3_access_log_delivery = true
  expiration_days              = var.log_expiration_days
  force_destroy                = var.force_destroy_buckets
  tags                         = var.tags
}

# The log bucket was optional (count) before the emulator could read bucket tags back.
moved {
  from = module.logs[0]
  to   = module.logs
}

module "bucket" {
  source   = "../s3-bucket"
  for_each = var.buckets

  name                               = "${var.name_prefix}-${each.key}-${local.bucket_suffix}"
  kms_key_arn                        = var.s3_kms_key_arn
  expiration_days                    = each.value.expiration_days
  transition_to_ia_days              = each.value.transition_to_ia_days
  noncurrent_version_expiration_days = each.value.noncurrent_version_expiration_days
  # id_with_policy: logging is switched on only once the log bucket lets the logging service write.
  access_logging = var.enable_s3_access_logging ? { target_bucket = module.logs.id_with_policy, target_prefix = "s3-access/${each.key}/" } : null
  force_destroy  = var.force_destroy_buckets
  tags           = var.tags
}
