# Managed node groups with one launch template each (IMDSv2 only, encrypted gp3 root
# volume, detailed monitoring, node security group) and a shared node IAM role.
data "aws_partition" "current" {}

locals {
  partition = data.aws_partition.current.partition

  # Cluster Autoscaler auto-discovery (EKS copies node group tags it knows to the ASG;
  # the autoscaler also reads labels/taints through eks:DescribeNodegroup for scale-from-zero).
  autoscaler_tags = {
    "k8s.io/cluster-autoscaler/enabled"             = "true"
    "k8s.io/cluster-autoscaler/${var.cluster_name}" = "owned"
  }

  node_groups = {
    for k, g in var.node_groups : k => merge(g, {
      name         = "${var.cluster_name}-${k}"
      desired_size = coalesce(g.desired_size, g.min_size)
    })
  }
}

# ---------------------------------------------------------------------------------------
# Node IAM role. The CNI policy is not here: it belongs to the vpc-cni add-on's IRSA role.
# ---------------------------------------------------------------------------------------
module "node_role" {
  source = "../iam-role"

  name             = "${var.cluster_name}-node"
  description      = "EKS managed nodes of ${var.cluster_name}"
  trusted_services = ["ec2.amazonaws.com"]
  managed_policy_arns = {
    worker = "arn:${local.partition}:iam::aws:policy/AmazonEKSWorkerNodePolicy"
    ecr    = "arn:${local.partition}:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly"
    ssm    = "arn:${local.partition}:iam::aws:policy/AmazonSSMManagedInstanceCore"
  }
  tags = var.tags
}

# ---------------------------------------------------------------------------------------
# Launch templates (no AMI: EKS picks the AMI of ami_type and merges its bootstrap)
# ---------------------------------------------------------------------------------------
resource "aws_launch_template" "this" {
  for_each = local.node_groups

  name                   = each.value.name
  description            = "EKS managed node group ${each.value.name}"
  update_default_version = true
  vpc_security_group_ids = var.node_security_group_ids

  block_device_mappings {
    device_name = "/dev/xvda"
    ebs {
      volume_type           = "gp3"
      volume_size           = each.value.disk_size
      iops                  = 3000
      throughput            = 125
      encrypted             = true
      kms_key_id            = var.ebs_kms_key_arn
      delete_on_termination = true
    }
  }

  # IMDSv2 only. Hop limit 1: a pod's network namespace is one hop away, so pods cannot
  # read the node role's credentials; they use IRSA. Host-network pods (aws-node,
  # kube-proxy, CSI node plugins) are unaffected.
  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = "required"
    http_put_response_hop_limit = var.metadata_hop_limit
    instance_metadata_tags      = "disabled"
  }

  monitoring {
    enabled = true
  }

  dynamic "tag_specifications" {
    for_each = toset(["instance", "volume", "network-interface"])
    content {
      resource_type = tag_specifications.value
      tags          = merge(var.tags, { Name = each.value.name })
    }
  }

  tags = merge(var.tags, { Name = each.value.name })

  lifecycle {
    # The instance/volume/ENI tags are set when the template is created. They are not
    # diffed afterwards because moto copies the template's own tags into the template data
    # as a "launch-template" tag specification (a spec AWS never returns), which would
    # show a change on every plan. After changing var.tags, roll the new tags out with
    # `-replace` on the template.
    ignore_changes = [tag_specifications]
  }
}

# ---------------------------------------------------------------------------------------
# Managed node groups
# ---------------------------------------------------------------------------------------
resource "aws_eks_node_group" "this" {
  for_each = local.node_groups

  cluster_name    = var.cluster_name
  node_group_name = each.value.name
  node_role_arn   = module.node_role.arn
  subnet_ids      = var.subnet_ids
  version         = var.kubernetes_version

  ami_type       = each.value.ami_type
  capacity_type  = each.value.capacity_type
  instance_types = each.value.instance_types

  launch_template {
    id      = aws_launch_template.this[each.key].id
    version = tostring(aws_launch_template.this[each.key].latest_version)
  }

  scaling_config {
    min_size     = each.value.min_size
    max_size     = each.value.max_size
    desired_size = each.value.desired_size
  }

  update_config {
    max_unavailable_percentage = each.value.max_unavailable_percentage
  }

  labels = each.value.labels

  dynamic "taint" {
    for_each = each.value.taints
    content {
      key    = taint.value.key
      value  = taint.value.value
      effect = taint.value.effect
    }
  }

  tags = merge(var.tags, local.autoscaler_tags, { Name = each.value.name })

  lifecycle {
    # The Cluster Autoscaler owns the desired size. remote_access cannot be used with a
    # launch template (EKS refuses it), so nothing here ever sets it.
    ignore_changes = [scaling_config[0].desired_size, remote_access]
  }

  # The role's policies must be attached before nodes try to join, and stay until they are gone.
  # (var.network_addons, validated, is the other half: no node group without vpc-cni/kube-proxy.)
  depends_on = [module.node_role]
}
