# The 00-foundation dependency (names and KMS keys), shared by every unit that reads it:
# a unit includes it (environments/LIVE/<env>/NN-name/terragrunt.hcl).
# Mock outputs are typed like the real outputs (docs/hcl-conventions.md) and serve only
# validate and plan; orch re-plans a unit that used them once the dependency is applied.
dependency "foundation" {
  config_path  = "${get_terragrunt_dir()}/../00-foundation"
  skip_outputs = get_env("ORCH_OFFLINE", "") != "" # orch validate: offline, mocks stand in
  mock_outputs = {
    cluster_name = "orch-eks-prod"
    kms_key_arns = {
      for k in ["eks", "logs", "ebs", "rds", "elasticache", "sns", "efs", "s3"] :
      k => "arn:aws:kms:ap-northeast-2:111111111111:key/00000000-0000-0000-0000-000000000000"
    }
    kms_key_ids = {
      for k in ["eks", "logs", "ebs", "rds", "elasticache", "sns", "efs", "s3"] :
      k => "00000000-0000-0000-0000-000000000000"
    }
    name_prefix = "orch-eks-prod"
  }
  mock_outputs_allowed_terraform_commands = ["validate", "plan"]
}
