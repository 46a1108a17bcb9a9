"""What runs in the environment: node groups, the database, the cache, their backups."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator, model_validator

from orchestrator.config.base import REGION, Strict


class NodeGroupTaint(Strict):
    key: str
    value: str | None = None
    effect: Literal["NO_SCHEDULE", "NO_EXECUTE", "PREFER_NO_SCHEDULE"]


class NodeGroup(Strict):
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


class DatabaseSettings(Strict):
    """`database:` block read by 60-database (terraform/modules/rds-aurora)."""

    instance_class: str = Field("db.r6g.large", pattern=r"^db\.(r|x|t4g)[0-9a-z]*\.[0-9a-z]+$")
    # 1: a writer alone (dev); production needs a reader to fail over to.
    instance_count: int = Field(2, ge=1, le=16)


class CacheSettings(Strict):
    """`cache:` block read by 70-cache (terraform/modules/elasticache-redis)."""

    node_type: str = Field("cache.r6g.large", pattern=r"^cache\.[a-z][0-9][a-z]*\.[0-9a-z]+$")
    num_node_groups: int = Field(2, ge=1, le=500)
    replicas_per_node_group: int = Field(1, ge=1, le=5)


class BackupSettings(Strict):
    """`backup:` block read by 85-backup."""

    retention_days: int = Field(7, ge=1, le=35)  # within the vault lock's 7-35 days
    copy_region: str | None = None
    copy_retention_days: int | None = Field(None, ge=1, le=35)

    @field_validator("copy_region")
    @classmethod
    def _copy_region(cls, value: str | None) -> str | None:
        if value is not None and not REGION.match(value):
            raise ValueError(f"not an AWS region: {value!r}")
        return value
