# The 30-eks-cluster dependency, shared by every unit that reads it (40-nodegroups, 50-addons,
# 90-monitoring): a unit includes it (environments/LIVE/<env>/NN-name/terragrunt.hcl).
# One mock set, typed like the real outputs (docs/hcl-conventions.md), for validate and plan only;
# orch re-plans a unit that used them once the cluster is applied.
dependency "cluster" {
  config_path  = "${get_terragrunt_dir()}/../30-eks-cluster"
  skip_outputs = get_env("ORCH_OFFLINE", "") != "" # orch validate: offline, mocks stand in
  mock_outputs = {
    cluster_name                       = "orch-eks-prod"
    cluster_version                    = "1.35"
    cluster_endpoint                   = "https://0000000000000000000000000000000A.gr7.ap-northeast-2.eks.amazonaws.com"
    cluster_certificate_authority_data = "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1PQ0sKLS0tLS1FTkQgQ0VSVElGSUNBVEUtLS0tLQo="
    oidc_provider_arn                  = "arn:aws:iam::111111111111:oidc-provider/oidc.eks.ap-northeast-2.amazonaws.com/id/0000000000000000000000000000000A"
    oidc_issuer_url                    = "https://oidc.eks.ap-northeast-2.amazonaws.com/id/0000000000000000000000000000000A"
    log_group_name                     = "/aws/eks/orch-eks-prod/cluster"
    network_addons                     = { vpc-cni = "v1.21.1-eksbuild.1", kube-proxy = "v1.35.0-eksbuild.2" }
    kubernetes_groups                  = { developers = "orch:developers", auditors = "orch:auditors" }
  }
  mock_outputs_allowed_terraform_commands = ["validate", "plan"]
}
