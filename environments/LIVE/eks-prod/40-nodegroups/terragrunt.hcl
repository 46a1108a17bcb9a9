# Managed node groups (system / application / spot) in both private subnets, with launch
# templates (IMDSv2 only, KMS-encrypted gp3) and the node IAM role. They come after
# 30-eks-cluster, which creates the networking add-ons (vpc-cni, kube-proxy) nodes need.
include "root" {
  path   = find_in_parent_folders("root.hcl")
  expose = true
}

terraform {
  source = "${include.root.locals.modules}//eks-nodegroup"
}

include "foundation" {
  path = "${get_terragrunt_dir()}/../_deps/foundation.hcl"
}

include "networking" {
  path = "${get_terragrunt_dir()}/../_deps/networking.hcl"
}

include "security" {
  path = "${get_terragrunt_dir()}/../_deps/security.hcl"
}

include "cluster" {
  path = "${get_terragrunt_dir()}/../_deps/cluster.hcl"
}

inputs = {
  cluster_name            = dependency.cluster.outputs.cluster_name
  kubernetes_version      = dependency.cluster.outputs.cluster_version
  network_addons          = dependency.cluster.outputs.network_addons
  subnet_ids              = dependency.networking.outputs.private_subnet_ids
  node_security_group_ids = [dependency.security.outputs.node_security_group_id]
  ebs_kms_key_arn         = dependency.foundation.outputs.kms_key_arns["ebs"]

  node_groups = {
    # Cluster-critical add-ons only (CoreDNS, controllers tolerate the taint).
    system = {
      instance_types = ["m6i.large"]
      min_size       = 2
      max_size       = 4
      labels         = { role = "system" }
      taints         = [{ key = "CriticalAddonsOnly", value = "true", effect = "NO_SCHEDULE" }]
    }
    application = {
      instance_types = ["m6i.xlarge"]
      min_size       = 2
      max_size       = 10
      labels         = { role = "application" }
    }
    # Interruptible capacity; several similar types keep Spot capacity available.
    spot = {
      instance_types = ["m6i.xlarge", "m5.xlarge", "m5a.xlarge", "m6a.xlarge"]
      capacity_type  = "SPOT"
      min_size       = 0
      max_size       = 20
      labels         = { role = "spot", "node.kubernetes.io/lifecycle" = "spot" }
    }
  }
}
