"""docs/runbooks/node-rotation.md on the emulator: the runbook's `aws eks` commands (start a node group's
rollout, then follow it with list-updates and describe-update), run as the boto3 calls the AWS CLI
makes, with the arguments written in the runbook, against a cluster and node group like 40-nodegroups'.

What the emulator cannot show is said in the runbook: kubectl (no Kubernetes API here), nodes being
replaced (the Auto Scaling group's instances), and the SSM parameter of the EKS-optimized AMI release.
"""

from __future__ import annotations

import json
import re
import shlex
from typing import Any

import pytest

from tests.helpers import REPO, Emu

pytestmark = [pytest.mark.emulator]

RUNBOOK = (REPO / "docs/runbooks/node-rotation.md").read_text()
CLUSTER, GROUP = "orch-eks-prod", "orch-eks-prod-application"
TRUST = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"Service": "eks.amazonaws.com"}, "Action": "sts:AssumeRole"}],
    }
)


def runbook_eks_commands() -> dict[str, dict[str, str]]:
    """Each `aws eks` command of the runbook: operation -> {API parameter: value as written}."""
    commands: dict[str, dict[str, str]] = {}
    for line in RUNBOOK.splitlines():
        if not line.startswith("aws eks "):
            continue
        words = shlex.split(line.split("#")[0])
        operation, rest = words[2], words[3:]
        args = {}
        for flag, value in zip(rest[::2], rest[1::2], strict=True):
            # The CLI's --cluster-name is the API's clusterName (EKS members are camelCase).
            head, *tail = flag.removeprefix("--").split("-")
            args[head + "".join(part.title() for part in tail)] = value
        commands[operation] = args
    return commands


def call(eks: Any, operation: str, args: dict[str, str], **known: str) -> Any:
    """The boto3 call of a runbook command, its <placeholders> filled in from `known`."""
    filled = {k: known.get(re.sub(r"\W", "", v), v) if v.startswith("<") else v for k, v in args.items()}
    assert not [v for v in filled.values() if v.startswith("<")], f"{operation}: unfilled {filled}"
    return getattr(eks, operation.replace("-", "_"))(**filled)


def test_the_runbook_follows_a_node_group_rollout(fresh_emu: Emu) -> None:
    commands = runbook_eks_commands()
    assert {"update-nodegroup-version", "list-updates", "describe-update"} <= set(commands)
    assert commands["list-updates"] == {"name": CLUSTER, "nodegroupName": "<group>"}

    eks, iam = fresh_emu.client("eks"), fresh_emu.client("iam")
    role = iam.create_role(RoleName="cluster", AssumeRolePolicyDocument=TRUST)["Role"]["Arn"]
    eks.create_cluster(name=CLUSTER, version="1.35", roleArn=role, resourcesVpcConfig={"subnetIds": ["subnet-0a"]})
    node_role = iam.create_role(RoleName="node", AssumeRolePolicyDocument=TRUST)["Role"]["Arn"]
    eks.create_nodegroup(
        clusterName=CLUSTER,
        nodegroupName=GROUP,
        subnets=["subnet-0a", "subnet-0c"],
        nodeRole=node_role,
        scalingConfig={"minSize": 2, "maxSize": 10, "desiredSize": 2},
        updateConfig={"maxUnavailablePercentage": 33},
    )

    # Start the rollout as the runbook does (no version: the group's own, its latest AMI release).
    started = call(eks, "update-nodegroup-version", commands["update-nodegroup-version"], group=GROUP)["update"]
    assert started["type"] == "VersionUpdate" and started["status"] in ("InProgress", "Successful")

    # Follow it: list-updates names it, describe-update tells its state (and, when stuck, why).
    listed = call(eks, "list-updates", commands["list-updates"], group=GROUP)["updateIds"]
    assert started["id"] in listed
    described = call(eks, "describe-update", commands["describe-update"], group=GROUP, id=started["id"])["update"]
    assert described["id"] == started["id"] and described["type"] == "VersionUpdate"
    assert isinstance(described["errors"], list)
    group = eks.describe_nodegroup(clusterName=CLUSTER, nodegroupName=GROUP)["nodegroup"]
    assert group["version"] == "1.35" and group["updateConfig"] == {"maxUnavailablePercentage": 33}
