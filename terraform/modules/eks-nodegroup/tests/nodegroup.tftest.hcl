mock_provider "aws" {
  mock_data "aws_iam_policy_document" {
    defaults = { json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}" }
  }
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::111111111111:role/mock" }
  }
  mock_resource "aws_launch_template" {
    defaults = { id = "lt-0123456789abcdef0", latest_version = 1 }
  }
}

variables {
  cluster_name            = "test"
  subnet_ids              = ["subnet-0000000000000000a", "subnet-0000000000000000c"]
  node_security_group_ids = ["sg-00000000000000002"]
  ebs_kms_key_arn         = "arn:aws:kms:ap-northeast-2:111111111111:key/00000000-0000-0000-0000-000000000003"
  network_addons          = { vpc-cni = "v1.21.1-eksbuild.1", kube-proxy = "v1.35.0-eksbuild.2" }
  node_groups = {
    system = {
      instance_types = ["m6i.large"]
      min_size       = 2
      max_size       = 4
      labels         = { role = "system" }
      taints         = [{ key = "CriticalAddonsOnly", value = "true", effect = "NO_SCHEDULE" }]
    }
    spot = {
      instance_types = ["m6i.xlarge", "m5.xlarge"]
      capacity_type  = "SPOT"
      min_size       = 0
      max_size       = 20
    }
  }
}

run "launch_templates_are_hardened" {
  command = plan

  assert {
    condition = alltrue([for lt in aws_launch_template.this :
      lt.metadata_options[0].http_tokens == "required" && lt.metadata_options[0].http_put_response_hop_limit == 1
    ])
    error_message = "IMDSv2 must be required with hop limit 1."
  }
  assert {
    condition = alltrue([for lt in aws_launch_template.this :
      lt.block_device_mappings[0].ebs[0].encrypted == "true" && lt.block_device_mappings[0].ebs[0].volume_type == "gp3" &&
      lt.block_device_mappings[0].ebs[0].kms_key_id == var.ebs_kms_key_arn && lt.monitoring[0].enabled
    ])
    error_message = "Root volumes must be encrypted gp3 with the EBS key and monitoring on."
  }
  assert {
    condition = (aws_eks_node_group.this["spot"].scaling_config[0].desired_size == 0 &&
    aws_eks_node_group.this["system"].scaling_config[0].desired_size == 2)
    error_message = "desired_size must default to min_size."
  }
  assert {
    condition     = aws_eks_node_group.this["spot"].tags["k8s.io/cluster-autoscaler/test"] == "owned"
    error_message = "Cluster Autoscaler discovery tags are missing."
  }
  assert {
    condition     = aws_eks_node_group.this["system"].update_config[0].max_unavailable_percentage == 33
    error_message = "update_config must use max_unavailable_percentage."
  }
}

run "bad_capacity_type_is_refused" {
  command = plan

  variables {
    node_groups = {
      bad = { instance_types = ["m6i.large"], capacity_type = "CHEAP", min_size = 1, max_size = 2 }
    }
  }

  expect_failures = [var.node_groups]
}

run "min_above_max_is_refused" {
  command = plan

  variables {
    node_groups = {
      bad = { instance_types = ["m6i.large"], min_size = 3, max_size = 2 }
    }
  }

  expect_failures = [var.node_groups]
}

# Issue 12, item 1: nodes started before the VPC CNI never become Ready (NodeCreationFailure).
run "node_groups_need_the_networking_addons" {
  command = plan

  variables {
    network_addons = { kube-proxy = "v1.35.0-eksbuild.2" }
  }

  expect_failures = [var.network_addons]
}
