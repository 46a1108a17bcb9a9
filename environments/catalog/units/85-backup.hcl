# AWS Backup: a locked, KMS-encrypted vault and the daily plan (plan.md: 7 days) over the data
# tier: Aurora and EFS by ARN, EBS volumes that carry the Backup=daily tag. Before 90-monitoring,
# which alarms on the vault's failed jobs.
locals {
  settings = read_terragrunt_config(find_in_parent_folders("settings.hcl")).locals # docs/hcl-conventions.md: why
}

terraform {
  source = "${local.settings.modules}//backup"
}

dependency "database" {
  config_path  = "${get_terragrunt_dir()}/../60-database"
  skip_outputs = get_env("ORCH_OFFLINE", "") != "" # orch validate: offline, mocks stand in
  mock_outputs = {
    cluster_arn = "arn:aws:rds:ap-northeast-2:111111111111:cluster:orch-eks-prod-aurora"
  }
  mock_outputs_allowed_terraform_commands = ["validate", "plan"]
}

dependency "storage" {
  config_path  = "${get_terragrunt_dir()}/../80-storage"
  skip_outputs = get_env("ORCH_OFFLINE", "") != "" # orch validate: offline, mocks stand in
  mock_outputs = {
    efs_arn = "arn:aws:elasticfilesystem:ap-northeast-2:111111111111:file-system/fs-00000000000000000"
  }
  mock_outputs_allowed_terraform_commands = ["validate", "plan"]
}

inputs = {
  name_prefix = dependency.foundation.outputs.name_prefix
  resource_arns = {
    aurora = dependency.database.outputs.cluster_arn
    efs    = dependency.storage.outputs.efs_arn
  }
  # env.yaml `backup:` (orch validates it).
  retention_days      = try(local.settings.env.backup.retention_days, 7)
  copy_region         = try(local.settings.env.backup.copy_region, null)
  copy_retention_days = try(local.settings.env.backup.copy_retention_days, null)
}
