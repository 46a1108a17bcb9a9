provider "aws" {
  region = "ap-northeast-2"
}

module "state_backend" {
  source = "../.."

  bucket_name = "orch-tfstate-example-111111111111"
  kms_alias   = "alias/orch-tfstate-example"
  lock_mode   = "both"
  lock_table  = "orch-tflock-example"
  tags = {
    Project     = "orch-eks"
    Environment = "example"
    Owner       = "platform-team"
    CostCenter  = "platform"
    ManagedBy   = "terraform"
  }
}
