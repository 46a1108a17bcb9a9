# Issue 18 (Phase 5): namespaces, network policies, RBAC beyond the access policies, and the
# External Secrets Operator. Plan-only. The AWS provider is real but never called (no credentials;
# the account and partition are overridden) so that aws_iam_policy_document renders the operator's
# actual policy; Helm and Kubernetes are mocked.
provider "aws" {
  region                      = "ap-northeast-2"
  access_key                  = "mock"
  secret_key                  = "mock"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
}

override_data {
  target = data.aws_caller_identity.current
  values = { account_id = "111111111111", arn = "arn:aws:iam::111111111111:root", user_id = "111111111111" }
}

override_data {
  target = data.aws_partition.current
  values = { partition = "aws", dns_suffix = "amazonaws.com" }
}

mock_provider "helm" {}
mock_provider "kubernetes" {}

# The roles' ARNs would be unknown at plan and with them every release's values.
override_module {
  target  = module.irsa
  outputs = { arn = "arn:aws:iam::111111111111:role/mock-irsa", name = "mock-irsa" }
}

variables {
  cluster_name       = "orch-eks-prod"
  kubernetes_version = "1.35"
  oidc_provider_arn  = "arn:aws:iam::111111111111:oidc-provider/oidc.eks.ap-northeast-2.amazonaws.com/id/ABC"
  region             = "ap-northeast-2"
  vpc_id             = "vpc-00000000000000000"
  ebs_kms_key_arn    = "arn:aws:kms:ap-northeast-2:111111111111:key/00000000-0000-0000-0000-000000000003"

  namespaces = {
    platform     = ["monitoring"]
    applications = ["app", "shop"]
  }
  network_policy = {
    load_balancer_cidrs = ["10.0.0.0/24", "10.0.1.0/24", "10.0.10.0/24", "10.0.11.0/24"]
    egress_cidrs        = ["10.0.0.0/16"]
  }
  external_secrets = {
    secret_name_prefix = "orch-eks-prod/"
    kms_key_arns       = ["arn:aws:kms:ap-northeast-2:111111111111:key/00000000-0000-0000-0000-000000000004"]
  }
  database_secret = {
    secret_arn = "arn:aws:secretsmanager:ap-northeast-2:111111111111:secret:rds!cluster-0a1b2c3d-AbCdEf"
  }
}

run "namespaces_from_env_yaml" {
  command = plan

  assert {
    condition     = toset(keys(kubernetes_namespace_v1.this)) == toset(["monitoring", "app", "shop"])
    error_message = "Every platform and application namespace is created."
  }
  assert {
    condition = alltrue([for ns in ["app", "shop"] : (
      kubernetes_namespace_v1.this[ns].metadata[0].labels["orch/tier"] == "application" &&
      kubernetes_namespace_v1.this[ns].metadata[0].labels["pod-security.kubernetes.io/enforce"] == "baseline" &&
      kubernetes_namespace_v1.this[ns].metadata[0].labels["pod-security.kubernetes.io/warn"] == "restricted"
    )])
    error_message = "Application namespaces carry the tier label (the ClusterSecretStore selects it) and enforce Pod Security baseline."
  }
  assert {
    condition     = kubernetes_namespace_v1.this["monitoring"].metadata[0].labels["orch/tier"] == "platform" && !contains(keys(kubernetes_namespace_v1.this["monitoring"].metadata[0].labels), "pod-security.kubernetes.io/enforce")
    error_message = "Platform namespaces are not application namespaces (node agents there need host access)."
  }
}

run "default_deny_with_the_platform_allows" {
  command = plan

  assert {
    condition = alltrue([for ns in ["app", "shop"] : (
      kubernetes_network_policy_v1.default_deny[ns].spec[0].policy_types == tolist(["Ingress", "Egress"]) &&
      length(kubernetes_network_policy_v1.default_deny[ns].spec[0].ingress) == 0 &&
      length(kubernetes_network_policy_v1.default_deny[ns].spec[0].egress) == 0 &&
      kubernetes_network_policy_v1.default_deny[ns].metadata[0].labels["app.kubernetes.io/managed-by"] == "orch"
    )])
    error_message = "Every application namespace denies all ingress and egress by default."
  }
  assert {
    condition     = !contains(keys(kubernetes_network_policy_v1.default_deny), "monitoring")
    error_message = "Platform namespaces get no application policies."
  }
  assert {
    condition = (
      kubernetes_network_policy_v1.allow_dns["app"].spec[0].egress[0].to[0].namespace_selector[0].match_labels["kubernetes.io/metadata.name"] == "kube-system" &&
      kubernetes_network_policy_v1.allow_dns["app"].spec[0].egress[0].to[0].pod_selector[0].match_labels["k8s-app"] == "kube-dns" &&
      toset([for p in kubernetes_network_policy_v1.allow_dns["app"].spec[0].egress[0].ports : "${p.protocol}/${p.port}"]) == toset(["UDP/53", "TCP/53"])
    )
    error_message = "DNS is allowed to CoreDNS in kube-system only, on port 53."
  }
  assert {
    condition     = [for f in kubernetes_network_policy_v1.allow_from_load_balancers["app"].spec[0].ingress[0].from : f.ip_block[0].cidr] == ["10.0.0.0/24", "10.0.1.0/24", "10.0.10.0/24", "10.0.11.0/24"]
    error_message = "Ingress from the load balancers' subnets (target type ip) is allowed."
  }
  assert {
    condition     = kubernetes_network_policy_v1.allow_metrics_scraping["shop"].spec[0].ingress[0].from[0].namespace_selector[0].match_expressions[0].values == toset(["monitoring"])
    error_message = "Metrics scraping is allowed from the monitoring namespace."
  }
  assert {
    condition = (
      kubernetes_network_policy_v1.allow_egress["app"].spec[0].egress[0].to[0].ip_block[0].cidr == "10.0.0.0/16" &&
      length(kubernetes_network_policy_v1.allow_egress["app"].spec[0].egress[0].ports) == 0 &&
      kubernetes_network_policy_v1.allow_egress["app"].spec[0].egress[1].to[0].ip_block[0].cidr == "0.0.0.0/0" &&
      kubernetes_network_policy_v1.allow_egress["app"].spec[0].egress[1].ports[0].port == "443"
    )
    error_message = "Egress: the VPC on every port, elsewhere HTTPS only."
  }
}

run "ingress_only_when_egress_is_not_restricted" {
  command = plan

  variables {
    network_policy = {
      load_balancer_cidrs = ["10.0.0.0/24"]
      restrict_egress     = false
    }
  }

  assert {
    condition     = kubernetes_network_policy_v1.default_deny["app"].spec[0].policy_types == tolist(["Ingress"]) && length(kubernetes_network_policy_v1.allow_dns) == 0 && length(kubernetes_network_policy_v1.allow_egress) == 0
    error_message = "Without restrict_egress only ingress is denied by default."
  }
}

run "open_all_port_cidrs_refused" {
  command = plan

  variables {
    network_policy = {
      egress_cidrs = ["0.0.0.0/0"]
    }
  }

  expect_failures = [var.network_policy]
}

run "rbac_for_what_access_policies_miss" {
  command = plan

  assert {
    condition     = toset([for s in kubernetes_cluster_role_binding_v1.platform_resources_view[0].subject : "${s.kind}/${s.name}"]) == toset(["Group/orch:developers", "Group/orch:auditors"])
    error_message = "Developers and auditors read the platform's custom resources (no access policy covers CRDs)."
  }
  assert {
    condition     = alltrue([for r in kubernetes_cluster_role_v1.platform_resources_view[0].rule : toset(r.verbs) == toset(["get", "list", "watch"])])
    error_message = "The cluster-wide role only reads."
  }
  assert {
    condition = (
      toset(keys(kubernetes_role_binding_v1.developers)) == toset(["app", "shop"]) &&
      kubernetes_role_binding_v1.developers["app"].subject[0].name == "orch:developers" &&
      kubernetes_role_binding_v1.developers["app"].role_ref[0].name == "orch:application-resources-edit"
    )
    error_message = "Developers manage ExternalSecrets and Certificates only in the application namespaces (RoleBindings)."
  }
}

run "external_secrets_operator" {
  command = plan

  assert {
    condition = (
      helm_release.controller["external-secrets"].chart == "external-secrets" && helm_release.controller["external-secrets"].version == "2.3.0" &&
      yamldecode(helm_release.controller["external-secrets"].values[0]).serviceAccount.name == "external-secrets" &&
      helm_release.controller["external-secrets"].namespace == "external-secrets"
    )
    error_message = "The operator is installed from its pinned chart, with its own service account."
  }
  assert {
    condition     = contains(keys(module.irsa), "external-secrets") && yamldecode(helm_release.controller["external-secrets"].values[0]).serviceAccount.annotations["eks.amazonaws.com/role-arn"] == module.irsa["external-secrets"].arn
    error_message = "The operator's service account uses its own IRSA role."
  }
  assert {
    condition = yamldecode(helm_release.platform_secrets[0].values[0]) == {
      storeName       = "aws-secrets-manager"
      region          = "ap-northeast-2"
      namespaceLabels = { "orch/tier" = "application" }
      refreshInterval = "1h"
      externalSecrets = [{
        name      = "aurora-master"
        namespace = "app"
        secretArn = "arn:aws:secretsmanager:ap-northeast-2:111111111111:secret:rds!cluster-0a1b2c3d-AbCdEf"
        keys      = ["username", "password"]
      }]
    }
    error_message = "The ClusterSecretStore serves only the application namespaces; the Aurora master secret lands in the first one by ARN."
  }
}

run "operator_reads_only_this_environment" {
  command = plan

  assert {
    condition = toset([for s in jsondecode(data.aws_iam_policy_document.external_secrets.json).Statement : s if s.Sid == "ReadThisEnvironmentsSecrets"][0].Resource) == toset([
      "arn:aws:secretsmanager:ap-northeast-2:111111111111:secret:orch-eks-prod/*",
      "arn:aws:secretsmanager:ap-northeast-2:111111111111:secret:rds!cluster-0a1b2c3d-AbCdEf",
    ])
    error_message = "Secrets: the environment's name prefix and the Aurora master secret, nothing else."
  }
  assert {
    condition = alltrue([for s in jsondecode(data.aws_iam_policy_document.external_secrets.json).Statement :
    !contains(flatten([s.Action]), "secretsmanager:ListSecrets") && !contains(flatten([s.Resource]), "*")])
    error_message = "No account-wide secret listing and no Resource \"*\"."
  }
  assert {
    condition = [for s in jsondecode(data.aws_iam_policy_document.external_secrets.json).Statement : s if s.Sid == "DecryptThroughSecretsManager"][0] == {
      Sid       = "DecryptThroughSecretsManager"
      Effect    = "Allow"
      Action    = "kms:Decrypt"
      Resource  = "arn:aws:kms:ap-northeast-2:111111111111:key/00000000-0000-0000-0000-000000000004"
      Condition = { StringEquals = { "kms:ViaService" = "secretsmanager.ap-northeast-2.amazonaws.com" } }
    }
    error_message = "Decrypt only with the environment's key and only through Secrets Manager."
  }
}

run "wildcard_prefix_refused" {
  command = plan

  variables {
    external_secrets = {
      secret_name_prefix = "*"
    }
  }

  expect_failures = [var.external_secrets]
}

run "database_secret_only_into_an_application_namespace" {
  command = plan

  variables {
    database_secret = {
      secret_arn = "arn:aws:secretsmanager:ap-northeast-2:111111111111:secret:rds!cluster-0a1b2c3d-AbCdEf"
      namespace  = "monitoring"
    }
  }

  expect_failures = [var.database_secret]
}

run "operator_off" {
  command = plan

  variables {
    external_secrets = {
      enabled = false
    }
    database_secret = null
  }

  assert {
    condition     = !contains(keys(helm_release.controller), "external-secrets") && length(helm_release.platform_secrets) == 0 && !contains(keys(module.irsa), "external-secrets") && output.external_secrets_role_arn == null
    error_message = "external_secrets.enabled = false removes the operator, its objects and its role."
  }
}
