"""TestFailover, which moto lacks.

Why: docs/runbooks/redis-failover.md tests Multi-AZ failover one shard at a time with TestFailover
and reads its outcome from DescribeEvents (events.py). As on AWS (botocore's model and the
TestFailover documentation): the node group's primary and its first replica swap roles, and the
five events AWS documents for a test failover are recorded, in its order (the group's "Test
Failover API called", the cache cluster's and the group's "Failover from primary node ...
completed", the former primary's "Recovering cache nodes" and "Finished recovery").
NodeGroupMembers show CurrentRole only where AWS does, in cluster-mode-disabled groups; a
cluster-mode-enabled group keeps its primaries internally. Refused as AWS does: an unknown group
(ReplicationGroupNotFoundFault) or node group (NodeGroupNotFoundFault), a NodeGroupId that is not
1-4 digits (InvalidParameterValue), a group or member cluster that is not `available`
(InvalidReplicationGroupState, InvalidCacheClusterState), a group without automatic failover or a
node group without a replica (TestFailoverNotAvailableFault), more than 15 node groups in a rolling
24 hours (APICallRateForCustomerExceeded).

What AWS does over minutes happens at once here: the call answers the group with the roles
already swapped.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from moto.core.responses import ActionResult
from moto.core.utils import utcnow
from moto.elasticache.exceptions import ElastiCacheException, InvalidParameterValueException, ReplicationGroupNotFound
from moto.elasticache.responses import ElastiCacheResponse

from orchestrator.emulator.patches.elasticache.events import record

FAILOVERS_PER_DAY = 15


class NodeGroupNotFound(ElastiCacheException):
    code = "NodeGroupNotFoundFault"


class TestFailoverNotAvailable(ElastiCacheException):
    code = "TestFailoverNotAvailableFault"


class InvalidReplicationGroupState(ElastiCacheException):
    code = "InvalidReplicationGroupState"


class InvalidCacheClusterState(ElastiCacheException):
    code = "InvalidCacheClusterState"


class APICallRateForCustomerExceeded(ElastiCacheException):
    code = "APICallRateForCustomerExceeded"


def _primary_of(group: Any, node_group: dict[str, Any]) -> str:
    members = node_group["node_group_members"]
    for member in members:
        if member.get("current_role") == "primary":
            return str(member["cache_cluster_id"])
    primaries = getattr(group, "orch_primaries", {})
    return str(primaries.get(node_group["node_group_id"], members[0]["cache_cluster_id"]))


def _failover_target(backend: Any, group_id: str, node_group_id: str) -> tuple[Any, dict[str, Any], list[str]]:
    """The group, node group and member clusters a failover may be tested on, refused as AWS does."""
    if group_id not in backend.replication_groups:
        raise ReplicationGroupNotFound(group_id)
    if not node_group_id.isdigit() or not 1 <= len(node_group_id) <= 4:
        raise InvalidParameterValueException(
            f"The parameter NodeGroupId must be 1 to 4 digits; {node_group_id!r} is not valid."
        )
    group = backend.replication_groups[group_id]
    node_group = next((g for g in group.node_groups if g["node_group_id"] == node_group_id), None)
    if node_group is None:
        raise NodeGroupNotFound(f"Node group {node_group_id} not found in replication group {group_id}.")
    if group.status != "available":
        raise InvalidReplicationGroupState(
            f"Replication group {group_id} must be available to test a failover; it is {group.status}."
        )
    if group.automatic_failover != "enabled":
        raise TestFailoverNotAvailable(
            f"Test failover is not available for replication group {group_id}: automatic failover is disabled."
        )
    members = [str(m["cache_cluster_id"]) for m in node_group["node_group_members"]]
    if len(members) < 2:
        raise TestFailoverNotAvailable(
            f"Test failover is not available for node group {node_group_id} of replication group {group_id}: "
            "it has no replica."
        )
    for member in members:
        cluster = backend.cache_clusters.get(member)
        if cluster is not None and cluster.cache_cluster_status != "available":
            raise InvalidCacheClusterState(
                f"Cache cluster {member} must be available to test a failover; it is {cluster.cache_cluster_status}."
            )
    return group, node_group, members


def _count_call(backend: Any) -> None:
    now = utcnow()
    calls = [t for t in getattr(backend, "orch_failover_calls", []) if now - t < timedelta(hours=24)]
    if len(calls) >= FAILOVERS_PER_DAY:
        raise APICallRateForCustomerExceeded(
            f"TestFailover can test at most {FAILOVERS_PER_DAY} node groups in any rolling 24-hour period."
        )
    backend.orch_failover_calls = [*calls, now]


def test_failover(self: ElastiCacheResponse) -> ActionResult:
    backend = self.elasticache_backend
    group_id = str(self._get_param("ReplicationGroupId") or "")
    node_group_id = str(self._get_param("NodeGroupId") or "")
    group, node_group, members = _failover_target(backend, group_id, node_group_id)
    _count_call(backend)
    old = _primary_of(group, node_group)
    new = next(m for m in members if m != old)
    for member in node_group["node_group_members"]:
        if "current_role" in member:
            member["current_role"] = "primary" if member["cache_cluster_id"] == new else "replica"
    # moto models no primary in cluster mode: the group keeps its own.
    group.orch_primaries = {**getattr(group, "orch_primaries", {}), node_group_id: new}
    completed = f"Failover from primary node {old} to replica node {new} completed"
    record(backend, "replication-group", group_id, f"Test Failover API called for node group {node_group_id}")
    record(backend, "cache-cluster", old, completed)
    record(backend, "replication-group", group_id, completed)
    # A member cluster of a replication group has one cache node, 0001.
    record(backend, "cache-cluster", old, "Recovering cache nodes 0001")
    record(backend, "cache-cluster", old, "Finished recovery for cache nodes 0001")
    return ActionResult({"ReplicationGroup": group})


def install() -> None:
    ElastiCacheResponse.test_failover = test_failover  # type: ignore[attr-defined]  # an action moto lacks
