# External Secrets Operator (Helm: its row in helm.tf's controllers; its own IRSA role in
# main.tf/iam.tf) and what makes it usable:
# a ClusterSecretStore for this environment's Secrets Manager, open only to the application
# namespaces, and an example ExternalSecret syncing 60-database's master user secret into an
# application namespace. Store and ExternalSecret come from the local chart charts/platform-secrets:
# both are ESO custom resources, which kubernetes_manifest cannot plan before the release in the
# same apply has installed their CRDs (the same reason as charts/platform-issuers).
locals {
  external_secrets_namespace = "external-secrets"
  external_secrets_enabled   = local.helm_enabled && var.external_secrets.enabled

  database_secret_namespace = var.database_secret == null ? null : coalesce(try(var.database_secret.namespace, null), try(var.namespaces.applications[0], null), "-")
  example_external_secrets = var.database_secret == null ? [] : [{
    name      = var.database_secret.name
    namespace = local.database_secret_namespace
    secretArn = var.database_secret.secret_arn
    # What RDS stores in the managed master user secret.
    keys = ["username", "password"]
  }]
}

resource "helm_release" "platform_secrets" {
  # Store and ExternalSecret are ESO resources: only with the operator's chart (and CRDs).
  count = local.external_secrets_enabled && local.chart_available["external-secrets"] ? 1 : 0

  name      = "platform-secrets"
  namespace = local.external_secrets_namespace
  chart     = "${path.module}/charts/platform-secrets"
  atomic    = true

  values = [yamlencode({
    storeName       = var.external_secrets.store_name
    region          = var.region
    namespaceLabels = local.application_namespace_selector
    refreshInterval = "1h"
    externalSecrets = local.example_external_secrets
  })]

  # After the operator (its CRDs; depends_on names the controllers' resource as a whole). The
  # ExternalSecret lands in an application namespace this module creates.
  depends_on = [helm_release.controller, kubernetes_namespace_v1.this]
}
