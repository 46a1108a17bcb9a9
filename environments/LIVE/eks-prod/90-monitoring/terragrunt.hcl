# Alarms to an encrypted SNS topic, Container Insights log groups and the CloudWatch
# observability add-on.
include "root" {
  path   = find_in_parent_folders("root.hcl")
  expose = true
}

terraform {
  source = "${include.root.locals.modules}//monitoring"
}

include "foundation" {
  path = "${get_terragrunt_dir()}/../_deps/foundation.hcl"
}

include "networking" {
  path = "${get_terragrunt_dir()}/../_deps/networking.hcl"
}

# Order only: the observability add-on runs on nodes (created without them, it stays DEGRADED).
dependencies {
  paths = ["../40-nodegroups"]
}

dependency "eks" {
  config_path  = "../30-eks-cluster"
  skip_outputs = include.root.locals.offline
  mock_outputs = {
    cluster_name      = "orch-eks-prod"
    oidc_provider_arn = "arn:aws:iam::111111111111:oidc-provider/oidc.eks.ap-northeast-2.amazonaws.com/id/00000000000000000000000000000000"
    oidc_issuer_url   = "https://oidc.eks.ap-northeast-2.amazonaws.com/id/00000000000000000000000000000000"
  }
  mock_outputs_allowed_terraform_commands = ["validate", "plan"]
}

dependency "database" {
  config_path  = "../60-database"
  skip_outputs = include.root.locals.offline
  mock_outputs = {
    instance_ids = ["orch-eks-prod-aurora-01", "orch-eks-prod-aurora-02"]
  }
  mock_outputs_allowed_terraform_commands = ["validate", "plan"]
}

dependency "cache" {
  config_path  = "../70-cache"
  skip_outputs = include.root.locals.offline
  mock_outputs = {
    member_clusters = [
      "orch-eks-prod-redis-0001-001", "orch-eks-prod-redis-0001-002",
      "orch-eks-prod-redis-0002-001", "orch-eks-prod-redis-0002-002",
    ]
  }
  mock_outputs_allowed_terraform_commands = ["validate", "plan"]
}

inputs = {
  name_prefix                 = dependency.foundation.outputs.name_prefix
  sns_kms_key_arn             = dependency.foundation.outputs.kms_key_arns["sns"]
  cloudwatch_logs_kms_key_arn = dependency.foundation.outputs.kms_key_arns["logs"]
  cluster_name                = dependency.eks.outputs.cluster_name
  oidc_provider_arn           = dependency.eks.outputs.oidc_provider_arn
  oidc_issuer_url             = dependency.eks.outputs.oidc_issuer_url
  aurora_instance_ids         = dependency.database.outputs.instance_ids
  redis_member_clusters       = dependency.cache.outputs.member_clusters
  nat_gateway_ids             = dependency.networking.outputs.nat_gateway_ids
  # env.yaml (orch validates both; the module refuses production without a subscriber for plain Terragrunt too).
  tier                  = try(include.root.locals.env.tier, "production")
  alarm_email_addresses = try(include.root.locals.env.alarms.email_addresses, [])
}
