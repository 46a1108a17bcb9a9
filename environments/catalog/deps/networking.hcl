# The 10-networking dependency (VPC, subnets and NAT gateways), shared by every unit that reads it:
# a unit includes it (environments/LIVE/<env>/NN-name/terragrunt.hcl).
# Mock outputs are typed like the real outputs (docs/hcl-conventions.md) and serve only
# validate and plan; orch re-plans a unit that used them once the dependency is applied.
dependency "networking" {
  config_path  = "${get_terragrunt_dir()}/../10-networking"
  skip_outputs = get_env("ORCH_OFFLINE", "") != "" # orch validate: offline, mocks stand in
  mock_outputs = {
    database_subnet_group_name = "orch-eks-prod-database"
    database_subnet_ids        = ["subnet-0000000000000000a", "subnet-0000000000000000c"]
    flow_log_group_name        = "/aws/vpc/orch-eks-prod/flow-logs"
    nat_gateway_ids            = ["nat-0000000000000000a", "nat-0000000000000000c"]
    pod_subnet_ids_by_az = {
      "ap-northeast-2a" = "subnet-0000000000000001a"
      "ap-northeast-2c" = "subnet-0000000000000001c"
    }
    private_subnet_ids = ["subnet-0000000000000000a", "subnet-0000000000000000c"]
    subnet_cidrs = {
      public   = ["10.0.0.0/24", "10.0.1.0/24"]
      private  = ["10.0.10.0/24", "10.0.11.0/24"]
      database = ["10.0.20.0/24", "10.0.21.0/24"]
      pod      = ["10.0.100.0/22", "10.0.104.0/22"]
    }
    vpc_cidr_block = "10.0.0.0/16"
    vpc_id         = "vpc-00000000000000000"
  }
  mock_outputs_allowed_terraform_commands = ["validate", "plan"]
}
