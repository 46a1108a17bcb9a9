"""Replication groups: the member cache clusters and the replicas moto's CreateReplicationGroup
leaves out.

Why (member clusters): moto's CreateReplicationGroup lists member clusters (0001-001, ...) but
registers no cache cluster for them, so DescribeCacheClusters on a member fails and the AWS
provider cannot read any replication group back. Real AWS creates those clusters; here they are
registered with the group's settings.

Why (replicas): moto ignores NumCacheClusters when ReplicasPerNodeGroup is not given: a
cluster-mode-disabled group asked for 2 clusters got 1, so it had no replica to fail over to. It
gets its replicas here.
"""

from __future__ import annotations

from typing import Any

from moto.elasticache.models import CacheCluster, ElastiCacheBackend, ReplicationGroup


def _member_cluster(backend: Any, group: Any, member: str, kwargs: dict[str, Any]) -> CacheCluster:
    """A member cache cluster with its group's settings (a mirror of moto's CacheCluster constructor)."""
    cluster = CacheCluster(
        account_id=backend.account_id,
        region_name=backend.region_name,
        cache_cluster_id=member,
        cache_node_type=group.cache_node_type,
        replication_group_id=group.replication_group_id,
        az_mode=None,
        preferred_availability_zone=None,
        num_cache_nodes=1,
        engine=getattr(group, "engine", "redis"),
        engine_version=getattr(group, "engine_version", None),
        cache_parameter_group_name=getattr(group, "cache_parameter_group_name", None),
        cache_subnet_group_name=getattr(group, "cache_subnet_group_name", None),
        transit_encryption_enabled=getattr(group, "transit_encryption_enabled", None),
        network_type=None,
        ip_discovery=None,
        snapshot_name=None,
        preferred_maintenance_window=getattr(group, "preferred_maintenance_window", None),
        port=group.port,
        notification_topic_arn=None,
        auto_minor_version_upgrade=getattr(group, "auto_minor_version_upgrade", None),
        snapshot_retention_limit=getattr(group, "snapshot_retention_limit", None),
        snapshot_window=getattr(group, "snapshot_window", None),
        auth_token=getattr(group, "auth_token", None),
        outpost_mode=None,
        preferred_outpost_arn=None,
        preferred_availability_zones=None,
        cache_security_group_names=None,
        security_group_ids=getattr(group, "security_group_ids", None),
        tags=None,
        snapshot_arns=None,
        preferred_outpost_arns=None,
        log_delivery_configurations=[],
        cache_node_ids_to_remove=None,
        cache_node_ids_to_reboot=None,
    )
    # What the provider reads from the first member (setFromCacheCluster) must match the group.
    cluster.at_rest_encryption_enabled = getattr(group, "at_rest_encryption_enabled", False)  # type: ignore[attr-defined]  # serialized by moto; not a CacheCluster attribute
    cluster.auth_token_enabled = getattr(group, "auth_token_enabled", False)
    cluster.transit_encryption_mode = getattr(group, "transit_encryption_mode", None)  # type: ignore[attr-defined]  # serialized by moto; not a CacheCluster attribute
    sg_ids = kwargs.get("security_group_ids") or getattr(group, "security_group_ids", None) or []
    cluster.security_groups = [{"SecurityGroupId": sg, "Status": "active"} for sg in sg_ids]  # type: ignore[attr-defined]  # serialized by moto; not a CacheCluster attribute
    return cluster


def _register_members(backend: Any, group: Any, kwargs: dict[str, Any]) -> None:
    for member in group.member_clusters:
        if member not in backend.cache_clusters:
            backend.cache_clusters[member] = _member_cluster(backend, group, member, kwargs)


def install() -> None:
    original_create = ElastiCacheBackend.create_replication_group

    def create_replication_group(self: Any, *args: Any, **kwargs: Any) -> Any:
        group = original_create(self, *args, **kwargs)
        _register_members(self, group, kwargs)
        return group

    original_members = ReplicationGroup._set_node_members_clusters_disabled

    def set_node_members_clusters_disabled(self: Any, **kwargs: Any) -> None:
        if not kwargs.get("replicas_per_node_group") and (kwargs.get("num_cache_clusters") or 1) > 1:
            kwargs["replicas_per_node_group"] = kwargs["num_cache_clusters"] - 1
        original_members(self, **kwargs)

    ElastiCacheBackend.create_replication_group = create_replication_group  # type: ignore[method-assign]  # replaces moto's method
    ReplicationGroup._set_node_members_clusters_disabled = set_node_members_clusters_disabled  # type: ignore[method-assign,assignment]  # keyword-only wrapper of moto's method
