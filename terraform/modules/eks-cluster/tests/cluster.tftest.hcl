# Plan-only checks with a mocked AWS provider: no credentials, no calls.
mock_provider "aws" {
  mock_data "aws_iam_policy_document" {
    defaults = { json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}" }
  }
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
  mock_data "aws_region" {
    defaults = { region = "ap-northeast-2" }
  }
  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::111111111111:role/mock" }
  }
  mock_resource "aws_iam_openid_connect_provider" {
    defaults = { arn = "arn:aws:iam::111111111111:oidc-provider/oidc.eks.ap-northeast-2.amazonaws.com/id/MOCK" }
  }
  mock_resource "aws_eks_cluster" {
    defaults = {
      certificate_authority = [{ data = "bW9jaw==" }]
      identity              = [{ oidc = [{ issuer = "https://oidc.eks.ap-northeast-2.amazonaws.com/id/MOCK" }] }]
    }
  }
}

variables {
  cluster_name              = "test"
  subnet_ids                = ["subnet-0000000000000000a", "subnet-0000000000000000c"]
  cluster_security_group_id = "sg-00000000000000001"
  secrets_kms_key_arn       = "arn:aws:kms:ap-northeast-2:111111111111:key/00000000-0000-0000-0000-000000000001"
  logs_kms_key_arn          = "arn:aws:kms:ap-northeast-2:111111111111:key/00000000-0000-0000-0000-000000000002"
  public_access_cidrs       = ["203.0.113.0/24"]
  admin_role_arns           = ["arn:aws:iam::111111111111:role/admin"]
  developer_role_arns       = ["arn:aws:iam::111111111111:role/dev", "arn:aws:iam::111111111111:role/admin"]
  ci_role_arns              = ["arn:aws:iam::111111111111:role/ci"]
  audit_role_arns           = ["arn:aws:iam::111111111111:role/audit", "arn:aws:iam::111111111111:role/ci"]
  application_namespaces    = ["app", "shop"]
  pod_subnet_ids_by_az = {
    "ap-northeast-2a" = "subnet-0000000000000001a"
    "ap-northeast-2c" = "subnet-0000000000000001c"
  }
  pod_security_group_ids = ["sg-00000000000000002"]
}

run "production_defaults" {
  command = plan

  assert {
    condition     = aws_eks_cluster.this.version == "1.35" && aws_eks_cluster.this.upgrade_policy[0].support_type == "STANDARD"
    error_message = "Default must be 1.35 with STANDARD support."
  }
  assert {
    condition     = length(aws_eks_cluster.this.enabled_cluster_log_types) == 5
    error_message = "All five control-plane log types must be on."
  }
  assert {
    condition     = aws_cloudwatch_log_group.cluster.name == "/aws/eks/test/cluster" && aws_cloudwatch_log_group.cluster.kms_key_id == var.logs_kms_key_arn
    error_message = "Log group must be /aws/eks/<name>/cluster and KMS-encrypted."
  }
  assert {
    condition     = aws_eks_cluster.this.access_config[0].authentication_mode == "API"
    error_message = "Authentication mode must be API."
  }
  assert {
    condition     = aws_eks_cluster.this.vpc_config[0].endpoint_private_access && aws_eks_cluster.this.vpc_config[0].endpoint_public_access
    error_message = "Both endpoints must be on when CIDRs are given."
  }
  assert {
    # admin wins over developer for a role in both lists, ci over audit
    condition = output.access_entries == tomap({
      "arn:aws:iam::111111111111:role/admin" = "admin"
      "arn:aws:iam::111111111111:role/dev"   = "developer"
      "arn:aws:iam::111111111111:role/ci"    = "ci"
      "arn:aws:iam::111111111111:role/audit" = "audit"
    })
    error_message = "Access entries must map each role once, admin first."
  }
}

# Issue 18 (Phase 5): Kubernetes RBAC through access entries. Developers edit only the application
# namespaces and view the rest; auditors and CI only view; only admins are cluster admins.
run "rbac_through_access_entries" {
  command = plan

  assert {
    condition = jsonencode(output.access_policies) == jsonencode({
      "arn:aws:iam::111111111111:role/admin" = ["AmazonEKSClusterAdminPolicy@cluster"]
      "arn:aws:iam::111111111111:role/dev"   = ["AmazonEKSViewPolicy@cluster", "AmazonEKSEditPolicy@app,shop"]
      "arn:aws:iam::111111111111:role/ci"    = ["AmazonEKSViewPolicy@cluster"]
      "arn:aws:iam::111111111111:role/audit" = ["AmazonEKSViewPolicy@cluster"]
    })
    error_message = "Developers: view + edit in their namespaces; CI and audit: view; admin: cluster admin."
  }
  assert {
    condition = (
      endswith(aws_eks_access_policy_association.this["arn:aws:iam::111111111111:role/dev"].policy_arn, "/AmazonEKSViewPolicy") &&
      aws_eks_access_policy_association.this["arn:aws:iam::111111111111:role/dev"].access_scope[0].type == "cluster"
    )
    error_message = "Developers view the whole cluster."
  }
  assert {
    condition = (
      keys(aws_eks_access_policy_association.application_edit) == ["arn:aws:iam::111111111111:role/dev"] &&
      endswith(aws_eks_access_policy_association.application_edit["arn:aws:iam::111111111111:role/dev"].policy_arn, "/AmazonEKSEditPolicy") &&
      aws_eks_access_policy_association.application_edit["arn:aws:iam::111111111111:role/dev"].access_scope[0].type == "namespace" &&
      toset(aws_eks_access_policy_association.application_edit["arn:aws:iam::111111111111:role/dev"].access_scope[0].namespaces) == toset(["app", "shop"])
    )
    error_message = "Only developers edit, and only in the application namespaces (namespace scope)."
  }
  assert {
    condition = alltrue([
      for arn, a in aws_eks_access_policy_association.this : endswith(a.policy_arn, "/AmazonEKSClusterAdminPolicy") == (arn == "arn:aws:iam::111111111111:role/admin")
    ])
    error_message = "Nobody but the admin roles (not CI, not audit) may be cluster admin."
  }
  assert {
    condition = (
      aws_eks_access_entry.this["arn:aws:iam::111111111111:role/dev"].kubernetes_groups == toset(["orch:developers"]) &&
      aws_eks_access_entry.this["arn:aws:iam::111111111111:role/audit"].kubernetes_groups == toset(["orch:auditors"]) &&
      length(aws_eks_access_entry.this["arn:aws:iam::111111111111:role/admin"].kubernetes_groups) == 0
    )
    error_message = "Developer and audit entries carry the groups 50-addons binds its Roles to."
  }
}

run "ci_is_never_cluster_admin" {
  command = plan

  variables {
    ci_access_policy = "AmazonEKSClusterAdminPolicy"
  }

  expect_failures = [var.ci_access_policy]
}

run "ci_may_edit_the_applications" {
  command = plan

  variables {
    ci_access_policy = "AmazonEKSEditPolicy"
  }

  assert {
    condition     = toset(keys(aws_eks_access_policy_association.application_edit)) == toset(["arn:aws:iam::111111111111:role/dev", "arn:aws:iam::111111111111:role/ci"]) && endswith(aws_eks_access_policy_association.this["arn:aws:iam::111111111111:role/ci"].policy_arn, "/AmazonEKSViewPolicy")
    error_message = "A deploying pipeline gets edit in the application namespaces on top of view, never more."
  }
}

run "no_application_namespaces_developers_only_view" {
  command = plan

  variables {
    application_namespaces = []
  }

  assert {
    condition     = length(aws_eks_access_policy_association.application_edit) == 0
    error_message = "Without application namespaces nobody edits anything."
  }
}

run "kubernetes_namespaces_refused" {
  command = plan

  variables {
    application_namespaces = ["kube-system"]
  }

  expect_failures = [var.application_namespaces]
}

# Issue 12, item 1: a cluster without EKS's self-managed add-ons gets vpc-cni (custom networking,
# ENIConfigs from the add-on, its own IRSA role) and kube-proxy from this module, before compute.
run "networking_addons_before_compute" {
  command = plan

  assert {
    condition     = aws_eks_cluster.this.bootstrap_self_managed_addons == false
    error_message = "The cluster must start without self-managed add-ons (the managed ones are the only copies)."
  }
  assert {
    condition     = keys(aws_eks_addon.network) == ["kube-proxy", "vpc-cni"]
    error_message = "vpc-cni and kube-proxy must be created with the cluster."
  }
  assert {
    condition = jsondecode(aws_eks_addon.network["vpc-cni"].configuration_values) == {
      env = {
        AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG = "true"
        ENI_CONFIG_LABEL_DEF               = "topology.kubernetes.io/zone"
      }
      eniConfig = {
        create = true
        region = "ap-northeast-2"
        subnets = {
          "ap-northeast-2a" = { id = "subnet-0000000000000001a", securityGroups = ["sg-00000000000000002"] }
          "ap-northeast-2c" = { id = "subnet-0000000000000001c", securityGroups = ["sg-00000000000000002"] }
        }
      }
      enableNetworkPolicy = "true"
    }
    error_message = "vpc-cni must enable custom networking with one ENIConfig per AZ and network policy."
  }
  assert {
    condition     = aws_eks_addon.network["vpc-cni"].service_account_role_arn == "arn:aws:iam::111111111111:role/mock"
    error_message = "aws-node must use its own IRSA role."
  }
}

run "open_endpoint_is_refused" {
  command = plan

  variables {
    public_access_cidrs = ["0.0.0.0/0"]
  }

  expect_failures = [var.public_access_cidrs]
}

run "public_endpoint_needs_cidrs" {
  command = plan

  variables {
    public_access_cidrs = []
  }

  expect_failures = [var.public_access_cidrs]
}
