"""eks-staging and eks-dev, applied whole by `orch --local apply --all`, each in an emulator account of
its own (the account its env.yaml names), and read back with boto3: the same units as eks-prod, with
each environment's numbers (issue 19).

Both environments come up at once, each with its own emulator: most of a whole-platform apply is the
provider waiting on Aurora, ElastiCache and EFS, so two overlap well on two cores. Everything is real:
orch as a subprocess, Terragrunt, OpenTofu, the AWS provider and moto servers over HTTPS.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from e2e_platform import Platform, bring_up, failed_units, tear_down

from orchestrator.config import EnvConfig, load_env

pytestmark = [pytest.mark.engines, pytest.mark.emulator, pytest.mark.slow, pytest.mark.timeout(3600)]

ENVIRONMENTS = ("eks-staging", "eks-dev")


@pytest.fixture(scope="module")
def platforms(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Platform]]:
    def one(name: str) -> Platform:
        root: Path = tmp_path_factory.mktemp(name)
        return bring_up(root, name, account_id=load_env(name).account_id)

    with ThreadPoolExecutor(max_workers=len(ENVIRONMENTS)) as pool:
        futures = {name: pool.submit(one, name) for name in ENVIRONMENTS}
    built: dict[str, Platform] = {}
    errors: list[BaseException] = []
    for name, future in futures.items():
        try:
            built[name] = future.result()
        except BaseException as exc:  # keep the other one's emulator from leaking
            errors.append(exc)
    try:
        if errors:
            raise errors[0]
        yield built
    finally:
        for platform in built.values():
            tear_down(platform)


@pytest.fixture(params=ENVIRONMENTS)
def env_run(request: pytest.FixtureRequest, platforms: dict[str, Platform]) -> tuple[Platform, EnvConfig]:
    name = str(request.param)
    return platforms[name], load_env(name)


def test_every_layer_applies(env_run: tuple[Platform, EnvConfig]) -> None:
    platform, _ = env_run
    assert platform.apply_rc == 0, failed_units(platform.apply_report)
    results = {u["path"]: u["result"] for u in platform.apply_report["units"]}
    assert set(results.values()) == {"applied"}, results
    assert len(results) == 12


def test_the_environment_is_its_own_account(env_run: tuple[Platform, EnvConfig]) -> None:
    platform, env = env_run
    assert platform.client("sts").get_caller_identity()["Account"] == env.account_id
    keys = [o["Key"] for o in platform.client("s3").list_objects_v2(Bucket=env.state.bucket)["Contents"]]
    assert f"{env.state.key_prefix}/30-eks-cluster/terraform.tfstate" in keys
    cluster = platform.client("eks").describe_cluster(name=platform.outputs["30-eks-cluster"]["cluster_name"])
    assert f":{env.account_id}:" in cluster["cluster"]["arn"]
    assert cluster["cluster"]["name"] == f"orch-{env.name}"


def test_network_numbers(env_run: tuple[Platform, EnvConfig]) -> None:
    platform, env = env_run
    ec2 = platform.client("ec2")
    vpc_id = platform.outputs["10-networking"]["vpc_id"]
    assert ec2.describe_vpcs(VpcIds=[vpc_id])["Vpcs"][0]["CidrBlock"] == env.network.vpc_cidr
    subnets = ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])["Subnets"]
    wanted = {
        c for tier in ("public", "private", "database", "pod") for c in getattr(env.network, f"{tier}_subnet_cidrs")
    }
    assert {s["CidrBlock"] for s in subnets} == wanted
    assert all(ipaddress.ip_network(c).subnet_of(ipaddress.ip_network(env.network.vpc_cidr)) for c in wanted)
    nats = [
        n
        for n in ec2.describe_nat_gateways(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])["NatGateways"]
        if n["State"] != "deleted"
    ]
    expected = 1 if env.network.single_nat_gateway else len(env.availability_zones)
    assert len(nats) == expected
    # Every private route table still has its default route, through the NAT gateway(s) there are.
    nat_ids = {n["NatGatewayId"] for n in nats}
    for table_id in platform.outputs["10-networking"]["private_route_table_ids"]:
        routes = ec2.describe_route_tables(RouteTableIds=[table_id])["RouteTables"][0]["Routes"]
        assert any(r.get("DestinationCidrBlock") == "0.0.0.0/0" and r.get("NatGatewayId") in nat_ids for r in routes)


def test_node_group_numbers(env_run: tuple[Platform, EnvConfig]) -> None:
    platform, env = env_run
    eks = platform.client("eks")
    cluster = platform.outputs["30-eks-cluster"]["cluster_name"]
    found: dict[str, Any] = {}
    for name in eks.list_nodegroups(clusterName=cluster)["nodegroups"]:
        group = eks.describe_nodegroup(clusterName=cluster, nodegroupName=name)["nodegroup"]
        found[group["labels"]["role"]] = group
    assert set(found) == set(env.node_groups)
    for key, want in env.node_groups.items():
        scaling = found[key]["scalingConfig"]
        assert (scaling["minSize"], scaling["maxSize"]) == (want.min_size, want.max_size), key
        assert found[key]["capacityType"] == want.capacity_type


def test_data_tier_numbers(env_run: tuple[Platform, EnvConfig]) -> None:
    platform, env = env_run
    rds = platform.client("rds")
    aurora = rds.describe_db_clusters(DBClusterIdentifier=f"orch-{env.name}-aurora")["DBClusters"][0]
    members = aurora["DBClusterMembers"]
    assert len(members) == env.database.instance_count
    assert sum(m["IsClusterWriter"] for m in members) == 1
    for member in members:
        instance = rds.describe_db_instances(DBInstanceIdentifier=member["DBInstanceIdentifier"])["DBInstances"][0]
        assert instance["DBInstanceClass"] == env.database.instance_class
    redis = platform.client("elasticache").describe_replication_groups(ReplicationGroupId=f"orch-{env.name}-redis")
    group = redis["ReplicationGroups"][0]
    assert len(group["NodeGroups"]) == env.cache.num_node_groups
    assert group["CacheNodeType"] == env.cache.node_type
    assert len(group["MemberClusters"]) == env.cache.num_node_groups * (1 + env.cache.replicas_per_node_group)
