# Cost monitoring: the monthly budget and Cost Anomaly Detection, both alerting 90-monitoring's
# alarm topic, and the cost allocation tags (where this account may activate them).
include "root" {
  path   = find_in_parent_folders("root.hcl")
  expose = true
}

terraform {
  source = "${include.root.locals.modules}//cost"
}

include "foundation" {
  path = "${get_terragrunt_dir()}/../_deps/foundation.hcl"
}

dependency "monitoring" {
  config_path  = "../90-monitoring"
  skip_outputs = include.root.locals.offline
  mock_outputs = {
    alarm_topic_arn = "arn:aws:sns:ap-northeast-2:111111111111:orch-eks-prod-alarms"
  }
  mock_outputs_allowed_terraform_commands = ["validate", "plan"]
}

inputs = {
  name_prefix     = dependency.foundation.outputs.name_prefix
  alarm_topic_arn = dependency.monitoring.outputs.alarm_topic_arn
  # env.yaml `cost:` (orch validates it).
  monthly_budget_usd            = try(include.root.locals.env.cost.monthly_budget_usd, null) # required: env.yaml cost.monthly_budget_usd
  anomaly_threshold_usd         = try(include.root.locals.env.cost.anomaly_threshold_usd, 100)
  activate_cost_allocation_tags = try(include.root.locals.env.cost.activate_cost_allocation_tags, true)
}
