# Cost monitoring: the monthly budget and Cost Anomaly Detection, both alerting 90-monitoring's
# alarm topic, and the cost allocation tags (where this account may activate them).
locals {
  settings = read_terragrunt_config(find_in_parent_folders("settings.hcl")).locals # docs/hcl-conventions.md: why
}

terraform {
  source = "${local.settings.modules}//cost"
}

dependency "monitoring" {
  config_path  = "${get_terragrunt_dir()}/../90-monitoring"
  skip_outputs = get_env("ORCH_OFFLINE", "") != "" # orch validate: offline, mocks stand in
  mock_outputs = {
    alarm_topic_arn = "arn:aws:sns:ap-northeast-2:111111111111:orch-eks-prod-alarms"
  }
  mock_outputs_allowed_terraform_commands = ["validate", "plan"]
}

inputs = {
  name_prefix     = dependency.foundation.outputs.name_prefix
  alarm_topic_arn = dependency.monitoring.outputs.alarm_topic_arn
  # env.yaml `cost:` (orch validates it).
  monthly_budget_usd            = try(local.settings.env.cost.monthly_budget_usd, null) # required: env.yaml cost.monthly_budget_usd
  anomaly_threshold_usd         = try(local.settings.env.cost.anomaly_threshold_usd, 100)
  activate_cost_allocation_tags = try(local.settings.env.cost.activate_cost_allocation_tags, true)
}
