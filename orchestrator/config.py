"""Environment configuration: `environments/LIVE/<env>/env.yaml`, the one source of truth.

root.hcl reads the same file for Terragrunt; here pydantic validates it so a wrong value
fails before any engine runs, with the file and the field named.
"""

from __future__ import annotations

import ipaddress
import re
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from orchestrator.errors import ConfigError
from orchestrator.settings import REPO_ROOT

ENV_FILE = "env.yaml"
LIVE_DIR = Path("environments") / "LIVE"

_ACCOUNT = re.compile(r"^\d{12}$")
_ROLE_ARN = re.compile(r"^arn:aws[a-z-]*:iam::\d{12}:role/[\w+=,.@/-]+$")
_BUCKET = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
_REGION = re.compile(r"^[a-z]{2}(-gov)?-[a-z]+-\d$")
# The same check as terraform/modules/monitoring's alarm_email_addresses validation.
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$")
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
# The same checks as terraform/modules/monitoring's slack_channel, alarm_webhook_secret_name and
# log_archive_destination_arn validations.
_SLACK_TEAM = re.compile(r"^T[0-9A-Z]{2,}$")
_SLACK_CHANNEL = re.compile(r"^[CG][0-9A-Z]{2,}$")
_SECRET_NAME = re.compile(r"^(arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:)?[A-Za-z0-9/_+=.@-]{1,512}$")
_LOGS_DESTINATION = re.compile(r"^arn:aws[a-z-]*:logs:[a-z0-9-]+:\d{12}:destination:[A-Za-z0-9._/#-]{1,512}$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ExecutionRole(_Strict):
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
        if value is not None and not _ROLE_ARN.match(value):
            raise ValueError(f"not an IAM role ARN: {value!r}")
        if value is not None and "*" in value:
            raise ValueError(f"{value!r}: a role ARN without wildcards")
        return value


class StateConfig(_Strict):
    bucket: str
    key_prefix: str
    lock_mode: Literal["s3", "dynamodb", "both"] = "s3"
    lock_table: str | None = None
    kms_alias: str
    cross_account_principals: list[str] = Field(default_factory=list)
    # Days a replaced state version is kept before the lifecycle rule expires it.
    noncurrent_version_days: int = Field(90, ge=1, le=3650)

    @model_validator(mode="after")
    def _lock_table(self) -> StateConfig:
        if self.lock_mode in ("dynamodb", "both") and not self.lock_table:
            raise ValueError(f"lock_table is required when lock_mode is {self.lock_mode!r}")
        return self

    @field_validator("bucket")
    @classmethod
    def _bucket(cls, value: str) -> str:
        if not _BUCKET.match(value) or ".." in value:
            raise ValueError(f"not a valid S3 bucket name: {value!r}")
        return value

    @field_validator("kms_alias")
    @classmethod
    def _alias(cls, value: str) -> str:
        if not value.startswith("alias/") or value.startswith("alias/aws/"):
            raise ValueError("must start with 'alias/' and not be an AWS-managed alias")
        return value

    @field_validator("cross_account_principals")
    @classmethod
    def _principals(cls, values: list[str]) -> list[str]:
        for value in values:
            if not (_ACCOUNT.match(value) or value.startswith("arn:aws")):
                raise ValueError(f"not an account id or ARN: {value!r}")
        return values


class IamSettings(_Strict):
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


class EksNamespaces(_Strict):
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


class EksSettings(_Strict):
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
        import ipaddress

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
            if not _ROLE_ARN.match(value):
                raise ValueError(f"not an IAM role ARN: {value!r}")
        return values

    @field_validator("acme_email")
    @classmethod
    def _acme_email(cls, value: str | None) -> str | None:
        if value is not None and not _EMAIL.match(value):
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


class AlarmSettings(_Strict):
    """`alarms:` block read by 90-monitoring: who the alarm topic notifies."""

    # E-mail subscriptions of the alarm SNS topic (each address must confirm the subscription).
    email_addresses: list[str] = Field(default_factory=list)
    # Slack through AWS Chatbot (ids, not secrets).
    slack: SlackChannel | None = None
    # Name of a Secrets Manager secret holding an SNS-aware receiver's https:// URL; never the URL.
    webhook_secret_name: str | None = None

    @field_validator("webhook_secret_name")
    @classmethod
    def _secret_name(cls, value: str | None) -> str | None:
        if value is not None and (value.startswith(("http://", "https://")) or not _SECRET_NAME.match(value)):
            raise ValueError(
                "webhook_secret_name is the NAME of a Secrets Manager secret holding the URL, not the URL itself"
            )
        return value

    @field_validator("email_addresses")
    @classmethod
    def _emails(cls, values: list[str]) -> list[str]:
        for value in values:
            if not _EMAIL.match(value):
                raise ValueError(f"not an e-mail address: {value!r}")
        return values


class SlackChannel(_Strict):
    """AWS Chatbot's Slack target of the alarm topic (workspace authorised once in the Chatbot console)."""

    team_id: str
    channel_id: str

    @field_validator("team_id")
    @classmethod
    def _team(cls, value: str) -> str:
        if not _SLACK_TEAM.match(value):
            raise ValueError(f"not a Slack workspace id (T...): {value!r}")
        return value

    @field_validator("channel_id")
    @classmethod
    def _channel(cls, value: str) -> str:
        if not _SLACK_CHANNEL.match(value):
            raise ValueError(f"not a Slack channel id (C... or G...): {value!r}")
        return value


class LogSettings(_Strict):
    """`logs:` block read by 90-monitoring: where the platform's log groups are shipped."""

    # CloudWatch Logs destination of the log-archive account; null: no subscription.
    archive_destination_arn: str | None = None

    @field_validator("archive_destination_arn")
    @classmethod
    def _destination(cls, value: str | None) -> str | None:
        if value is not None and not _LOGS_DESTINATION.match(value):
            raise ValueError(
                f"not a CloudWatch Logs destination ARN (arn:aws:logs:REGION:ACCOUNT:destination:NAME): {value!r}"
            )
        return value


class NetworkSettings(_Strict):
    """`network:` block read by 10-networking; the defaults are the module's (plan.md's production table)."""

    vpc_cidr: str = "10.0.0.0/16"
    public_subnet_cidrs: list[str] = Field(default_factory=lambda: ["10.0.0.0/24", "10.0.1.0/24"])
    private_subnet_cidrs: list[str] = Field(default_factory=lambda: ["10.0.10.0/24", "10.0.11.0/24"])
    database_subnet_cidrs: list[str] = Field(default_factory=lambda: ["10.0.20.0/24", "10.0.21.0/24"])
    pod_subnet_cidrs: list[str] = Field(default_factory=lambda: ["10.0.100.0/22", "10.0.104.0/22"])
    # One NAT gateway for every AZ (dev): refused for production, whose checklist wants one per AZ.
    single_nat_gateway: bool = False

    @field_validator("vpc_cidr")
    @classmethod
    def _vpc(cls, value: str) -> str:
        network = _network(value)
        if not 16 <= network.prefixlen <= 24:
            raise ValueError(f"{value} must have a prefix between /16 and /24")
        return value

    @field_validator("public_subnet_cidrs", "private_subnet_cidrs", "database_subnet_cidrs", "pod_subnet_cidrs")
    @classmethod
    def _subnets(cls, values: list[str]) -> list[str]:
        for value in values:
            _network(value)
        return values

    @model_validator(mode="after")
    def _inside_vpc(self) -> NetworkSettings:
        vpc = ipaddress.IPv4Network(self.vpc_cidr)
        subnets = [
            (f"{tier}_subnet_cidrs", ipaddress.IPv4Network(cidr))
            for tier in ("public", "private", "database", "pod")
            for cidr in getattr(self, f"{tier}_subnet_cidrs")
        ]
        for field, subnet in subnets:
            if not subnet.subnet_of(vpc):
                raise ValueError(f"{field}: {subnet} is outside vpc_cidr {vpc}")
        for i, (first_field, first) in enumerate(subnets):
            for second_field, second in subnets[i + 1 :]:
                if first.overlaps(second):
                    raise ValueError(f"{first_field} {first} overlaps {second_field} {second}")
        return self


def _network(value: str) -> ipaddress.IPv4Network:
    try:
        return ipaddress.IPv4Network(value)
    except ValueError:
        raise ValueError(f"not an IPv4 network address in CIDR notation: {value!r}") from None


class NodeGroupTaint(_Strict):
    key: str
    value: str | None = None
    effect: Literal["NO_SCHEDULE", "NO_EXECUTE", "PREFER_NO_SCHEDULE"]


class NodeGroup(_Strict):
    """One managed node group; the same fields and limits as terraform/modules/eks-nodegroup's node_groups."""

    instance_types: list[str] = Field(min_length=1)
    capacity_type: Literal["ON_DEMAND", "SPOT"] = "ON_DEMAND"
    min_size: int = Field(ge=0)
    max_size: int = Field(ge=1)
    desired_size: int | None = None
    ami_type: str | None = Field(None, pattern=r"^(AL2023|BOTTLEROCKET)_")
    disk_size: int | None = Field(None, ge=20, le=16384)
    labels: dict[str, str] = Field(default_factory=dict)
    taints: list[NodeGroupTaint] = Field(default_factory=list)
    max_unavailable_percentage: int | None = Field(None, ge=1, le=100)

    @model_validator(mode="after")
    def _sizes(self) -> NodeGroup:
        desired = self.min_size if self.desired_size is None else self.desired_size
        if not self.min_size <= desired <= self.max_size:
            raise ValueError(
                f"sizes must satisfy min_size <= desired_size <= max_size"
                f" (got {self.min_size}, {desired}, {self.max_size})"
            )
        return self


class DatabaseSettings(_Strict):
    """`database:` block read by 60-database (terraform/modules/rds-aurora)."""

    instance_class: str = Field("db.r6g.large", pattern=r"^db\.(r|x|t4g)[0-9a-z]*\.[0-9a-z]+$")
    # 1: a writer alone (dev); production needs a reader to fail over to.
    instance_count: int = Field(2, ge=1, le=16)


class CacheSettings(_Strict):
    """`cache:` block read by 70-cache (terraform/modules/elasticache-redis)."""

    node_type: str = Field("cache.r6g.large", pattern=r"^cache\.[a-z][0-9][a-z]*\.[0-9a-z]+$")
    num_node_groups: int = Field(2, ge=1, le=500)
    replicas_per_node_group: int = Field(1, ge=1, le=5)


class CostSettings(_Strict):
    """`cost:` block read by 95-cost: the monthly budget and anomaly alerts."""

    monthly_budget_usd: float = Field(gt=0)
    anomaly_threshold_usd: float = Field(100, ge=0)
    # Only a payer (management or standalone) account can activate cost allocation tags.
    activate_cost_allocation_tags: bool = True


class BackupSettings(_Strict):
    """`backup:` block read by 85-backup."""

    retention_days: int = Field(7, ge=1, le=35)  # within the vault lock's 7-35 days
    copy_region: str | None = None
    copy_retention_days: int | None = Field(None, ge=1, le=35)

    @field_validator("copy_region")
    @classmethod
    def _copy_region(cls, value: str | None) -> str | None:
        if value is not None and not _REGION.match(value):
            raise ValueError(f"not an AWS region: {value!r}")
        return value


class EnvConfig(_Strict):
    name: str
    account_id: str
    region: str
    availability_zones: list[str] = Field(min_length=2)
    execution_role: ExecutionRole = Field(default_factory=ExecutionRole)
    state: StateConfig
    network: NetworkSettings = Field(default_factory=NetworkSettings)
    # Required: the groups are the environment's (its sizes and its instance types).
    node_groups: dict[str, NodeGroup] = Field(min_length=1)
    database: DatabaseSettings = Field(default_factory=DatabaseSettings)
    cache: CacheSettings = Field(default_factory=CacheSettings)
    eks: EksSettings = Field(default_factory=EksSettings)
    iam: IamSettings = Field(default_factory=IamSettings)
    # What the environment is for. Production (the default, so a forgotten key is not an escape)
    # must have an alarm subscriber; 90-monitoring receives the same value and refuses too.
    tier: Literal["production", "staging", "dev"] = "production"
    alarms: AlarmSettings = Field(default_factory=AlarmSettings)
    logs: LogSettings = Field(default_factory=LogSettings)
    cost: CostSettings | None = None
    backup: BackupSettings = Field(default_factory=BackupSettings)
    tags: dict[str, str]

    # Set by the loader, not by the file.
    path: Path | None = Field(default=None, exclude=True)

    @field_validator("account_id", mode="before")
    @classmethod
    def _account(cls, value: object) -> str:
        text = str(value)
        if not _ACCOUNT.match(text):
            raise ValueError(f"must be a 12-digit AWS account id (quote it in YAML), got {value!r}")
        return text

    @field_validator("region")
    @classmethod
    def _region(cls, value: str) -> str:
        if not _REGION.match(value):
            raise ValueError(f"not an AWS region: {value!r}")
        return value

    @field_validator("tags")
    @classmethod
    def _tags(cls, value: dict[str, str]) -> dict[str, str]:
        required = {"Project", "Environment", "Owner", "CostCenter", "ManagedBy"}
        missing = sorted(required - value.keys())
        if missing:
            raise ValueError(f"standard tags missing: {', '.join(missing)}")
        return value

    @model_validator(mode="after")
    def _alarm_subscriber(self) -> EnvConfig:
        if self.tier == "production" and not self.alarms.email_addresses:
            raise ValueError(
                "production environment has no alarm subscriber: set alarms.email_addresses"
                " (or tier: staging|dev if it is not production)"
            )
        return self

    @model_validator(mode="after")
    def _production_is_highly_available(self) -> EnvConfig:
        """plan.md's HA checklist (NAT per AZ, RDS Multi-AZ) holds for production; dev may save."""
        if self.tier != "production":
            return self
        if self.network.single_nat_gateway:
            raise ValueError("network.single_nat_gateway: a production environment keeps one NAT gateway per AZ")
        if self.database.instance_count < 2:
            raise ValueError("database.instance_count: a production environment needs a reader (2 or more)")
        return self

    @model_validator(mode="after")
    def _subnet_per_zone(self) -> EnvConfig:
        for tier in ("public", "private", "database", "pod"):
            cidrs = getattr(self.network, f"{tier}_subnet_cidrs")
            if len(cidrs) != len(self.availability_zones):
                raise ValueError(
                    f"network.{tier}_subnet_cidrs has {len(cidrs)} entries for"
                    f" {len(self.availability_zones)} availability_zones: one per zone, in the same order"
                )
        return self

    @field_validator("node_groups")
    @classmethod
    def _node_group_names(cls, value: dict[str, NodeGroup]) -> dict[str, NodeGroup]:
        for name in value:
            if not re.fullmatch(r"[a-z][a-z0-9-]{0,19}", name):
                raise ValueError(f"node group name {name!r}: lowercase letters, digits and -, up to 20 characters")
        return value

    @model_validator(mode="after")
    def _zones_in_region(self) -> EnvConfig:
        wrong = [az for az in self.availability_zones if not re.fullmatch(rf"{re.escape(self.region)}[a-z]", az)]
        if wrong:
            raise ValueError(f"availability_zones {wrong} are not zones of region {self.region}")
        return self

    @model_validator(mode="after")
    def _roles_in_this_account(self) -> EnvConfig:
        """The execution role and access-entry roles live in the environment's own account
        (bootstrap/10-iam-baseline creates them there; EKS access entries take only local principals)."""
        named = [("execution_role.arn", self.execution_role.arn)] if self.execution_role.arn else []
        for field in ("admin_role_arns", "developer_role_arns", "audit_role_arns", "ci_role_arns"):
            named += [(f"eks.{field}", arn) for arn in getattr(self.eks, field)]
        for field, arn in named:
            account = arn.split(":")[4]
            if account != self.account_id:
                raise ValueError(f"{field} {arn} is in account {account}, not this environment's {self.account_id}")
        return self

    @model_validator(mode="after")
    def _cluster_reachable(self) -> EnvConfig:
        if not self.eks.public_access_cidrs and not self.eks.runner_in_vpc:
            raise ValueError(
                "nothing outside the VPC can reach the EKS API: eks.public_access_cidrs is empty and"
                " eks.runner_in_vpc is false (list the Jenkins/VPN egress CIDRs, or set runner_in_vpc: true"
                " when orch runs inside the VPC)"
            )
        return self

    @property
    def directory(self) -> Path:
        assert self.path is not None
        return self.path.parent


def env_dir(name: str, repo_root: Path = REPO_ROOT) -> Path:
    return repo_root / LIVE_DIR / name


def available_envs(repo_root: Path = REPO_ROOT) -> list[str]:
    live = repo_root / LIVE_DIR
    return sorted(p.parent.name for p in live.glob(f"*/{ENV_FILE}"))


def load_env_file(path: Path) -> EnvConfig:
    """Parse and validate one env.yaml; errors name the file and the field."""
    if not path.is_file():
        raise ConfigError(f"{path}: environment file not found")
    try:
        raw = yaml.safe_load(path.read_text()) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ConfigError(f"{path}: not valid YAML{where}: {problem}") from None
    try:
        config = EnvConfig.model_validate(raw)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(str(p) for p in err['loc']) or '(top)'}: {err['msg']}" for err in exc.errors())
        raise ConfigError(f"{path}: {problems}") from None
    config.path = path
    _refuse_overlapping_environments(config, path)
    return config


def _refuse_overlapping_environments(config: EnvConfig, path: Path) -> None:
    """What two environments must never share, checked against every other env.yaml beside this one.

    - VPC ranges: environments are built to be connected one day (peering, Transit Gateway, one
      VPN); two VPCs whose ranges overlap never can be.
    - DNS: External DNS of two clusters that may change the same names in the same hosted zone
      overwrite each other's records (a domain filter covers its subdomains too).

    A neighbour that does not parse is its own run's error, not this one's. Only a file in an
    environments/LIVE/<env>/ folder has neighbours (a lone env.yaml elsewhere has none).
    """
    if path.parent.parent.name != LIVE_DIR.name:
        return
    mine = ipaddress.IPv4Network(config.network.vpc_cidr)
    for other in sorted(path.parent.parent.glob(f"*/{ENV_FILE}")):
        if other.resolve() == path.resolve():
            continue
        try:
            raw = yaml.safe_load(other.read_text()) or {}
            network = raw.get("network") or {}
            theirs = ipaddress.IPv4Network(network.get("vpc_cidr", NetworkSettings().vpc_cidr))
            eks = raw.get("eks") or {}
            their_zones = {str(z) for z in eks.get("route53_zone_arns") or []}
            their_domains = [str(d).lower().rstrip(".") for d in eks.get("external_dns_domain_filters") or []]
        except (OSError, yaml.YAMLError, ValueError, AttributeError, TypeError):
            continue
        if mine.overlaps(theirs):
            raise ConfigError(
                f"{path}: network.vpc_cidr {mine} overlaps {theirs} of {other}: environments need"
                " distinct ranges to be peered or share a VPN (choose another /16, e.g. 10.N.0.0/16)"
            )
        shared = sorted(set(config.eks.route53_zone_arns) & their_zones)
        mine_domains = [d.lower().rstrip(".") for d in config.eks.external_dns_domain_filters]
        clash = [(a, b) for a in mine_domains for b in their_domains if _covers(a, b) or _covers(b, a)]
        if shared and clash:
            raise ConfigError(
                f"{path}: eks.external_dns_domain_filters {clash[0][0]} and {clash[0][1]} of {other} overlap in"
                f" the same hosted zone {shared[0]}: both clusters' External DNS would change the same"
                " records (give each environment its own zone or disjoint domains)"
            )


def _covers(domain: str, name: str) -> bool:
    return name == domain or name.endswith("." + domain)


def load_env(name: str, repo_root: Path = REPO_ROOT) -> EnvConfig:
    """The environment called `name` (a folder under environments/LIVE)."""
    path = env_dir(name, repo_root) / ENV_FILE
    if not path.is_file():
        known = ", ".join(available_envs(repo_root)) or "none"
        raise ConfigError(f"unknown environment {name!r}: {path} not found (known: {known})")
    return load_env_file(path)
