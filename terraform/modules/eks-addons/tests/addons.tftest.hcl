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
  ebs_kms_key_arn    = "arn:aws:kms:ap-northeast-2:111111111111:key/00000000-0000-0000-0000-000000000003"
}

run "production" {
  command = plan

  assert {
    condition     = keys(aws_eks_addon.this) == ["aws-ebs-csi-driver", "aws-efs-csi-driver", "coredns"] && contains(keys(helm_release.controller), "cert-manager")
    error_message = "The add-ons that need nodes and the releases must be planned; vpc-cni and kube-proxy belong to eks-cluster (before compute)."
  }
}

run "emulator" {
  command = plan

  variables {
    enable_kubernetes_resources = false
  }

  assert {
    condition     = length(aws_eks_addon.this) == 3 && length(helm_release.controller) == 0
    error_message = "Without a Kubernetes API the releases go; the managed add-ons (an AWS API) stay."
  }
  assert {
    condition     = length(module.irsa) == 7 && contains(keys(module.irsa), "external-secrets")
    error_message = "IRSA roles (the External Secrets Operator's too) are plain IAM and must exist in every mode."
  }
  assert {
    condition = (
      length(kubernetes_namespace_v1.this) == 0 && length(kubernetes_network_policy_v1.default_deny) == 0 &&
      length(helm_release.platform_secrets) == 0 &&
      length(kubernetes_cluster_role_v1.platform_resources_view) == 0
    )
    error_message = "Namespaces, network policies, RBAC and the operator are Kubernetes-side: none without a Kubernetes API."
  }
}

# Issue 12, item 9: Cluster Autoscaler 1.N.x supports only Kubernetes 1.N, but the chart's default
# image follows the chart version. The image tag is derived from the cluster's kubernetes_version,
# with an override for a later patch release of the same line. Plan-only with mock providers.
run "image_follows_the_cluster_minor" {
  command = plan

  assert {
    condition     = try(yamldecode(helm_release.controller["cluster-autoscaler"].values[0]).image.tag, null) == "v1.35.0"
    error_message = "A 1.35 cluster must run Cluster Autoscaler v1.35.x (derived: v1.35.0), not the chart's default image."
  }
}

run "image_follows_an_upgrade" {
  command = plan

  variables {
    kubernetes_version = "1.34"
  }

  assert {
    condition     = try(yamldecode(helm_release.controller["cluster-autoscaler"].values[0]).image.tag, null) == "v1.34.0"
    error_message = "The image tag must follow kubernetes_version."
  }
}

run "patch_override" {
  command = plan

  variables {
    cluster_autoscaler_image_tag = "v1.35.2"
  }

  assert {
    condition     = try(yamldecode(helm_release.controller["cluster-autoscaler"].values[0]).image.tag, null) == "v1.35.2"
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

# Issue 12, item 10: the CSI drivers get StorageClasses; gp3 (encrypted with the platform key) is
# the only default; EFS volumes land on 80-storage's file system.
run "storage_classes" {
  command = plan

  variables {
    efs_file_system_id = "fs-0123456789abcdef0"
  }

  assert {
    condition     = kubernetes_storage_class_v1.gp3[0].parameters.encrypted == "true" && kubernetes_storage_class_v1.gp3[0].parameters.kmsKeyId == var.ebs_kms_key_arn && kubernetes_storage_class_v1.gp3[0].parameters.type == "gp3"
    error_message = "gp3 must be encrypted with the platform's EBS key."
  }
  assert {
    condition     = kubernetes_storage_class_v1.gp3[0].metadata[0].annotations["storageclass.kubernetes.io/is-default-class"] == "true" && kubernetes_annotations.gp2_not_default[0].annotations["storageclass.kubernetes.io/is-default-class"] == "false"
    error_message = "gp3 must be the only default class."
  }
  assert {
    condition     = kubernetes_storage_class_v1.efs[0].parameters.fileSystemId == "fs-0123456789abcdef0" && kubernetes_storage_class_v1.efs[0].storage_provisioner == "efs.csi.aws.com"
    error_message = "The EFS class must provision on 80-storage's file system."
  }
}

# Issue 12, item 13: External DNS and the ClusterIssuer come from env.yaml's zones, limited to them.
run "dns_from_the_hosted_zones" {
  command = plan

  variables {
    route53_zone_arns           = ["arn:aws:route53:::hostedzone/Z0123456789ABC"]
    external_dns_domain_filters = ["platform.example.com"]
    cluster_issuer              = { email = "platform-oncall@example.com" }
  }

  assert {
    condition     = yamldecode(helm_release.controller["external-dns"].values[0]).extraArgs == ["--zone-id-filter=Z0123456789ABC"]
    error_message = "External DNS must be limited to the configured hosted zones."
  }
  assert {
    condition = yamldecode(helm_release.cluster_issuer[0].values[0]) == {
      name         = "letsencrypt"
      server       = "https://acme-v02.api.letsencrypt.org/directory"
      email        = "platform-oncall@example.com"
      region       = "ap-northeast-2"
      hostedZoneID = "Z0123456789ABC"
      dnsZones     = ["platform.example.com"]
    }
    error_message = "The ClusterIssuer must solve DNS-01 in the configured zone for its domains."
  }
}

run "no_zone_no_external_dns" {
  command = plan

  assert {
    condition     = !contains(keys(helm_release.controller), "external-dns") && length(helm_release.cluster_issuer) == 0 && contains(keys(helm_release.controller), "cert-manager")
    error_message = "Without a hosted zone External DNS and the issuer must not be installed."
  }
}

run "zones_need_an_acme_contact" {
  command = plan

  variables {
    route53_zone_arns           = ["arn:aws:route53:::hostedzone/Z0123456789ABC"]
    external_dns_domain_filters = ["platform.example.com"]
  }

  expect_failures = [var.cluster_issuer]
}
