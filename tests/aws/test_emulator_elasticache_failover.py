"""ElastiCache TestFailover and DescribeEvents on the emulator (orchestrator.emulator.patches.elasticache).

moto has neither; the patch swaps the node group's primary and replica and records the events AWS
documents for a test failover. Each case is a boto3 call against a real emulator process, with the
error codes and HTTP statuses of botocore's elasticache model.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.helpers import Emu, error_of, replication_group

pytestmark = pytest.mark.emulator


def roles(group: dict[str, Any]) -> dict[str, str]:
    return {m["CacheClusterId"]: m.get("CurrentRole", "") for m in group["NodeGroups"][0]["NodeGroupMembers"]}


def messages(ec: Any, **kwargs: Any) -> list[tuple[str, str, str]]:
    return [(e["SourceType"], e["SourceIdentifier"], e["Message"]) for e in ec.describe_events(**kwargs)["Events"]]


def test_failover_swaps_the_primary_of_a_cluster_mode_disabled_group(fresh_emu: Emu) -> None:
    ec = fresh_emu.client("elasticache")
    created = replication_group(ec, "plain", NumCacheClusters=2, AutomaticFailoverEnabled=True, MultiAZEnabled=True)
    # NumCacheClusters alone makes the replica (moto made one cluster).
    assert created["MemberClusters"] == ["plain-001", "plain-002"]
    assert roles(created) == {"plain-001": "primary", "plain-002": "replica"}

    answered = ec.test_failover(ReplicationGroupId="plain", NodeGroupId="0001")["ReplicationGroup"]
    assert answered["ReplicationGroupId"] == "plain"
    assert roles(answered) == {"plain-001": "replica", "plain-002": "primary"}
    described = ec.describe_replication_groups(ReplicationGroupId="plain")["ReplicationGroups"][0]
    assert roles(described) == {"plain-001": "replica", "plain-002": "primary"}
    assert described["Status"] == "available"

    # The events AWS documents for a test failover, newest first.
    completed = "Failover from primary node plain-001 to replica node plain-002 completed"
    assert messages(ec, Duration=60) == [
        ("cache-cluster", "plain-001", "Finished recovery for cache nodes 0001"),
        ("cache-cluster", "plain-001", "Recovering cache nodes 0001"),
        ("replication-group", "plain", completed),
        ("cache-cluster", "plain-001", completed),
        ("replication-group", "plain", "Test Failover API called for node group 0001"),
    ]
    dates = [e["Date"] for e in ec.describe_events()["Events"]]
    assert dates == sorted(dates, reverse=True) and len(set(dates)) == len(dates)

    # A second test fails back.
    ec.test_failover(ReplicationGroupId="plain", NodeGroupId="0001")
    described = ec.describe_replication_groups(ReplicationGroupId="plain")["ReplicationGroups"][0]
    assert roles(described) == {"plain-001": "primary", "plain-002": "replica"}
    assert messages(ec, SourceType="replication-group", SourceIdentifier="plain")[0] == (
        "replication-group",
        "plain",
        "Failover from primary node plain-002 to replica node plain-001 completed",
    )


def test_failover_of_one_shard_of_a_cluster_mode_enabled_group(fresh_emu: Emu) -> None:
    ec = fresh_emu.client("elasticache")
    replication_group(
        ec,
        "sharded",
        ClusterMode="enabled",
        CacheParameterGroupName="default.redis7.cluster.on",
        NumNodeGroups=2,
        ReplicasPerNodeGroup=1,
        AutomaticFailoverEnabled=True,
        MultiAZEnabled=True,
    )
    answered = ec.test_failover(ReplicationGroupId="sharded", NodeGroupId="0002")["ReplicationGroup"]
    # AWS shows no CurrentRole in cluster mode: the events name the new primary.
    assert all("CurrentRole" not in m for g in answered["NodeGroups"] for m in g["NodeGroupMembers"])
    group_events = messages(ec, SourceType="replication-group", SourceIdentifier="sharded")
    assert group_events == [
        (
            "replication-group",
            "sharded",
            "Failover from primary node sharded-0002-001 to replica node sharded-0002-002 completed",
        ),
        ("replication-group", "sharded", "Test Failover API called for node group 0002"),
    ]
    assert [m[2] for m in messages(ec, SourceType="cache-cluster", SourceIdentifier="sharded-0002-001")] == [
        "Finished recovery for cache nodes 0001",
        "Recovering cache nodes 0001",
        "Failover from primary node sharded-0002-001 to replica node sharded-0002-002 completed",
    ]
    assert messages(ec, SourceType="cache-cluster", SourceIdentifier="sharded-0001-001") == []
    # Shard 0002's primary is now its second member: the next test of that shard fails back.
    ec.test_failover(ReplicationGroupId="sharded", NodeGroupId="0002")
    assert messages(ec, SourceType="replication-group", SourceIdentifier="sharded")[0][2] == (
        "Failover from primary node sharded-0002-002 to replica node sharded-0002-001 completed"
    )


def test_failover_errors(fresh_emu: Emu) -> None:
    ec = fresh_emu.client("elasticache")
    replication_group(ec, "ha", NumCacheClusters=2, AutomaticFailoverEnabled=True)
    replication_group(ec, "single", NumCacheClusters=1)
    replication_group(ec, "manual", NumCacheClusters=2, AutomaticFailoverEnabled=False)
    replication_group(
        ec,
        "noreplica",
        ClusterMode="enabled",
        CacheParameterGroupName="default.redis7.cluster.on",
        NumNodeGroups=2,
        ReplicasPerNodeGroup=0,
        AutomaticFailoverEnabled=True,
    )

    code, status, message = error_of(ec.test_failover, ReplicationGroupId="missing", NodeGroupId="0001")
    assert (code, status) == ("ReplicationGroupNotFoundFault", 404) and "missing" in message
    code, status, message = error_of(ec.test_failover, ReplicationGroupId="ha", NodeGroupId="0002")
    assert (code, status) == ("NodeGroupNotFoundFault", 404) and "0002" in message
    for bad in ("00001", "abc"):
        assert error_of(ec.test_failover, ReplicationGroupId="ha", NodeGroupId=bad)[:2] == (
            "InvalidParameterValue",
            400,
        )
    for group_id, node_group in (("single", "0001"), ("manual", "0001"), ("noreplica", "0001")):
        code, status, _ = error_of(ec.test_failover, ReplicationGroupId=group_id, NodeGroupId=node_group)
        assert (code, status) == ("TestFailoverNotAvailableFault", 400), group_id
    ec.delete_replication_group(ReplicationGroupId="manual")
    code, status, message = error_of(ec.test_failover, ReplicationGroupId="manual", NodeGroupId="0001")
    assert (code, status) == ("InvalidReplicationGroupState", 400) and "deleting" in message
    assert ec.describe_events()["Events"] == []  # refused calls record nothing

    # At most 15 node groups in a rolling 24 hours, whatever the groups.
    for _ in range(15):
        ec.test_failover(ReplicationGroupId="ha", NodeGroupId="0001")
    assert error_of(ec.test_failover, ReplicationGroupId="ha", NodeGroupId="0001")[:2] == (
        "APICallRateForCustomerExceeded",
        400,
    )


def test_describe_events_window_and_pages(fresh_emu: Emu) -> None:
    ec = fresh_emu.client("elasticache")
    replication_group(ec, "ha", NumCacheClusters=2, AutomaticFailoverEnabled=True)
    for _ in range(5):
        ec.test_failover(ReplicationGroupId="ha", NodeGroupId="0001")  # 25 events

    first = ec.describe_events(MaxRecords=20)
    assert len(first["Events"]) == 20 and first["Marker"]
    rest = ec.describe_events(MaxRecords=20, Marker=first["Marker"])
    assert len(rest["Events"]) == 5 and "Marker" not in rest
    paged = [
        e
        for page in ec.get_paginator("describe_events").paginate(PaginationConfig={"PageSize": 20})
        for e in page["Events"]
    ]
    assert paged == first["Events"] + rest["Events"]

    now = datetime.now(UTC)
    assert ec.describe_events(StartTime=now - timedelta(days=1), EndTime=now - timedelta(hours=2))["Events"] == []
    assert len(ec.describe_events(StartTime=now - timedelta(minutes=5))["Events"]) == 25
    assert len(ec.describe_events(SourceType="cache-cluster")["Events"]) == 15
    assert ec.describe_events(SourceType="user-group")["Events"] == []

    assert error_of(ec.describe_events, MaxRecords=10)[:2] == ("InvalidParameterValue", 400)
    assert error_of(ec.describe_events, SourceType="database")[:2] == ("InvalidParameterValue", 400)
