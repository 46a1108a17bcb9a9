"""The whole env.yaml: `EnvConfig` and the checks that span its blocks."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator, model_validator

from orchestrator.config.access import EksSettings, ExecutionRole, IamSettings
from orchestrator.config.base import ACCOUNT, REGION, Strict
from orchestrator.config.monitoring import AlarmSettings, CostSettings, LogSettings
from orchestrator.config.network import NetworkSettings
from orchestrator.config.state import StateConfig
from orchestrator.config.workloads import BackupSettings, CacheSettings, DatabaseSettings, NodeGroup

ENV_FILE = "env.yaml"
LIVE_DIR = Path("environments") / "LIVE"


class EnvConfig(Strict):
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
        if not ACCOUNT.match(text):
            raise ValueError(f"must be a 12-digit AWS account id (quote it in YAML), got {value!r}")
        return text

    @field_validator("region")
    @classmethod
    def _region(cls, value: str) -> str:
        if not REGION.match(value):
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
