"""ElastiCache: what moto leaves out of replication groups."""

from __future__ import annotations

from typing import Any


def install() -> None:
    _register_replication_group_members()


def _register_replication_group_members() -> None:
    """Fill one moto gap that no module switch can avoid.

    moto's CreateReplicationGroup lists member clusters (0001-001, ...) but registers no cache
    cluster for them, so DescribeCacheClusters on a member fails and the AWS provider cannot read
    any replication group back. Real AWS creates those clusters; here they are registered with the
    group's settings.
    """
    from moto.elasticache.models import CacheCluster, ElastiCacheBackend

    original = ElastiCacheBackend.create_replication_group

    def create_replication_group(self: Any, *args: Any, **kwargs: Any) -> Any:
        group = original(self, *args, **kwargs)
        for member in group.member_clusters:
            if member in self.cache_clusters:
                continue
            cluster = CacheCluster(
                account_id=self.account_id,
                region_name=self.region_name,
                cache_cluster_id=member,
                cache_node_type=getattr(group, "cache_node_type", None),
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
            cluster.at_rest_encryption_enabled = getattr(group, "at_rest_encryption_enabled", False)
            cluster.auth_token_enabled = getattr(group, "auth_token_enabled", False)
            cluster.transit_encryption_mode = getattr(group, "transit_encryption_mode", None)
            sg_ids = kwargs.get("security_group_ids") or getattr(group, "security_group_ids", None) or []
            cluster.security_groups = [{"SecurityGroupId": sg, "Status": "active"} for sg in sg_ids]
            self.cache_clusters[member] = cluster
        return group

    ElastiCacheBackend.create_replication_group = create_replication_group  # type: ignore[method-assign]
