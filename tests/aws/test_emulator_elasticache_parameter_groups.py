"""ElastiCache cache parameter groups on the emulator (orchestrator.emulator.patches.elasticache).

moto has no parameter group API; the patch adds Create/Describe/Modify/Reset/DeleteCacheParameterGroup,
DescribeCacheParameters and DescribeEngineDefaultParameters, and makes replication groups and their
member clusters use and return a group. Each operation is checked through boto3 with its errors,
then the real OpenTofu and AWS provider apply a group with parameters and a replication group using
it, re-plan (no change) and change a parameter.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.helpers import REGION, Emu, emulator_provider, error_of, replication_group, tofu_runner

pytestmark = pytest.mark.emulator


def parameters(ec: Any, group: str, **kwargs: Any) -> dict[str, dict[str, Any]]:
    found = ec.describe_cache_parameters(CacheParameterGroupName=group, **kwargs)["Parameters"]
    return {p["ParameterName"]: p for p in found}


def test_create_and_describe_a_group(fresh_emu: Emu) -> None:
    ec = fresh_emu.client("elasticache")
    created = ec.create_cache_parameter_group(
        CacheParameterGroupName="App-Redis7",  # stored in lower case, as AWS does
        CacheParameterGroupFamily="redis7",
        Description="app parameters",
        Tags=[{"Key": "Team", "Value": "platform"}],
    )["CacheParameterGroup"]
    arn = f"arn:aws:elasticache:{REGION}:123456789012:parametergroup:app-redis7"
    assert created == {
        "CacheParameterGroupName": "app-redis7",
        "CacheParameterGroupFamily": "redis7",
        "Description": "app parameters",
        "IsGlobal": False,
        "ARN": arn,
    }
    assert ec.describe_cache_parameter_groups(CacheParameterGroupName="app-redis7")["CacheParameterGroups"] == [created]
    assert ec.list_tags_for_resource(ResourceName=arn)["TagList"] == [{"Key": "Team", "Value": "platform"}]

    assert error_of(
        ec.create_cache_parameter_group,
        CacheParameterGroupName="app-redis7",
        CacheParameterGroupFamily="redis7",
        Description="again",
    )[:2] == ("CacheParameterGroupAlreadyExists", 400)
    code, status, message = error_of(
        ec.create_cache_parameter_group,
        CacheParameterGroupName="bad",
        CacheParameterGroupFamily="redis9",
        Description="x",
    )
    assert (code, status) == ("InvalidParameterValue", 400) and "redis9" in message
    code, status, message = error_of(ec.describe_cache_parameter_groups, CacheParameterGroupName="nope")
    assert (code, status, message) == ("CacheParameterGroupNotFound", 404, "CacheParameterGroup not found: nope")

    # Every family AWS lists can be used; memcached has its own parameters.
    for family in ("redis2.6", "redis6.x", "valkey7", "valkey8", "memcached1.6"):
        ec.create_cache_parameter_group(
            CacheParameterGroupName=f"f-{family.replace('.', '-')}", CacheParameterGroupFamily=family, Description="f"
        )
    assert "max_item_size" in parameters(ec, "f-memcached1-6")
    assert "cluster-enabled" not in parameters(ec, "f-redis2-6") and "reserved-memory" in parameters(ec, "f-redis2-6")
    assert "hash-max-listpack-entries" in parameters(ec, "f-valkey8")


def test_default_groups_are_listed_with_marker_pagination(fresh_emu: Emu) -> None:
    ec = fresh_emu.client("elasticache")
    for own in ("zz-own", "zz-own-2"):  # 19 default groups (7 cluster.on among them) and these: 2 pages of 20
        ec.create_cache_parameter_group(
            CacheParameterGroupName=own, CacheParameterGroupFamily="redis7", Description="o"
        )
    names: list[str] = []
    marker: str | None = None
    pages = 0
    while True:
        page = ec.describe_cache_parameter_groups(MaxRecords=20, **({"Marker": marker} if marker else {}))
        pages += 1
        assert len(page["CacheParameterGroups"]) <= 20
        names += [g["CacheParameterGroupName"] for g in page["CacheParameterGroups"]]
        marker = page.get("Marker")
        if not marker:
            break
    assert pages == 2 and len(names) == len(set(names))
    assert {"default.redis7", "default.redis7.cluster.on", "default.valkey8", "default.memcached1.6", "zz-own"} <= set(
        names
    )
    assert "default.redis2.6.cluster.on" not in names  # no cluster mode before redis3.2
    paginated = ec.get_paginator("describe_cache_parameter_groups").paginate(PaginationConfig={"PageSize": 20})
    assert [g["CacheParameterGroupName"] for p in paginated for g in p["CacheParameterGroups"]] == names
    assert error_of(ec.describe_cache_parameter_groups, MaxRecords=5)[:2] == ("InvalidParameterValue", 400)

    on = parameters(ec, "default.redis7.cluster.on")["cluster-enabled"]
    assert on["ParameterValue"] == "yes" and on["Source"] == "system"
    assert parameters(ec, "default.redis7")["cluster-enabled"]["ParameterValue"] == "no"


def test_parameters_have_aws_shapes_and_pages(fresh_emu: Emu) -> None:
    ec = fresh_emu.client("elasticache")
    ec.create_cache_parameter_group(
        CacheParameterGroupName="shapes", CacheParameterGroupFamily="redis7", Description="s"
    )
    first = ec.describe_cache_parameters(CacheParameterGroupName="shapes", MaxRecords=20)
    assert len(first["Parameters"]) == 20 and first["Marker"] and first["CacheNodeTypeSpecificParameters"] == []
    everything = [
        p
        for page in ec.get_paginator("describe_cache_parameters").paginate(
            CacheParameterGroupName="shapes", PaginationConfig={"PageSize": 20}
        )
        for p in page["Parameters"]
    ]
    by_name = {p["ParameterName"]: p for p in everything}
    assert len(everything) == len(by_name) > 40
    assert by_name["cluster-enabled"] == {
        "ParameterName": "cluster-enabled",
        "ParameterValue": "no",
        "Description": "Enable cluster mode",
        "Source": "system",
        "DataType": "string",
        "AllowedValues": "yes,no",
        "IsModifiable": True,
        "MinimumEngineVersion": "7.0.4",
        "ChangeType": "requires-reboot",
    }
    policy = by_name["maxmemory-policy"]
    assert policy["ParameterValue"] == "volatile-lru" and "allkeys-lfu" in policy["AllowedValues"]
    assert policy["ChangeType"] == "immediate"
    assert by_name["maxclients"]["IsModifiable"] is False and by_name["maxclients"]["DataType"] == "integer"
    assert by_name["notify-keyspace-events"]["ParameterValue"] in ("", None)
    assert "hash-max-ziplist-entries" not in by_name  # redis7 lists listpack instead
    assert ec.describe_cache_parameters(CacheParameterGroupName="shapes", Source="user")["Parameters"] == []
    assert error_of(ec.describe_cache_parameters, CacheParameterGroupName="nope")[:2] == (
        "CacheParameterGroupNotFound",
        404,
    )

    defaults = ec.describe_engine_default_parameters(CacheParameterGroupFamily="redis7", MaxRecords=100)
    engine = defaults["EngineDefaults"]
    assert engine["CacheParameterGroupFamily"] == "redis7" and "Marker" not in engine
    assert {p["ParameterName"] for p in engine["Parameters"]} == set(by_name)
    assert error_of(ec.describe_engine_default_parameters, CacheParameterGroupFamily="redis9")[0] == (
        "InvalidParameterValue"
    )


def test_modify_and_reset_parameters(fresh_emu: Emu) -> None:
    ec = fresh_emu.client("elasticache")
    ec.create_cache_parameter_group(
        CacheParameterGroupName="tuned", CacheParameterGroupFamily="redis7", Description="t"
    )
    answer = ec.modify_cache_parameter_group(
        CacheParameterGroupName="tuned",
        ParameterNameValues=[
            {"ParameterName": "cluster-enabled", "ParameterValue": "yes"},
            {"ParameterName": "maxmemory-policy", "ParameterValue": "allkeys-lru"},
            {"ParameterName": "slowlog-log-slower-than", "ParameterValue": "5000"},
        ],
    )
    assert answer["CacheParameterGroupName"] == "tuned"
    user = parameters(ec, "tuned", Source="user")
    assert {n: (p["ParameterValue"], p["Source"]) for n, p in user.items()} == {
        "cluster-enabled": ("yes", "user"),
        "maxmemory-policy": ("allkeys-lru", "user"),
        "slowlog-log-slower-than": ("5000", "user"),
    }
    assert "cluster-enabled" not in parameters(ec, "tuned", Source="system")

    def modify_error(name: str, value: str) -> tuple[str, int, str]:
        return error_of(
            ec.modify_cache_parameter_group,
            CacheParameterGroupName="tuned",
            ParameterNameValues=[{"ParameterName": name, "ParameterValue": value}],
        )

    assert modify_error("no-such-parameter", "1")[:2] == ("InvalidParameterValue", 400)
    assert "doesn't exist" in modify_error("no-such-parameter", "1")[2]
    assert modify_error("maxmemory-policy", "sometimes")[0] == "InvalidParameterValue"
    assert modify_error("hz", "501")[0] == "InvalidParameterValue"
    assert modify_error("timeout", "10")[0] == "InvalidParameterValue"  # 0 or 20 and more
    assert modify_error("maxclients", "100")[0] == "InvalidParameterValue"  # not modifiable
    assert modify_error("reserved-memory", "0")[0] == "InvalidParameterValue"  # not in redis7
    too_many = [{"ParameterName": "hz", "ParameterValue": "10"}] * 21
    assert error_of(ec.modify_cache_parameter_group, CacheParameterGroupName="tuned", ParameterNameValues=too_many)[
        0
    ] == ("InvalidParameterCombination")
    assert error_of(
        ec.modify_cache_parameter_group,
        CacheParameterGroupName="nope",
        ParameterNameValues=[{"ParameterName": "hz", "ParameterValue": "20"}],
    )[:2] == ("CacheParameterGroupNotFound", 404)
    assert (
        error_of(
            ec.modify_cache_parameter_group,
            CacheParameterGroupName="default.redis7",
            ParameterNameValues=[{"ParameterName": "hz", "ParameterValue": "20"}],
        )[0]
        == "InvalidParameterValue"
    )
    assert parameters(ec, "tuned")["hz"]["ParameterValue"] == "10"  # a refused request changes nothing

    ec.reset_cache_parameter_group(
        CacheParameterGroupName="tuned", ParameterNameValues=[{"ParameterName": "maxmemory-policy"}]
    )
    reset = parameters(ec, "tuned")["maxmemory-policy"]
    assert (reset["ParameterValue"], reset["Source"]) == ("volatile-lru", "system")
    assert set(parameters(ec, "tuned", Source="user")) == {"cluster-enabled", "slowlog-log-slower-than"}
    assert (
        error_of(
            ec.reset_cache_parameter_group,
            CacheParameterGroupName="tuned",
            ParameterNameValues=[{"ParameterName": "reserved-memory"}],
        )[2]
        == "Parameter reserved-memory doesn't exist"
    )
    assert (
        error_of(
            ec.reset_cache_parameter_group,
            CacheParameterGroupName="tuned",
            ResetAllParameters=True,
            ParameterNameValues=[{"ParameterName": "hz"}],
        )[0]
        == "InvalidParameterCombination"
    )
    ec.reset_cache_parameter_group(CacheParameterGroupName="tuned", ResetAllParameters=True)
    assert parameters(ec, "tuned", Source="user") == {}
    assert parameters(ec, "tuned")["cluster-enabled"]["ParameterValue"] == "no"


def member_groups(ec: Any, group: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        ec.describe_cache_clusters(CacheClusterId=m)["CacheClusters"][0]["CacheParameterGroup"]
        for m in group["MemberClusters"]
    ]


def test_replication_groups_use_and_hold_their_group(fresh_emu: Emu) -> None:
    ec = fresh_emu.client("elasticache")
    ec.create_cache_parameter_group(CacheParameterGroupName="app", CacheParameterGroupFamily="redis7", Description="a")
    ec.modify_cache_parameter_group(
        CacheParameterGroupName="app",
        ParameterNameValues=[{"ParameterName": "cluster-enabled", "ParameterValue": "yes"}],
    )
    group = replication_group(
        ec, "app", CacheParameterGroupName="app", ClusterMode="enabled", NumNodeGroups=2, ReplicasPerNodeGroup=1
    )
    assert group["ClusterEnabled"] is True and len(group["MemberClusters"]) == 4
    assert (
        member_groups(ec, group)
        == [{"CacheParameterGroupName": "app", "ParameterApplyStatus": "in-sync", "CacheNodeIdsToReboot": []}] * 4
    )

    # A group in use cannot be deleted; a requires-reboot change leaves its clusters pending-reboot.
    code, status, message = error_of(ec.delete_cache_parameter_group, CacheParameterGroupName="app")
    assert (code, status) == ("InvalidCacheParameterGroupState", 400) and "app-0001-001" in message
    ec.modify_cache_parameter_group(
        CacheParameterGroupName="app",
        ParameterNameValues=[{"ParameterName": "maxmemory-policy", "ParameterValue": "noeviction"}],
    )
    assert {g["ParameterApplyStatus"] for g in member_groups(ec, group)} == {"in-sync"}
    ec.modify_cache_parameter_group(
        CacheParameterGroupName="app", ParameterNameValues=[{"ParameterName": "databases", "ParameterValue": "32"}]
    )
    assert {g["ParameterApplyStatus"] for g in member_groups(ec, group)} == {"pending-reboot"}

    # Without a group, a cluster gets its family's default group; ClusterMode follows cluster-enabled.
    plain = replication_group(ec, "plain", NumCacheClusters=2)
    assert member_groups(ec, plain)[0]["CacheParameterGroupName"] == "default.redis7"
    sharded = replication_group(ec, "sharded", ClusterMode="enabled", NumNodeGroups=2, ReplicasPerNodeGroup=0)
    assert member_groups(ec, sharded)[0]["CacheParameterGroupName"] == "default.redis7.cluster.on"
    decided = replication_group(ec, "decided", CacheParameterGroupName="default.redis7.cluster.on", NumNodeGroups=2)
    assert decided["ClusterEnabled"] is True

    assert error_of(replication_group, ec=ec, group_id="lost", CacheParameterGroupName="nope")[:2] == (
        "CacheParameterGroupNotFound",
        404,
    )
    ec.create_cache_parameter_group(
        CacheParameterGroupName="old", CacheParameterGroupFamily="redis6.x", Description="o"
    )
    code, _, message = error_of(replication_group, ec=ec, group_id="old", CacheParameterGroupName="old")
    assert code == "InvalidParameterCombination" and "family redis7" in message
    assert (
        error_of(
            replication_group,
            ec=ec,
            group_id="mixed",
            CacheParameterGroupName="default.redis7",
            ClusterMode="enabled",
            NumNodeGroups=2,
        )[0]
        == "InvalidParameterCombination"
    )
    with pytest.raises(ClientError):
        ec.describe_replication_groups(ReplicationGroupId="lost")
    # An engine version AWS does not offer: its 400, not the server's 500.
    unknown = error_of(
        ec.create_replication_group,
        ReplicationGroupId="future",
        ReplicationGroupDescription="future",
        Engine="valkey",
        EngineVersion="9.0",
        CacheNodeType="cache.t4g.micro",
    )
    assert unknown[:2] == ("InvalidParameterValue", 400) and "Cannot find version 9.0 for valkey" in unknown[2]

    # Switching the group of a replication group; the old one is free to go then.
    ec.create_cache_parameter_group(CacheParameterGroupName="app2", CacheParameterGroupFamily="redis7", Description="b")
    ec.modify_cache_parameter_group(
        CacheParameterGroupName="app2",
        ParameterNameValues=[{"ParameterName": "cluster-enabled", "ParameterValue": "yes"}],
    )
    ec.modify_replication_group(ReplicationGroupId="app", CacheParameterGroupName="app2", ApplyImmediately=True)
    assert {g["CacheParameterGroupName"] for g in member_groups(ec, group)} == {"app2"}
    ec.delete_cache_parameter_group(CacheParameterGroupName="app")
    assert (
        error_of(ec.describe_cache_parameter_groups, CacheParameterGroupName="app")[0] == "CacheParameterGroupNotFound"
    )
    assert error_of(ec.delete_cache_parameter_group, CacheParameterGroupName="app")[:2] == (
        "CacheParameterGroupNotFound",
        404,
    )
    assert error_of(ec.delete_cache_parameter_group, CacheParameterGroupName="default.redis7")[0] == (
        "InvalidCacheParameterGroupState"
    )
    ec.delete_replication_group(ReplicationGroupId="app")  # a group being deleted no longer holds app2
    ec.delete_cache_parameter_group(CacheParameterGroupName="app2")


# ------------------------------------------------------------------ the real provider

PROVIDER_CONFIG = """
resource "aws_elasticache_parameter_group" "this" {{
  name        = "prov-redis7"
  family      = "redis7"
  description = "provider test"

  parameter {{
    name  = "cluster-enabled"
    value = "yes"
  }}
  parameter {{
    name  = "maxmemory-policy"
    value = "{policy}"
  }}
  parameter {{
    name  = "slowlog-log-slower-than"
    value = "10000"
  }}

  tags = {{ Name = "prov-redis7" }}
}}

resource "aws_elasticache_replication_group" "this" {{
  replication_group_id       = "prov-redis"
  description                = "provider test"
  engine                     = "redis"
  engine_version             = "7.1"
  node_type                  = "cache.t4g.micro"
  parameter_group_name       = aws_elasticache_parameter_group.this.name
  cluster_mode               = "enabled"
  num_node_groups            = 2
  replicas_per_node_group    = 1
  automatic_failover_enabled = true
  apply_immediately          = true
}}
"""


@pytest.mark.engines
def test_provider_applies_a_parameter_group_and_a_replication_group_using_it(
    fresh_emu: Emu, engine_env: dict[str, str], tmp_path: Path
) -> None:
    run = tofu_runner(tmp_path, engine_env, fresh_emu.status.ca_bundle)

    def configure(policy: str) -> None:
        (tmp_path / "main.tf").write_text(
            emulator_provider(fresh_emu.endpoint, "ec2", "elasticache", "sts")
            + PROVIDER_CONFIG.format(region=REGION, endpoint=fresh_emu.endpoint, policy=policy)
        )

    configure("volatile-lru")
    assert (out := run("init")).returncode == 0, out.stdout + out.stderr
    assert (out := run("apply", "-auto-approve")).returncode == 0, out.stdout[-3000:] + out.stderr[-3000:]
    assert (out := run("plan", "-detailed-exitcode")).returncode == 0, out.stdout[-3000:] + out.stderr[-3000:]

    ec = fresh_emu.client("elasticache")
    group = ec.describe_replication_groups(ReplicationGroupId="prov-redis")["ReplicationGroups"][0]
    assert {g["CacheParameterGroupName"] for g in member_groups(ec, group)} == {"prov-redis7"}
    user = parameters(ec, "prov-redis7", Source="user")
    assert {n: p["ParameterValue"] for n, p in user.items()} == {
        "cluster-enabled": "yes",
        "maxmemory-policy": "volatile-lru",
        "slowlog-log-slower-than": "10000",
    }

    configure("allkeys-lfu")  # one parameter changes in place: ModifyCacheParameterGroup
    assert (out := run("apply", "-auto-approve")).returncode == 0, out.stdout[-3000:] + out.stderr[-3000:]
    assert "0 added, 1 changed, 0 destroyed" in out.stdout
    assert parameters(ec, "prov-redis7", Source="user")["maxmemory-policy"]["ParameterValue"] == "allkeys-lfu"
    assert (out := run("plan", "-detailed-exitcode")).returncode == 0, out.stdout[-3000:] + out.stderr[-3000:]
