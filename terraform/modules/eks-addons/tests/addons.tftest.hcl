mock_provider "aws" {
  mock_data "aws_iam_policy_document" {
    defaults = { json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}" }
  }
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
  mock_data "aws_caller_identity" {
    defaults = { account_id = "111111111111" }
  }
  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::111111111111:role/mock" }
  }
}
mock_provider "helm" {}
mock_provider "kubernetes" {}

variables {
  cluster_name       = "test"
  kubernetes_version = "1.35"
  oidc_provider_arn  = "arn:aws:iam::111111111111:oidc-provider/oidc.eks.ap-northeast-2.amazonaws.com/id/ABC"
  region             = "ap-northeast-2"
  vpc_id             = "vpc-00000000000000000"
  pod_subnet_ids_by_az = {
    "ap-northeast-2a" = "subnet-0000000000000001a"
    "ap-northeast-2c" = "subnet-0000000000000001c"
  }
  pod_security_group_ids = ["sg-00000000000000002"]
  ebs_kms_key_arn        = "arn:aws:kms:ap-northeast-2:111111111111:key/00000000-0000-0000-0000-000000000003"
}

run "production" {
  command = plan

  assert {
    condition     = length(aws_eks_addon.this) == 5 && length(helm_release.cert_manager) == 1 && length(kubernetes_manifest.eniconfig) == 2
    error_message = "All add-ons, releases and ENIConfigs must be planned."
  }
  assert {
    condition = jsondecode(aws_eks_addon.this["vpc-cni"].configuration_values) == {
      env = {
        AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG = "true"
        ENI_CONFIG_LABEL_DEF               = "topology.kubernetes.io/zone"
      }
      enableNetworkPolicy = "true"
    }
    error_message = "vpc-cni must enable custom networking and network policy."
  }
  assert {
    condition     = kubernetes_manifest.eniconfig["ap-northeast-2c"].manifest.spec.subnet == "subnet-0000000000000001c"
    error_message = "ENIConfig must be named after its AZ and use that AZ's pod subnet."
  }
}

run "emulator" {
  command = plan

  variables {
    enable_managed_addons       = false
    enable_kubernetes_resources = false
  }

  assert {
    condition     = length(aws_eks_addon.this) == 0 && length(helm_release.aws_load_balancer_controller) == 0 && length(kubernetes_manifest.eniconfig) == 0
    error_message = "Switches must remove add-ons, ENIConfigs and releases."
  }
  assert {
    condition     = length(module.irsa) == 7
    error_message = "IRSA roles are plain IAM and must exist in every mode."
  }
}

# Issue 12, item 9: Cluster Autoscaler 1.N.x supports only Kubernetes 1.N, but the chart's default
# image follows the chart version. The image tag is derived from the cluster's kubernetes_version,
# with an override for a later patch release of the same line. Plan-only with mock providers.
run "image_follows_the_cluster_minor" {
  command = plan

  assert {
    condition     = try(yamldecode(helm_release.cluster_autoscaler[0].values[0]).image.tag, null) == "v1.35.0"
    error_message = "A 1.35 cluster must run Cluster Autoscaler v1.35.x (derived: v1.35.0), not the chart's default image."
  }
}

run "image_follows_an_upgrade" {
  command = plan

  variables {
    kubernetes_version = "1.34"
  }

  assert {
    condition     = try(yamldecode(helm_release.cluster_autoscaler[0].values[0]).image.tag, null) == "v1.34.0"
    error_message = "The image tag must follow kubernetes_version."
  }
}

run "patch_override" {
  command = plan

  variables {
    cluster_autoscaler_image_tag = "v1.35.2"
  }

  assert {
    condition     = try(yamldecode(helm_release.cluster_autoscaler[0].values[0]).image.tag, null) == "v1.35.2"
    error_message = "cluster_autoscaler_image_tag overrides the derived tag."
  }
}

run "override_on_another_minor_is_refused" {
  command = plan

  variables {
    cluster_autoscaler_image_tag = "v1.33.1"
  }

  expect_failures = [var.cluster_autoscaler_image_tag]
}
