"""The parameter group of each cache cluster and replication group.

Why: moto neither checks nor shows the group a cluster uses. As on AWS: CreateReplicationGroup and
CreateCacheCluster check the group they are given (it exists and its family matches the engine
version; its cluster-enabled matches ClusterMode, which it decides when ClusterMode is not given)
and fall back to the family's default group; ModifyReplicationGroup switches groups. Clusters
(member clusters too) return CacheParameterGroup {CacheParameterGroupName, ParameterApplyStatus,
CacheNodeIdsToReboot}: `pending-reboot` after a change to a `requires-reboot` parameter of their group.
"""

from __future__ import annotations

from typing import Any

from moto.core.responses import ActionResult
from moto.elasticache.exceptions import InvalidParameterCombinationException, InvalidParameterValueException
from moto.elasticache.models import CacheCluster, ElastiCacheBackend
from moto.elasticache.responses import ElastiCacheResponse

from orchestrator.emulator.patches.elasticache.parameter_groups import find, store
from orchestrator.emulator.patches.elasticache.parameter_table import family_has_cluster_mode, family_of


def checked_group_name(
    backend: Any, name: str | None, engine: str | None, version: str | None, cluster_mode: str | None
) -> str:
    """The group a new cluster gets: the one given (checked like AWS), else its family's default."""
    family = family_of(engine, version)
    if not name:
        if family is None:
            # AWS's answer to an engine version it does not offer (e.g. valkey 9.0).
            raise InvalidParameterValueException(f"Cannot find version {version} for {(engine or 'redis').lower()}")
        enabled = (cluster_mode or "").lower() == "enabled"
        clustered = enabled and family_has_cluster_mode(family)
        return f"default.{family}.cluster.on" if clustered else f"default.{family}"
    group = find(backend, name)
    if family and group["CacheParameterGroupFamily"] != family:
        raise InvalidParameterCombinationException(
            f"Expected a parameter group of family {family} "
            f"but found one of family {group['CacheParameterGroupFamily']}"
        )
    return str(group["CacheParameterGroupName"])


def cluster_mode_of(backend: Any, name: str, cluster_mode: str | None) -> str | None:
    """ClusterMode as AWS settles it: from the group's cluster-enabled unless given, and never against it."""
    group_enabled = store(backend)[name]["Values"].get("cluster-enabled")
    if group_enabled is None:  # memcached and redis2.x have no cluster mode
        return cluster_mode
    if cluster_mode is None:
        return "enabled" if group_enabled == "yes" else "disabled"
    if cluster_mode.lower() == "enabled" and group_enabled != "yes":
        raise InvalidParameterCombinationException(
            f"Cluster mode is enabled but parameter group {name} has cluster-enabled set to no."
        )
    if cluster_mode.lower() == "disabled" and group_enabled == "yes":
        raise InvalidParameterCombinationException(
            f"Cluster mode is disabled but parameter group {name} has cluster-enabled set to yes."
        )
    return cluster_mode


def _switch_group(backend: Any, group_id: str, name: str) -> None:
    """ModifyReplicationGroup's CacheParameterGroupName: the group and its members use `name`."""
    group = backend.replication_groups[group_id]
    name = checked_group_name(backend, name, group.engine, group.engine_version, None)
    enabled = store(backend)[name]["Values"].get("cluster-enabled")
    if enabled is not None and (enabled == "yes") != (group.cluster_mode == "enabled"):
        raise InvalidParameterCombinationException(
            f"Parameter group {name} has cluster-enabled {enabled}, which does not match the replication group."
        )
    group.cache_parameter_group_name = name
    for member in group.member_clusters:
        if member in backend.cache_clusters:
            backend.cache_clusters[member].cache_parameter_group_name = name
            backend.cache_clusters[member].orch_parameter_apply_status = "in-sync"


def cache_parameter_group(self: Any) -> dict[str, Any] | None:
    name = getattr(self, "cache_parameter_group_name", None)
    if not name:
        return None
    status = getattr(self, "orch_parameter_apply_status", "in-sync")
    return {
        "CacheParameterGroupName": name,
        "ParameterApplyStatus": status,
        "CacheNodeIdsToReboot": ["0001"] if status == "pending-reboot" else [],
    }


def install() -> None:
    original_create_group = ElastiCacheBackend.create_replication_group
    original_create_cluster = ElastiCacheBackend.create_cache_cluster
    original_modify_group = ElastiCacheResponse.modify_replication_group

    def create_replication_group(self: Any, *args: Any, **kwargs: Any) -> Any:
        name = checked_group_name(
            self,
            kwargs.get("cache_parameter_group_name"),
            kwargs.get("engine"),
            kwargs.get("engine_version"),
            kwargs.get("cluster_mode"),
        )
        kwargs["cache_parameter_group_name"] = name
        kwargs["cluster_mode"] = cluster_mode_of(self, name, kwargs.get("cluster_mode"))
        return original_create_group(self, *args, **kwargs)

    def create_cache_cluster(self: Any, *args: Any, **kwargs: Any) -> Any:
        if not kwargs.get("replication_group_id"):
            kwargs["cache_parameter_group_name"] = checked_group_name(
                self, kwargs.get("cache_parameter_group_name"), kwargs.get("engine"), kwargs.get("engine_version"), None
            )
        return original_create_cluster(self, *args, **kwargs)

    def modify_replication_group(self: ElastiCacheResponse) -> ActionResult:
        params = self._get_params()
        group_id, name = params.get("ReplicationGroupId"), params.get("CacheParameterGroupName")
        if name and group_id in self.elasticache_backend.replication_groups:
            _switch_group(self.elasticache_backend, group_id, name)
        return original_modify_group(self)

    ElastiCacheResponse.modify_replication_group = modify_replication_group  # type: ignore[method-assign]  # replaces moto's method
    ElastiCacheBackend.create_replication_group = create_replication_group  # type: ignore[method-assign]  # replaces moto's method
    ElastiCacheBackend.create_cache_cluster = create_cache_cluster  # type: ignore[method-assign]  # replaces moto's method
    CacheCluster.cache_parameter_group = property(cache_parameter_group)  # type: ignore[attr-defined]  # new property: moto's model has none
