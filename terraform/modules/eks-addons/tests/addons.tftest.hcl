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
