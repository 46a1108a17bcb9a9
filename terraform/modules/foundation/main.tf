# 00-foundation: the environment's names, its KMS keys (one per purpose) and the account's
# EBS encryption defaults. Validation of most inputs lives in the naming and kms modules.
module "naming" {
  source = "../naming"

  project     = var.project
  environment = var.environment
  azs         = var.azs
  tags        = var.tags
}

module "kms" {
  source = "../kms"

  environment             = var.environment
  name_prefix             = module.naming.name_prefix
  region                  = var.region
  purposes                = module.naming.kms_purposes
  deletion_window_in_days = var.kms_deletion_window_in_days
  rotation_period_in_days = var.kms_rotation_period_in_days
  tags                    = var.tags

  create_autoscaling_service_linked_role = var.create_autoscaling_service_linked_role
}

# Every new EBS volume in this account and region is encrypted, also those created outside this
# platform's modules (a launch template or StorageClass that forgets `encrypted`, a volume created
# by hand or restored from an unencrypted snapshot), and with the platform's ebs key rather than
# the AWS managed aws/ebs key, whose policy cannot be restricted. Both settings are per region
# and account-wide, which is why they live in the first layer, next to the key.
resource "aws_ebs_encryption_by_default" "this" {
  enabled = true
}

resource "aws_ebs_default_kms_key" "this" {
  count = var.set_ebs_default_kms_key ? 1 : 0

  key_arn = module.kms.key_arns["ebs"]

  # The default key is used only when encryption by default is on; set them in this order.
  depends_on = [aws_ebs_encryption_by_default.this]
}
