"""Who may do what: the execution role, the `iam:` block's principals, and the `eks:` block
(API endpoint access, access entries, namespaces, DNS).
"""

from __future__ import annotations

import ipaddress
import re

from pydantic import Field, field_validator, model_validator

from orchestrator.config.base import EMAIL, ROLE_ARN, Strict

# The same checks as terraform/modules/iam-baseline's principal variables: IAM principals, and IAM
# Identity Center permission-set roles (the only entries where * may stand for a region or suffix).
_PRINCIPAL = re.compile(r"^arn:aws[a-z-]*:(iam|sts)::\d{12}:.+$")
_SSO_PATH = re.compile(r"^arn:aws[a-z-]*:iam::\d{12}:role/aws-reserved/sso\.amazonaws\.com/")
_SSO_ROLE = re.compile(
    r"^arn:aws[a-z-]*:iam::\d{12}:role/aws-reserved/sso\.amazonaws\.com/([a-z0-9-]+/|\*/)?AWSReservedSSO_[A-Za-z0-9+=,.@_*-]+$"
)
# A Kubernetes namespace name (RFC 1123 label); the ones Kubernetes and EKS own are not ours to manage.
_NAMESPACE = re.compile(r"^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")
_RESERVED_NAMESPACES = {"default", "kube-system", "kube-public", "kube-node-lease"}


class ExecutionRole(Strict):
    arn: str | None = None
    external_id: str | None = None
    session_duration: int = Field(3600, ge=900, le=43200)
    # Multi-account (docs/accounts.md): the shared-services CI role that alone may assume this role;
    # bootstrap/10-iam-baseline writes it into the role's trust policy. Unset: the account's own CI
    # role and the iam.admin_principals, as before.
    trusted_ci_role_arn: str | None = None

    @field_validator("arn", "trusted_ci_role_arn")
    @classmethod
    def _arn(cls, value: str | None) -> str | None:
        if value is not None and not ROLE_ARN.match(value):
            raise ValueError(f"not an IAM role ARN: {value!r}")
        if value is not None and "*" in value:
            raise ValueError(f"{value!r}: a role ARN without wildcards")
        return value


class IamSettings(Strict):
    """Optional `iam:` block read by bootstrap/10-iam-baseline: who may assume the roles it creates.

    Admins default to the account root (its administrators decide through their own IAM policies);
    no developer or audit principals means no developer or audit role.
    """

    admin_principals: list[str] = Field(default_factory=list)
    ci_principals: list[str] = Field(default_factory=list)
    developer_principals: list[str] = Field(default_factory=list)
    audit_principals: list[str] = Field(default_factory=list)
    # IAM principals (not SSO roles) must have signed in with MFA to assume the human roles.
    require_mfa: bool = True

    @field_validator("admin_principals", "ci_principals", "developer_principals", "audit_principals")
    @classmethod
    def _principals(cls, values: list[str]) -> list[str]:
        for value in values:
            if not _PRINCIPAL.match(value):
                raise ValueError(f"not an IAM principal ARN: {value!r}")
            if _SSO_PATH.match(value):
                if not _SSO_ROLE.match(value):
                    raise ValueError(
                        f"{value!r}: an Identity Center entry names an AWSReservedSSO_* role under"
                        " role/aws-reserved/sso.amazonaws.com/[<region>/]"
                    )
            elif "*" in value:
                raise ValueError(f"{value!r}: wildcards are allowed only in Identity Center (AWSReservedSSO_*) entries")
        return values


class EksNamespaces(Strict):
    """`eks.namespaces`: the Kubernetes namespaces 50-addons creates (30-eks-cluster scopes developers to them)."""

    platform: list[str] = Field(default_factory=list)
    applications: list[str] = Field(default_factory=list)

    @field_validator("platform", "applications")
    @classmethod
    def _names(cls, values: list[str]) -> list[str]:
        for value in values:
            if not _NAMESPACE.match(value):
                raise ValueError(f"not a Kubernetes namespace name (RFC 1123 label): {value!r}")
            if value in _RESERVED_NAMESPACES:
                raise ValueError(f"{value!r} belongs to Kubernetes; list namespaces of the platform's own")
        if len(set(values)) != len(values):
            raise ValueError("a namespace is listed twice")
        return values

    @model_validator(mode="after")
    def _disjoint(self) -> EksNamespaces:
        both = sorted(set(self.platform) & set(self.applications))
        if both:
            raise ValueError(f"{', '.join(both)} listed as both a platform and an application namespace")
        return self


class EksSettings(Strict):
    """Optional `eks:` block read by 30-eks-cluster and 50-addons (absent keys: safe defaults there)."""

    kubernetes_version: str | None = Field(None, pattern=r"^1\.\d{2}$")
    # Public API endpoint: on only when CIDRs are listed; never the whole internet.
    public_access_cidrs: list[str] = Field(default_factory=list)
    # orch/Jenkins run inside the VPC (or a peered/VPN-connected network) and reach the private
    # endpoint. One of this and public_access_cidrs must say how the applying machine gets in.
    runner_in_vpc: bool = False
    # EKS access entries (the roles bootstrap/10-iam-baseline creates, SSO roles, the CI role).
    # admin: cluster admin; developer: edit in namespaces.applications, view elsewhere; audit: view;
    # ci: never cluster admin (view).
    admin_role_arns: list[str] = Field(default_factory=list)
    developer_role_arns: list[str] = Field(default_factory=list)
    audit_role_arns: list[str] = Field(default_factory=list)
    ci_role_arns: list[str] = Field(default_factory=list)
    namespaces: EksNamespaces = Field(default_factory=EksNamespaces)
    # external-dns: the hosted zones it may change and the domains it manages.
    route53_zone_arns: list[str] = Field(default_factory=list)
    external_dns_domain_filters: list[str] = Field(default_factory=list)
    # cert-manager's ClusterIssuer: the ACME account contact (required with a zone).
    acme_email: str | None = None

    @field_validator("public_access_cidrs")
    @classmethod
    def _cidrs(cls, values: list[str]) -> list[str]:
        for value in values:
            try:
                network = ipaddress.IPv4Network(value)
            except ValueError:
                raise ValueError(f"not an IPv4 CIDR: {value!r}") from None
            if network.prefixlen == 0:
                raise ValueError(f"{value!r} opens the API endpoint to the internet; list the office/VPN ranges")
        networks = [ipaddress.IPv4Network(value) for value in values]
        for i, first in enumerate(networks):
            for second in networks[i + 1 :]:
                if first.overlaps(second):
                    raise ValueError(f"{first} and {second} overlap; list each range once")
        return values

    @field_validator("admin_role_arns", "developer_role_arns", "audit_role_arns", "ci_role_arns")
    @classmethod
    def _roles(cls, values: list[str]) -> list[str]:
        for value in values:
            if not ROLE_ARN.match(value):
                raise ValueError(f"not an IAM role ARN: {value!r}")
        return values

    @field_validator("acme_email")
    @classmethod
    def _acme_email(cls, value: str | None) -> str | None:
        if value is not None and not EMAIL.match(value):
            raise ValueError(f"not an e-mail address: {value!r}")
        return value

    @model_validator(mode="after")
    def _dns_complete(self) -> EksSettings:
        if self.route53_zone_arns and not (self.external_dns_domain_filters and self.acme_email):
            raise ValueError(
                "route53_zone_arns needs external_dns_domain_filters (the zones' domains) and acme_email"
                " (the ClusterIssuer's ACME contact)"
            )
        return self

    @field_validator("route53_zone_arns")
    @classmethod
    def _zones(cls, values: list[str]) -> list[str]:
        for value in values:
            if not re.match(r"^arn:aws[a-z-]*:route53:::hostedzone/[A-Z0-9]+$", value):
                raise ValueError(f"not a Route 53 hosted zone ARN: {value!r}")
        return values
