# 00-foundation: the environment's names and its KMS keys (one per purpose). Validation
# of every input lives in the naming and kms modules.
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
