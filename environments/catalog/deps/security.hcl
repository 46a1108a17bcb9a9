# The 20-security dependency (security groups), shared by every unit that reads it:
# a unit includes it (environments/LIVE/<env>/NN-name/terragrunt.hcl).
# Mock outputs are typed like the real outputs (docs/hcl-conventions.md) and serve only
# validate and plan; orch re-plans a unit that used them once the dependency is applied.
dependency "security" {
  config_path  = "${get_terragrunt_dir()}/../20-security"
  skip_outputs = get_env("ORCH_OFFLINE", "") != "" # orch validate: offline, mocks stand in
  mock_outputs = {
    cluster_security_group_id     = "sg-00000000000000001"
    efs_security_group_id         = "sg-0000000000000000c"
    elasticache_security_group_id = "sg-0000000000000000b"
    node_security_group_id        = "sg-00000000000000002"
    rds_security_group_id         = "sg-0000000000000000a"
  }
  mock_outputs_allowed_terraform_commands = ["validate", "plan"]
}
