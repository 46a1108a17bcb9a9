# Prometheus and Grafana (plan.md Phase 6, optional there, on by default here):
#
# - Amazon Managed Service for Prometheus: a workspace encrypted with a key of its own, logging
#   rule and alert-manager events to a KMS-encrypted log group; Prometheus stores nothing that
#   matters in the cluster.
# - The collector: the prometheus-community `prometheus` chart (server with node-exporter and
#   kube-state-metrics, no Alertmanager or Pushgateway: alarms are CloudWatch's) remote-writes to the
#   workspace with SigV4, through an IRSA role allowed aps:RemoteWrite on this workspace only.
# - Grafana: the grafana chart, reachable only inside the cluster (ClusterIP; `kubectl
#   port-forward`), with the workspace (SigV4, IRSA role allowed to query this workspace only) and
#   CloudWatch (read-only) as data sources and the dashboards in dashboards/*.json provisioned
#   from this repository. Amazon Managed Grafana was not chosen: it needs IAM Identity Center or
#   SAML for its users, and its dashboards could only be provisioned through the Grafana API (a
#   provider this repository does not use), so they would not be code.
#
# The Helm releases need the Kubernetes API (enable_kubernetes_resources) and their charts: a chart
# named in unavailable_helm_charts (local runs: no chart repository reachable,
# emulator-overrides.yaml) is not installed. The AWS side (workspace, roles, log group) is created
# everywhere.
locals {
  helm_enabled = var.enable_kubernetes_resources

  prometheus_service_account = "prometheus-server"
  grafana_service_account    = "grafana"

  remote_write_url = "${aws_prometheus_workspace.this.prometheus_endpoint}api/v1/remote_write"

  dashboards = { for f in fileset("${path.module}/dashboards", "*.json") : trimsuffix(f, ".json") => file("${path.module}/dashboards/${f}") }
}

# ---------------------------------------------------------------- workspace
data "aws_iam_policy_document" "prometheus_key" {
  # checkov:skip=CKV_AWS_109:A key policy's Resource "*" is the key itself; administration is limited to the account root (delegated to IAM).
  # checkov:skip=CKV_AWS_111:A key policy's Resource "*" is the key itself; use is limited to this account through the service (kms:ViaService).
  # checkov:skip=CKV_AWS_356:A key policy's Resource "*" always means this key; it cannot name another resource.
  statement {
    sid       = "AccountAdministers"
    actions   = ["kms:*"]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = ["arn:${data.aws_partition.current.partition}:iam::${local.account_id}:root"]
    }
  }

  statement {
    sid       = "PrometheusUsesViaService"
    actions   = ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*", "kms:DescribeKey", "kms:CreateGrant"]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = ["*"]
    }

    condition {
      test     = "StringEquals"
      variable = "kms:CallerAccount"
      values   = [local.account_id]
    }

    condition {
      test     = "StringLike"
      variable = "kms:ViaService"
      values   = ["aps.*.amazonaws.com"]
    }
  }
}

resource "aws_kms_key" "prometheus" {
  description             = "${var.name_prefix}: Amazon Managed Service for Prometheus workspace"
  enable_key_rotation     = true
  deletion_window_in_days = 30
  policy                  = data.aws_iam_policy_document.prometheus_key.json

  tags = merge(var.tags, { Name = "${var.name_prefix}-prometheus", Purpose = "prometheus" })
}

resource "aws_cloudwatch_log_group" "prometheus" {
  name              = "/aws/prometheus/${var.name_prefix}"
  retention_in_days = var.cloudwatch_logs_retention_days
  kms_key_id        = var.cloudwatch_logs_kms_key_arn

  tags = merge(var.tags, { Name = "/aws/prometheus/${var.name_prefix}" })
}

resource "aws_prometheus_workspace" "this" {
  alias       = var.name_prefix
  kms_key_arn = aws_kms_key.prometheus.arn

  logging_configuration {
    log_group_arn = "${aws_cloudwatch_log_group.prometheus.arn}:*"
  }

  tags = merge(var.tags, { Name = var.name_prefix })
}

# ---------------------------------------------------------------- IRSA roles' policies (roles: iam.tf)
data "aws_iam_policy_document" "collector" {
  statement {
    sid       = "RemoteWriteThisWorkspace"
    actions   = ["aps:RemoteWrite"]
    resources = [aws_prometheus_workspace.this.arn]
  }
}

data "aws_iam_policy_document" "grafana" {
  #checkov:skip=CKV_AWS_356:CloudWatch metric reads, ec2:Describe* and tag:GetResources have no resource-level permissions; the Prometheus statement names the workspace.
  statement {
    sid       = "QueryThisWorkspace"
    actions   = ["aps:QueryMetrics", "aps:GetSeries", "aps:GetLabels", "aps:GetMetricMetadata"]
    resources = [aws_prometheus_workspace.this.arn]
  }

  # The CloudWatch data source (data-tier dashboard): metric reads have no resource-level
  # permissions in IAM, so "*" is the only resource they accept.
  statement {
    sid = "ReadCloudWatchMetrics"
    actions = [
      "cloudwatch:DescribeAlarmsForMetric", "cloudwatch:DescribeAlarmHistory", "cloudwatch:DescribeAlarms",
      "cloudwatch:ListMetrics", "cloudwatch:GetMetricData", "cloudwatch:GetInsightRuleReport",
      "ec2:DescribeTags", "ec2:DescribeInstances", "ec2:DescribeRegions", "tag:GetResources",
    ]
    resources = ["*"]
  }
}

# ---------------------------------------------------------------- Helm releases
resource "helm_release" "prometheus" {
  count = local.helm_enabled && !contains(keys(var.unavailable_helm_charts), "prometheus") ? 1 : 0

  name             = "prometheus"
  namespace        = var.prometheus_namespace
  create_namespace = true
  repository       = "https://prometheus-community.github.io/helm-charts"
  chart            = "prometheus"
  version          = var.chart_versions.prometheus
  atomic           = true
  timeout          = 600

  lifecycle {
    precondition {
      # The unit's Kubernetes/Helm providers (k8s_providers.tf) connect with these.
      condition     = var.cluster_endpoint != null && var.cluster_certificate_authority_data != null
      error_message = "enable_kubernetes_resources needs cluster_endpoint and cluster_certificate_authority_data (30-eks-cluster's outputs)."
    }
  }

  values = [yamlencode({
    serviceAccounts = {
      server = {
        create      = true
        name        = local.prometheus_service_account
        annotations = { "eks.amazonaws.com/role-arn" = module.irsa["prometheus-collector"].arn }
      }
    }
    alertmanager             = { enabled = false }
    prometheus-pushgateway   = { enabled = false }
    prometheus-node-exporter = { enabled = true }
    kube-state-metrics       = { enabled = true }
    server = {
      # Local storage is a 2-hour buffer for remote write, not the store of record.
      retention = "2h"
      persistentVolume = {
        enabled      = true
        size         = "20Gi"
        storageClass = "gp3"
      }
      global = {
        scrape_interval = "30s"
        external_labels = { cluster = var.cluster_name }
      }
      remoteWrite = [{
        url   = local.remote_write_url
        sigv4 = { region = var.region }
        queue_config = {
          max_samples_per_send = 1000
          max_shards           = 200
          capacity             = 2500
        }
      }]
      resources = {
        requests = { cpu = "250m", memory = "1Gi" }
        limits   = { memory = "2Gi" }
      }
    }
  })]
}

resource "helm_release" "grafana" {
  count = local.helm_enabled && !contains(keys(var.unavailable_helm_charts), "grafana") ? 1 : 0

  name             = "grafana"
  namespace        = var.prometheus_namespace
  create_namespace = true
  repository       = "https://grafana.github.io/helm-charts"
  chart            = "grafana"
  version          = var.chart_versions.grafana
  atomic           = true
  timeout          = 600

  values = [yamlencode({
    serviceAccount = {
      create      = true
      name        = local.grafana_service_account
      annotations = { "eks.amazonaws.com/role-arn" = module.irsa["grafana"].arn }
    }
    # No public exposure: operators use `kubectl port-forward` (docs/runbooks/README.md).
    service     = { type = "ClusterIP" }
    persistence = { enabled = false } # dashboards and data sources are code; nothing to keep
    "grafana.ini" = {
      auth             = { sigv4_auth_enabled = true }
      "auth.anonymous" = { enabled = false }
      users            = { allow_sign_up = false }
      analytics        = { reporting_enabled = false, check_for_updates = false }
    }
    datasources = {
      "datasources.yaml" = {
        apiVersion = 1
        datasources = [
          {
            name      = "Amazon Managed Prometheus"
            uid       = "amp"
            type      = "prometheus"
            url       = aws_prometheus_workspace.this.prometheus_endpoint
            access    = "proxy"
            isDefault = true
            jsonData  = { sigV4Auth = true, sigV4AuthType = "default", sigV4Region = var.region, httpMethod = "POST" }
          },
          {
            name     = "CloudWatch"
            uid      = "cloudwatch"
            type     = "cloudwatch"
            access   = "proxy"
            jsonData = { authType = "default", defaultRegion = var.region }
          },
        ]
      }
    }
    dashboardProviders = {
      "dashboardproviders.yaml" = {
        apiVersion = 1
        providers = [{
          name            = "platform"
          folder          = "Platform"
          type            = "file"
          disableDeletion = true
          editable        = false
          options         = { path = "/var/lib/grafana/dashboards/platform" }
        }]
      }
    }
    dashboards = {
      platform = { for name, json in local.dashboards : name => { json = json } }
    }
  })]

  depends_on = [helm_release.prometheus]
}
