# DNS and certificates from env.yaml: External DNS limited to the hosted zones it may change, and
# a cert-manager ClusterIssuer (Let's Encrypt, DNS-01 through Route 53) for the same zones. With no
# zone configured neither is installed: an External DNS without a zone would scan every zone the
# account has, and cert-manager without an issuer issues nothing.
locals {
  hosted_zone_ids = [for arn in var.route53_zone_arns : element(split("/", arn), 1)]
  dns_enabled     = local.helm_enabled && length(var.route53_zone_arns) > 0
}

resource "helm_release" "cluster_issuer" {
  # Its ClusterIssuer is a cert-manager resource: only with cert-manager's chart (and CRDs).
  count = local.dns_enabled && local.chart_available["cert-manager"] ? 1 : 0

  name      = "platform-issuers"
  namespace = "cert-manager"
  chart     = "${path.module}/charts/platform-issuers"
  atomic    = true

  values = [yamlencode({
    name         = var.cluster_issuer.name
    server       = var.cluster_issuer.server
    email        = var.cluster_issuer.email
    region       = var.region
    hostedZoneID = local.hosted_zone_ids[0]
    dnsZones     = var.external_dns_domain_filters
  })]

  # After cert-manager (its CRDs; depends_on names the controllers' resource as a whole).
  depends_on = [helm_release.controller]
}
