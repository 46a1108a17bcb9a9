# Managed node groups (system / application / spot) in both private subnets, with launch
# templates (IMDSv2 only, KMS-encrypted gp3) and the node IAM role. They come after
# 30-eks-cluster, which creates the networking add-ons (vpc-cni, kube-proxy) nodes need.
locals {
  settings = read_terragrunt_config(find_in_parent_folders("settings.hcl")).locals # docs/hcl-conventions.md: why
}

terraform {
  source = "${local.settings.modules}//eks-nodegroup"
}

inputs = {
  cluster_name            = dependency.cluster.outputs.cluster_name
  kubernetes_version      = dependency.cluster.outputs.cluster_version
  network_addons          = dependency.cluster.outputs.network_addons
  subnet_ids              = dependency.networking.outputs.private_subnet_ids
  node_security_group_ids = [dependency.security.outputs.node_security_group_id]
  ebs_kms_key_arn         = dependency.foundation.outputs.kms_key_arns["ebs"]

  # The groups (instance types, sizes, labels, taints) are the environment's: env.yaml `node_groups:`.
  node_groups = local.settings.env.node_groups
}
