# Alarms to an encrypted SNS topic (e-mail, Slack through AWS Chatbot, an optional HTTPS receiver),
# Container Insights log groups and the CloudWatch observability add-on, the log-archive
# subscriptions, and Prometheus: the managed workspace with the collector and Grafana (Helm, through
# the cluster's API like 50-addons).
locals {
  settings = read_terragrunt_config(find_in_parent_folders("settings.hcl")).locals # docs/hcl-conventions.md: why

  # Read here, not in the generate block, so Terragrunt reports it among the files this unit reads
  # (`orch plan --changed-since` selects 50 and 90 when it changes).
  kubernetes_providers = file(mark_as_read("${get_parent_terragrunt_dir()}/../kubernetes_providers.tf"))
}

terraform {
  source = "${local.settings.modules}//monitoring"
}

# The Kubernetes/Helm providers (the collector and Grafana releases), shared with 50-addons.
generate "k8s_providers" {
  path      = "k8s_providers.tf"
  if_exists = "overwrite_terragrunt"
  contents  = local.kubernetes_providers
}

# Order only: the observability add-on runs on nodes (created without them, it stays DEGRADED);
# the collector's volume needs 50-addons' gp3 StorageClass and EBS CSI driver.
dependencies {
  paths = ["${get_terragrunt_dir()}/../40-nodegroups", "${get_terragrunt_dir()}/../50-addons"]
}

dependency "database" {
  config_path  = "${get_terragrunt_dir()}/../60-database"
  skip_outputs = get_env("ORCH_OFFLINE", "") != "" # orch validate: offline, mocks stand in
  mock_outputs = {
    instance_ids    = ["orch-eks-prod-aurora-01", "orch-eks-prod-aurora-02"]
    log_group_names = { audit = "/aws/rds/cluster/orch-eks-prod-aurora/audit", error = "/aws/rds/cluster/orch-eks-prod-aurora/error" }
  }
  mock_outputs_allowed_terraform_commands = ["validate", "plan"]
}

dependency "cache" {
  config_path  = "${get_terragrunt_dir()}/../70-cache"
  skip_outputs = get_env("ORCH_OFFLINE", "") != "" # orch validate: offline, mocks stand in
  mock_outputs = {
    member_clusters = [
      "orch-eks-prod-redis-0001-001", "orch-eks-prod-redis-0001-002",
      "orch-eks-prod-redis-0002-001", "orch-eks-prod-redis-0002-002",
    ]
    log_group_names = { slow-log = "/aws/elasticache/orch-eks-prod-redis/slow-log", engine-log = "/aws/elasticache/orch-eks-prod-redis/engine-log" }
  }
  mock_outputs_allowed_terraform_commands = ["validate", "plan"]
}

dependency "backup" {
  config_path  = "${get_terragrunt_dir()}/../85-backup"
  skip_outputs = get_env("ORCH_OFFLINE", "") != "" # orch validate: offline, mocks stand in
  mock_outputs = {
    vault_name = "orch-eks-prod-backup"
  }
  mock_outputs_allowed_terraform_commands = ["validate", "plan"]
}

inputs = {
  name_prefix                        = dependency.foundation.outputs.name_prefix
  sns_kms_key_arn                    = dependency.foundation.outputs.kms_key_arns["sns"]
  cloudwatch_logs_kms_key_arn        = dependency.foundation.outputs.kms_key_arns["logs"]
  cluster_name                       = dependency.cluster.outputs.cluster_name
  cluster_endpoint                   = dependency.cluster.outputs.cluster_endpoint
  cluster_certificate_authority_data = dependency.cluster.outputs.cluster_certificate_authority_data
  oidc_provider_arn                  = dependency.cluster.outputs.oidc_provider_arn
  oidc_issuer_url                    = dependency.cluster.outputs.oidc_issuer_url
  aurora_instance_ids                = dependency.database.outputs.instance_ids
  redis_member_clusters              = dependency.cache.outputs.member_clusters
  nat_gateway_ids                    = dependency.networking.outputs.nat_gateway_ids
  # env.yaml (orch validates both; the module refuses production without a subscriber for plain Terragrunt too).
  tier                  = try(local.settings.env.tier, "production")
  alarm_email_addresses = try(local.settings.env.alarms.email_addresses, [])
  # Slack through AWS Chatbot; an HTTPS receiver whose URL is a Secrets Manager secret (by name only).
  slack_channel             = try(local.settings.env.alarms.slack, null)
  alarm_webhook_secret_name = try(local.settings.env.alarms.webhook_secret_name, null)
  backup_vault_name         = dependency.backup.outputs.vault_name

  # The platform's log groups to the log-archive account's destination (null: off).
  log_archive_destination_arn = try(local.settings.env.logs.archive_destination_arn, null)
  log_archive_log_group_names = merge(
    {
      eks-control-plane = dependency.cluster.outputs.log_group_name
      vpc-flow-logs     = dependency.networking.outputs.flow_log_group_name
    },
    { for k, v in dependency.database.outputs.log_group_names : "aurora-${k}" => v },
    { for k, v in dependency.cache.outputs.log_group_names : "redis-${k}" => v },
  )
}
