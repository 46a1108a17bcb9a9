"""boto3 read-backs of 00-foundation, 10-networking and 20-security.

Pure assertion helpers (boto3 clients and layer outputs in, assertion errors out) used by
tests/e2e/test_platform_local.py on what `orch --local apply` built.
"""

from __future__ import annotations

import json
from typing import Any

from tests.helpers import REGION

# The plan's CIDR table: tier -> AZ -> CIDR.
SUBNETS = {
    "public": {"ap-northeast-2a": "10.0.0.0/24", "ap-northeast-2c": "10.0.1.0/24"},
    "private": {"ap-northeast-2a": "10.0.10.0/24", "ap-northeast-2c": "10.0.11.0/24"},
    "database": {"ap-northeast-2a": "10.0.20.0/24", "ap-northeast-2c": "10.0.21.0/24"},
    "pod": {"ap-northeast-2a": "10.0.100.0/22", "ap-northeast-2c": "10.0.104.0/22"},
}
INTERFACE_ENDPOINTS = {
    "ecr.api",
    "ecr.dkr",
    "sts",
    "logs",
    "ec2",
    "elasticloadbalancing",
    "autoscaling",
    "ssm",
    "ssmmessages",
    "ec2messages",
    # Phase 5 (issue 18): External Secrets, EKS and Pod Identity, EFS, metrics without the NAT.
    "secretsmanager",
    "kms",
    "eks",
    "eks-auth",
    "elasticfilesystem",
    "monitoring",
}
# The endpoints whose policies also pin the resource to this account (the vpc module's default).
RESOURCE_ACCOUNT_ENDPOINTS = {"secretsmanager", "kms", "logs", "monitoring", "elasticfilesystem", "eks", "eks-auth"}
KMS_PURPOSES = {"eks", "logs", "ebs", "rds", "elasticache", "sns", "efs", "s3"}
ANYWHERE = "0.0.0.0/0"


def _tags(resource: dict[str, Any]) -> dict[str, str]:
    return {t["Key"]: t["Value"] for t in resource.get("Tags", [])}


def check_foundation(kms: Any, outputs: dict[str, Any]) -> None:
    """Eight keys with rotation on, each behind its alias, as the layer contract says."""
    assert outputs["name_prefix"] == "orch-eks-prod"
    assert set(outputs["kms_key_arns"]) == KMS_PURPOSES
    assert set(outputs["kms_key_ids"]) == KMS_PURPOSES
    aliases = {a["AliasName"]: a.get("TargetKeyId") for a in kms.list_aliases()["Aliases"]}
    for purpose, key_id in outputs["kms_key_ids"].items():
        assert aliases.get(f"alias/orch-eks-prod/{purpose}") == key_id, purpose
        assert kms.get_key_rotation_status(KeyId=key_id)["KeyRotationEnabled"], purpose
        policy = json.loads(kms.get_key_policy(KeyId=key_id, PolicyName="default")["Policy"])
        admin = next(s for s in policy["Statement"] if s.get("Sid") == "KeyAdministrationByAccount")
        assert "kms:Decrypt" not in admin["Action"] and "kms:*" not in admin["Action"], purpose


def check_vpc(ec2: Any, outputs: dict[str, Any]) -> str:
    """The VPC and its eight subnets with exactly the plan's CIDRs and AZs; returns the VPC id."""
    vpc_id = outputs["vpc_id"]
    vpc = ec2.describe_vpcs(VpcIds=[vpc_id])["Vpcs"][0]
    assert vpc["CidrBlock"] == "10.0.0.0/16"
    subnets = ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])["Subnets"]
    found = {(s["CidrBlock"], s["AvailabilityZone"]) for s in subnets}
    wanted = {(cidr, az) for tier in SUBNETS.values() for az, cidr in tier.items()}
    assert found == wanted
    assert len(subnets) == 8
    by_id = {s["SubnetId"]: s for s in subnets}
    for tier in SUBNETS:
        ids = outputs[f"{tier}_subnet_ids"]
        assert [by_id[i]["CidrBlock"] for i in ids] == list(SUBNETS[tier].values()), tier
        assert [by_id[i]["AvailabilityZone"] for i in ids] == list(SUBNETS[tier]), tier
        for i in ids:
            tags = _tags(by_id[i])
            assert tags["Tier"] == tier
            assert not by_id[i].get("MapPublicIpOnLaunch", False), i
            if tier != "database":
                assert tags["kubernetes.io/cluster/orch-eks-prod"] == "shared", i
    assert all(_tags(by_id[i])["kubernetes.io/role/elb"] == "1" for i in outputs["public_subnet_ids"])
    assert all(_tags(by_id[i])["kubernetes.io/role/internal-elb"] == "1" for i in outputs["private_subnet_ids"])
    assert all(_tags(by_id[i])["kubernetes.io/role/cni"] == "1" for i in outputs["pod_subnet_ids"])
    assert outputs["pod_subnet_ids_by_az"] == dict(zip(SUBNETS["pod"], outputs["pod_subnet_ids"], strict=True))
    return vpc_id


def check_nat_gateways(ec2: Any, outputs: dict[str, Any]) -> dict[str, str]:
    """One available NAT gateway per AZ, in that AZ's public subnet; returns AZ -> NAT id."""
    nats = ec2.describe_nat_gateways(Filters=[{"Name": "vpc-id", "Values": [outputs["vpc_id"]]}])["NatGateways"]
    nats = [n for n in nats if n["State"] not in ("deleted", "deleting")]
    assert len(nats) == 2
    az_of_subnet = dict(zip(outputs["public_subnet_ids"], SUBNETS["public"], strict=True))
    by_az = {az_of_subnet[n["SubnetId"]]: n["NatGatewayId"] for n in nats}
    assert set(by_az) == set(SUBNETS["public"]), "each NAT gateway must sit in a different public subnet"
    assert all(n["NatGatewayAddresses"][0].get("AllocationId") for n in nats)
    return by_az


def check_route_tables(ec2: Any, outputs: dict[str, Any], nat_by_az: dict[str, str]) -> None:
    """public -> IGW; private/pod -> the NAT of the same AZ; database: no default route at all."""
    vpc_id = outputs["vpc_id"]
    tables = ec2.describe_route_tables(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])["RouteTables"]
    igw = ec2.describe_internet_gateways(Filters=[{"Name": "attachment.vpc-id", "Values": [vpc_id]}])[
        "InternetGateways"
    ][0]["InternetGatewayId"]
    table_of_subnet = {a["SubnetId"]: t for t in tables for a in t.get("Associations", []) if a.get("SubnetId")}
    for tier in SUBNETS:
        for subnet_id, az in zip(outputs[f"{tier}_subnet_ids"], SUBNETS[tier], strict=True):
            table = table_of_subnet.get(subnet_id)
            assert table is not None, f"{tier} subnet {subnet_id} has no explicit route table"
            default = [r for r in table["Routes"] if r.get("DestinationCidrBlock") == ANYWHERE]
            if tier == "public":
                assert [r.get("GatewayId") for r in default] == [igw], (tier, az)
            elif tier in ("private", "pod"):
                assert [r.get("NatGatewayId") for r in default] == [nat_by_az[az]], (tier, az)
            else:
                assert default == [], f"database route table {table['RouteTableId']} has an internet route"
                assert all(
                    r.get("GatewayId") in ("local", None) or str(r.get("GatewayId", "")).startswith("vpce-")
                    for r in table["Routes"]
                ), table["Routes"]
    # eight tables, one per tier and AZ (plus the VPC's main table)
    assert len({t["RouteTableId"] for t in table_of_subnet.values()}) == 8


def check_endpoints(ec2: Any, outputs: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """S3 gateway on the private/pod/database tables; private-DNS interface endpoints behind 443-from-VPC.

    Returns the endpoints by service (checks_security.assert_endpoint_policies reads their policies)."""
    vpc_id = outputs["vpc_id"]
    endpoints = ec2.describe_vpc_endpoints(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])["VpcEndpoints"]
    prefix = f"com.amazonaws.{REGION}."
    by_service = {e["ServiceName"].removeprefix(prefix): e for e in endpoints}
    assert set(by_service) == INTERFACE_ENDPOINTS | {"s3"}
    s3 = by_service["s3"]
    assert s3["VpcEndpointType"] == "Gateway"
    tables = ec2.describe_route_tables(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])["RouteTables"]
    table_of_subnet = {
        a["SubnetId"]: t["RouteTableId"] for t in tables for a in t.get("Associations", []) if a.get("SubnetId")
    }
    wanted_tables = {
        table_of_subnet[s] for tier in ("private", "pod", "database") for s in outputs[f"{tier}_subnet_ids"]
    }
    assert set(s3["RouteTableIds"]) == wanted_tables
    sg_id = outputs["vpc_endpoint_security_group_id"]
    for name in INTERFACE_ENDPOINTS:
        e = by_service[name]
        assert e["VpcEndpointType"] == "Interface", name
        assert e["PrivateDnsEnabled"], name
        assert set(e["SubnetIds"]) == set(outputs["private_subnet_ids"]), name
        assert [g["GroupId"] for g in e["Groups"]] == [sg_id], name
    rules = _rules(ec2, sg_id)
    assert [(r["IsEgress"], r["IpProtocol"], r["FromPort"], r["ToPort"], r.get("CidrIpv4")) for r in rules] == [
        (False, "tcp", 443, 443, "10.0.0.0/16")
    ]
    return by_service


def check_flow_logs(ec2: Any, logs: Any, kms_outputs: dict[str, Any], outputs: dict[str, Any]) -> None:
    """VPC flow logs (ALL) into a log group encrypted with the logs key and with a retention."""
    flow = ec2.describe_flow_logs(Filters=[{"Name": "resource-id", "Values": [outputs["vpc_id"]]}])["FlowLogs"]
    assert len(flow) == 1 and flow[0]["TrafficType"] == "ALL"
    group_name = outputs["flow_log_group_name"]
    destination = flow[0].get("LogGroupName") or flow[0]["LogDestination"].split(":log-group:")[-1].removesuffix(":*")
    assert destination == group_name
    assert flow[0]["DeliverLogsPermissionArn"].endswith(":role/orch-eks-prod-vpc-flow-logs")
    group = next(
        g
        for g in logs.describe_log_groups(logGroupNamePrefix=group_name)["logGroups"]
        if g["logGroupName"] == group_name
    )
    assert group["kmsKeyId"] == kms_outputs["kms_key_arns"]["logs"]
    assert group["retentionInDays"] >= 365


def _rules(ec2: Any, group_id: str) -> list[dict[str, Any]]:
    return ec2.describe_security_group_rules(Filters=[{"Name": "group-id", "Values": [group_id]}])["SecurityGroupRules"]


def check_security_groups(ec2: Any, net_outputs: dict[str, Any], sg_outputs: dict[str, Any]) -> None:
    """Every rule described; 0.0.0.0/0 inbound only on the ALB's 80/443; data stores open to nodes only."""
    vpc_id = net_outputs["vpc_id"]
    groups = ec2.describe_security_groups(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])["SecurityGroups"]
    default = next(g for g in groups if g["GroupName"] == "default")
    assert default["IpPermissions"] == [] and default["IpPermissionsEgress"] == [], "default SG must be closed"

    ids = {k.removesuffix("_security_group_id"): v for k, v in sg_outputs.items() if k.endswith("_security_group_id")}
    assert set(ids) == {"cluster", "node", "alb", "rds", "elasticache", "efs", "bastion"}
    rules = {name: _rules(ec2, gid) for name, gid in ids.items()}
    # The AWS Load Balancer Controller adds its backend rules to the node ENIs' one cluster-tagged group.
    cluster_tagged = [
        g["GroupId"] for g in groups if any(t["Key"].startswith("kubernetes.io/cluster/") for t in g.get("Tags", []))
    ]
    assert cluster_tagged == [ids["node"]], cluster_tagged

    for name, group_rules in rules.items():
        for r in group_rules:
            assert r.get("Description"), f"{name}: rule {r['SecurityGroupRuleId']} has no description"
            if not r["IsEgress"] and r.get("CidrIpv4") == ANYWHERE:
                assert name == "alb" and (r["FromPort"], r["ToPort"]) in {(80, 80), (443, 443)}, r
    # the VPC endpoint group too: no 0.0.0.0/0 inbound anywhere else in the VPC
    for g in groups:
        if g["GroupId"] in ids.values():
            continue
        assert all(ip["CidrIp"] != ANYWHERE for p in g["IpPermissions"] for ip in p.get("IpRanges", [])), g["GroupName"]

    def ingress(name: str) -> set[tuple[str, int, int, str | None]]:
        return {
            (
                r["IpProtocol"],
                r["FromPort"],
                r["ToPort"],
                r.get("ReferencedGroupInfo", {}).get("GroupId") or r.get("CidrIpv4"),
            )
            for r in rules[name]
            if not r["IsEgress"]
        }

    node = ids["node"]
    assert ingress("rds") == {("tcp", 3306, 3306, node)}
    assert ingress("elasticache") == {("tcp", 6379, 6379, node)}
    assert ingress("efs") == {("tcp", 2049, 2049, node)}
    assert ingress("bastion") == set(), "the bastion is SSM-only: no inbound"
    assert ingress("alb") == {("tcp", 80, 80, ANYWHERE), ("tcp", 443, 443, ANYWHERE)}
    assert ("tcp", 443, 443, node) in ingress("cluster")
    # data stores have no egress at all
    for name in ("rds", "elasticache", "efs"):
        assert [r for r in rules[name] if r["IsEgress"]] == [], name
    # nothing leaves on all ports to anywhere
    for name, group_rules in rules.items():
        for r in group_rules:
            if r["IsEgress"] and r.get("CidrIpv4") == ANYWHERE:
                assert (r["IpProtocol"], r["FromPort"], r["ToPort"]) == ("tcp", 443, 443), (name, r)


# --------------------------------------------------------------------------------------
# Fixtures: a private moto server and the applied layers
# --------------------------------------------------------------------------------------
