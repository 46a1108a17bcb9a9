"""docs/runbooks/redis-failover.md on the emulator: terraform/modules/elasticache-redis applied with the
real OpenTofu and AWS provider as 70-cache applies it (cluster mode, 2 shards x 1 replica, Multi-AZ,
automatic failover), then each `aws elasticache` command of the runbook as the same boto3 call, for
every shard in turn, its `--query` expression read from the runbook and evaluated with JMESPath (what
the CLI does); last, the plan the runbook's drift check stands for shows no changes.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import jmespath
import pytest

from tests.helpers import REPO, Emu, redis_module_config, tofu_runner

pytestmark = [pytest.mark.emulator, pytest.mark.engines]

RUNBOOK = (REPO / "docs/runbooks/redis-failover.md").read_text()
RG = "orch-eks-prod-redis"


def runbook_queries() -> dict[str, str]:
    """The runbook's `--query` expressions, by the command they belong to."""
    commands = re.findall(r"^aws elasticache ([a-z-]+)((?:.*\\\n)*.*)$", RUNBOOK, flags=re.MULTILINE)
    found: dict[str, str] = {}
    for name, rest in commands:
        query = re.search(r"--query '([^']+)'", rest)
        source = re.search(r"--source-type ([a-z-]+)", rest)
        if query:
            found[f"{name} {source.group(1)}" if source else name] = query.group(1)
    return found


def test_the_runbook_commands_are_the_ones_tested() -> None:
    assert set(runbook_queries()) == {
        "describe-replication-groups",
        "describe-events replication-group",
        "describe-events cache-cluster",
    }
    assert 'test-failover --replication-group-id "$RG" --node-group-id 0001' in RUNBOOK


def test_the_redis_failover_runbook_fails_over_each_shard(
    fresh_emu: Emu, engine_env: dict[str, str], tmp_path: Path
) -> None:
    (tmp_path / "main.tf").write_text(redis_module_config(fresh_emu.endpoint, RG, 42))
    run = tofu_runner(tmp_path, engine_env, fresh_emu.status.ca_bundle)
    assert (out := run("init")).returncode == 0, out.stdout + out.stderr
    assert (out := run("apply", "-auto-approve")).returncode == 0, out.stdout[-4000:] + out.stderr[-4000:]

    ec = fresh_emu.client("elasticache")
    queries = runbook_queries()

    def query(name: str, answer: dict[str, Any]) -> Any:
        return jmespath.search(queries[name], answer)

    # The runbook's commands, in order.
    shown = query("describe-replication-groups", ec.describe_replication_groups(ReplicationGroupId=RG))
    assert shown == {"status": "available", "failover": "enabled", "multiaz": "enabled", "shards": ["0001", "0002"]}
    for shard in shown["shards"]:
        ec.test_failover(ReplicationGroupId=RG, NodeGroupId=shard)
        group_events = query(
            "describe-events replication-group",
            ec.describe_events(SourceType="replication-group", SourceIdentifier=RG, Duration=60),
        )
        assert group_events[0][1] == (
            f"Failover from primary node {RG}-{shard}-001 to replica node {RG}-{shard}-002 completed"
        )
        node_events = query(
            "describe-events cache-cluster", ec.describe_events(SourceType="cache-cluster", Duration=60)
        )
        assert node_events[0][1:] == [f"{RG}-{shard}-001", "Finished recovery for cache nodes 0001"]

    # The whole test, oldest first: one shard after the other.
    answer = ec.describe_events(SourceType="replication-group", SourceIdentifier=RG, Duration=60)
    assert [message for _, message in reversed(query("describe-events replication-group", answer))] == [
        "Test Failover API called for node group 0001",
        f"Failover from primary node {RG}-0001-001 to replica node {RG}-0001-002 completed",
        "Test Failover API called for node group 0002",
        f"Failover from primary node {RG}-0002-001 to replica node {RG}-0002-002 completed",
    ]

    # Afterwards 70-cache is in sync: which node is primary is not part of the configuration.
    plan = run("plan", "-detailed-exitcode")
    assert plan.returncode == 0, plan.stdout[-4000:] + plan.stderr[-4000:]
