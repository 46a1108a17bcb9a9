"""What orch adds to moto's EKS (orchestrator/emulator/patches/eks/): access entries and access
policies, managed add-ons, updates, node-group update configs and pod identity associations.

Every operation is called with boto3 against a real emulator process (shapes and error codes as
botocore's eks model declares them), then once through OpenTofu and the AWS provider, which the
patch exists for: an apply, an empty plan, an update and an empty plan again.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError

from orchestrator.emulator.patches.eks.addon_configuration import parse_configuration_values
from orchestrator.emulator.patches.eks.addon_versions import (
    ADDONS,
    addon_info,
    addon_version_supported,
    default_addon_version,
)
from orchestrator.emulator.patches.eks.catalogue import ACCESS_POLICY_NAMES, KUBERNETES_MINORS
from orchestrator.emulator.patches.eks.pagination import decode_token, paginate
from orchestrator.emulator.patches.eks.principals import default_username
from tests.helpers import REGION, Emu, emulator_provider, tofu_runner

pytestmark = pytest.mark.emulator

ACCOUNT = "123456789012"
POLICY = "arn:aws:eks::aws:cluster-access-policy/{}"
TRUST = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"Service": "eks.amazonaws.com"}, "Action": "sts:AssumeRole"}],
    }
)


def error(exc: pytest.ExceptionInfo[ClientError]) -> tuple[str, int, str]:
    response = exc.value.response
    return response["Error"]["Code"], response["ResponseMetadata"]["HTTPStatusCode"], response["Error"]["Message"]


@pytest.fixture
def eks(fresh_emu: Emu) -> Any:
    return fresh_emu.client("eks")


@pytest.fixture
def iam(fresh_emu: Emu) -> Any:
    return fresh_emu.client("iam")


def role(iam: Any, name: str, path: str = "/") -> str:
    return iam.create_role(RoleName=name, Path=path, AssumeRolePolicyDocument=TRUST)["Role"]["Arn"]


def cluster(eks: Any, iam: Any, name: str = "c", version: str = "1.35", **extra: Any) -> dict[str, Any]:
    extra.setdefault("resourcesVpcConfig", {"subnetIds": ["subnet-0a", "subnet-0c"]})
    return eks.create_cluster(name=name, version=version, roleArn=role(iam, f"{name}-cluster"), **extra)["cluster"]


def api_cluster(eks: Any, iam: Any, name: str = "c", **extra: Any) -> dict[str, Any]:
    access = {"authenticationMode": "API", "bootstrapClusterCreatorAdminPermissions": False}
    return cluster(eks, iam, name, accessConfig=access, **extra)


def nodegroup(eks: Any, iam: Any, cluster_name: str = "c", name: str = "ng", **extra: Any) -> dict[str, Any]:
    return eks.create_nodegroup(
        clusterName=cluster_name,
        nodegroupName=name,
        subnets=["subnet-0a"],
        nodeRole=role(iam, f"{cluster_name}-{name}-node"),
        scalingConfig={"minSize": 1, "maxSize": 3, "desiredSize": 1},
        **extra,
    )["nodegroup"]


# ------------------------------------------------------------------ pure helpers


def test_every_addon_has_a_compatible_default_for_every_minor() -> None:
    assert set(ADDONS) >= {
        "vpc-cni",
        "kube-proxy",
        "coredns",
        "aws-ebs-csi-driver",
        "aws-efs-csi-driver",
        "eks-pod-identity-agent",
    }
    for name in ADDONS:
        for minor in KUBERNETES_MINORS:
            default = default_addon_version(name, minor)
            assert default and addon_version_supported(name, default, minor), (name, minor)
            info = addon_info(name, minor)
            assert info is not None
            defaults = [v for v in info["addonVersions"] if v["compatibilities"][0]["defaultVersion"]]
            assert [v["addonVersion"] for v in defaults] == [default]


def test_configuration_values_must_be_a_json_or_yaml_object() -> None:
    assert parse_configuration_values('{"env": {"A": "1"}}') == {"env": {"A": "1"}}
    assert parse_configuration_values("replicaCount: 3\n") == {"replicaCount": 3}
    assert parse_configuration_values("") == {}
    for bad in ("[1, 2]", "just text", "{unclosed: [", "42"):
        with pytest.raises(ValueError):
            parse_configuration_values(bad)


def test_pagination_tokens_are_opaque_and_checked() -> None:
    page, token = paginate(list(range(5)), 2, None)
    assert page == [0, 1] and token and decode_token(token) == 2
    assert paginate(list(range(5)), "2", token) == ([2, 3], paginate(list(range(5)), 2, token)[1])
    assert paginate(list(range(5)), None, None) == ([0, 1, 2, 3, 4], None)
    for max_results, token in ((0, None), (101, None), (2, "not-a-token")):
        with pytest.raises(ValueError):
            paginate([1], max_results, token)


def test_default_usernames() -> None:
    assert default_username(f"arn:aws:iam::{ACCOUNT}:role/team/admin") == (
        f"arn:aws:sts::{ACCOUNT}:assumed-role/admin/{{{{SessionName}}}}"
    )
    assert default_username(f"arn:aws:iam::{ACCOUNT}:user/alice") == f"arn:aws:iam::{ACCOUNT}:user/alice"


# ------------------------------------------------------------------ clusters and updates


def test_create_cluster_keeps_access_config_and_upgrade_policy(eks: Any, iam: Any) -> None:
    created = cluster(
        eks,
        iam,
        accessConfig={"authenticationMode": "API", "bootstrapClusterCreatorAdminPermissions": False},
        upgradePolicy={"supportType": "STANDARD"},
        bootstrapSelfManagedAddons=False,
    )
    assert created["accessConfig"] == {"authenticationMode": "API"}
    assert created["upgradePolicy"] == {"supportType": "STANDARD"}
    described = eks.describe_cluster(name="c")["cluster"]
    assert described["accessConfig"] == {"authenticationMode": "API"}
    assert described["upgradePolicy"] == {"supportType": "STANDARD"}
    assert eks.list_access_entries(clusterName="c")["accessEntries"] == []  # no creator entry asked for

    # AWS's defaults: CONFIG_MAP, EXTENDED support, the creator an admin.
    default = cluster(eks, iam, "d")
    assert default["accessConfig"] == {"authenticationMode": "CONFIG_MAP"}
    assert default["upgradePolicy"] == {"supportType": "EXTENDED"}

    with pytest.raises(ClientError) as exc:
        cluster(eks, iam, "e", accessConfig={"bootstrapClusterCreatorAdminPermissions": False})
    assert error(exc)[:2] == ("InvalidParameterException", 400)
    assert "bootstrapClusterCreatorAdminPermissions must be true" in error(exc)[2]


def test_create_cluster_bootstraps_the_creator_as_cluster_admin(eks: Any, iam: Any) -> None:
    cluster(eks, iam, accessConfig={"authenticationMode": "API_AND_CONFIG_MAP"})
    # The test credentials are the emulator's default caller (sts:GetCallerIdentity user/moto).
    creator = f"arn:aws:iam::{ACCOUNT}:user/moto"
    assert eks.list_access_entries(clusterName="c")["accessEntries"] == [creator]
    entry = eks.describe_access_entry(clusterName="c", principalArn=creator)["accessEntry"]
    assert entry["username"] == creator and entry["type"] == "STANDARD"
    [association] = eks.list_associated_access_policies(clusterName="c", principalArn=creator)[
        "associatedAccessPolicies"
    ]
    assert association["policyArn"] == POLICY.format("AmazonEKSClusterAdminPolicy")
    assert association["accessScope"] == {"type": "cluster", "namespaces": []}


def test_update_cluster_config_moves_the_authentication_mode_forward_only(eks: Any, iam: Any) -> None:
    cluster(eks, iam)  # CONFIG_MAP, creator bootstrapped
    with pytest.raises(ClientError) as exc:
        eks.update_cluster_config(name="c", accessConfig={"authenticationMode": "API"})
    assert error(exc) == (
        "InvalidParameterException",
        400,
        "Unsupported authentication mode update from CONFIG_MAP to API",
    )
    update = eks.update_cluster_config(name="c", accessConfig={"authenticationMode": "API_AND_CONFIG_MAP"})["update"]
    assert update["status"] == "InProgress" and update["type"] == "AccessConfigUpdate"
    assert update["params"] == [{"type": "AuthenticationMode", "value": "API_AND_CONFIG_MAP"}]
    assert eks.describe_update(name="c", updateId=update["id"])["update"]["status"] == "Successful"
    # The creator's entry, kept since creation, shows once the access-entry API is on.
    assert eks.list_access_entries(clusterName="c")["accessEntries"] == [f"arn:aws:iam::{ACCOUNT}:user/moto"]
    for backwards in ("CONFIG_MAP", "API_AND_CONFIG_MAP"):
        with pytest.raises(ClientError) as exc:
            eks.update_cluster_config(name="c", accessConfig={"authenticationMode": backwards})
        assert error(exc)[0] == "InvalidParameterException"
    eks.update_cluster_config(name="c", accessConfig={"authenticationMode": "API"})
    assert eks.describe_cluster(name="c")["cluster"]["accessConfig"] == {"authenticationMode": "API"}


def test_update_cluster_config_answers_one_update_per_call(eks: Any, iam: Any) -> None:
    cluster(eks, iam, resourcesVpcConfig={"subnetIds": ["subnet-0a"], "endpointPrivateAccess": True})
    update = eks.update_cluster_config(name="c", upgradePolicy={"supportType": "STANDARD"})["update"]
    assert update["type"] == "UpgradePolicyUpdate"
    assert eks.describe_cluster(name="c")["cluster"]["upgradePolicy"] == {"supportType": "STANDARD"}
    logging = {"clusterLogging": [{"types": ["api", "audit"], "enabled": True}]}
    update = eks.update_cluster_config(name="c", logging=logging)["update"]
    assert update["type"] == "LoggingUpdate" and json.loads(update["params"][0]["value"]) == logging
    update = eks.update_cluster_config(name="c", resourcesVpcConfig={"endpointPublicAccess": False})["update"]
    assert update["type"] == "EndpointAccessUpdate"
    vpc = eks.describe_cluster(name="c")["cluster"]["resourcesVpcConfig"]
    assert vpc["subnetIds"] == ["subnet-0a"] and vpc["endpointPublicAccess"] is False  # merged, not replaced
    with pytest.raises(ClientError) as exc:
        eks.update_cluster_config(name="c", logging=logging, upgradePolicy={"supportType": "EXTENDED"})
    assert error(exc) == ("InvalidParameterException", 400, "Only one type of update can be allowed.")
    with pytest.raises(ClientError) as exc:
        eks.update_cluster_config(name="missing", logging=logging)
    assert error(exc)[:2] == ("ResourceNotFoundException", 404)


def test_update_cluster_version_goes_one_minor_at_a_time(eks: Any, iam: Any) -> None:
    cluster(eks, iam, version="1.33")
    for wanted in ("1.33", "1.35", "1.32"):
        with pytest.raises(ClientError) as exc:
            eks.update_cluster_version(name="c", version=wanted)
        assert error(exc)[0] == "InvalidParameterException", wanted
    update = eks.update_cluster_version(name="c", version="1.34")["update"]
    assert update["type"] == "VersionUpdate" and update["status"] == "InProgress"
    assert {"type": "Version", "value": "1.34"} in update["params"]
    assert eks.describe_cluster(name="c")["cluster"]["version"] == "1.34"
    with pytest.raises(ClientError) as exc:
        eks.update_cluster_version(name="missing", version="1.34")
    assert error(exc)[0] == "ResourceNotFoundException"


def test_update_cluster_version_waits_for_the_node_groups(eks: Any, iam: Any) -> None:
    cluster(eks, iam, version="1.33")
    nodegroup(eks, iam, name="system")
    nodegroup(eks, iam, name="apps")
    eks.update_cluster_version(name="c", version="1.34")
    with pytest.raises(ClientError) as exc:  # the node groups are still at 1.33
        eks.update_cluster_version(name="c", version="1.35")
    assert error(exc) == (
        "InvalidParameterException",
        400,
        "Nodegroups apps, system must be updated to match cluster version 1.34 before updating cluster version",
    )
    assert exc.value.response["clusterName"] == "c"
    eks.update_nodegroup_version(clusterName="c", nodegroupName="system", version="1.34")
    with pytest.raises(ClientError) as exc:
        eks.update_cluster_version(name="c", version="1.35")
    assert "Nodegroups apps must" in error(exc)[2]
    eks.update_nodegroup_version(clusterName="c", nodegroupName="apps", version="1.34")
    assert eks.update_cluster_version(name="c", version="1.35")["update"]["status"] == "InProgress"


def test_describe_update_finds_updates_in_their_scope(eks: Any, iam: Any) -> None:
    cluster(eks, iam, version="1.34")
    update = eks.update_cluster_version(name="c", version="1.35")["update"]
    found = eks.describe_update(name="c", updateId=update["id"])["update"]
    assert found["id"] == update["id"] and found["status"] == "Successful" and found["errors"] == []
    nodegroup(eks, iam)
    with pytest.raises(ClientError) as exc:  # a cluster update is not the node group's
        eks.describe_update(name="c", updateId=update["id"], nodegroupName="ng")
    assert error(exc) == ("ResourceNotFoundException", 404, f"No update found for ID: {update['id']}")
    with pytest.raises(ClientError) as exc:
        eks.describe_update(name="c", updateId="00000000-0000-0000-0000-000000000000")
    assert error(exc)[0] == "ResourceNotFoundException"


def test_list_updates_pages_per_scope(eks: Any, iam: Any) -> None:
    cluster(eks, iam)
    ids = [
        eks.update_cluster_config(name="c", upgradePolicy={"supportType": s})["update"]["id"]
        for s in ("STANDARD", "EXTENDED", "STANDARD")
    ]
    first = eks.list_updates(name="c", maxResults=2)
    assert first["updateIds"] == ids[:2] and first["nextToken"]
    second = eks.list_updates(name="c", maxResults=2, nextToken=first["nextToken"])
    assert second["updateIds"] == ids[2:] and "nextToken" not in second
    pages = eks.get_paginator("list_updates").paginate(name="c", PaginationConfig={"PageSize": 1})
    assert [i for page in pages for i in page["updateIds"]] == ids
    nodegroup(eks, iam)
    assert eks.list_updates(name="c", nodegroupName="ng")["updateIds"] == []
    with pytest.raises(ClientError) as exc:
        eks.list_updates(name="c", nodegroupName="missing")
    assert error(exc)[0] == "ResourceNotFoundException"
    with pytest.raises(ClientError) as exc:
        eks.list_updates(name="c", nextToken="garbage")
    assert error(exc)[0] == "InvalidParameterException"


# ------------------------------------------------------------------ access entries


def test_create_access_entry(eks: Any, iam: Any) -> None:
    api_cluster(eks, iam)
    admin = role(iam, "admin", path="/team/")
    entry = eks.create_access_entry(
        clusterName="c", principalArn=admin, kubernetesGroups=["viewers"], tags={"Team": "platform"}
    )["accessEntry"]
    assert entry["principalArn"] == admin and entry["clusterName"] == "c"
    assert entry["kubernetesGroups"] == ["viewers"] and entry["type"] == "STANDARD"
    assert entry["username"] == f"arn:aws:sts::{ACCOUNT}:assumed-role/admin/{{{{SessionName}}}}"
    assert entry["accessEntryArn"].startswith(f"arn:aws:eks:{REGION}:{ACCOUNT}:access-entry/c/role/{ACCOUNT}/admin/")
    assert entry["tags"] == {"Team": "platform"} and entry["createdAt"] == entry["modifiedAt"]
    user = iam.create_user(UserName="alice")["User"]["Arn"]
    assert eks.create_access_entry(clusterName="c", principalArn=user)["accessEntry"]["username"] == user
    node = role(iam, "node")
    node_entry = eks.create_access_entry(clusterName="c", principalArn=node, type="EC2_LINUX")["accessEntry"]
    assert node_entry["username"] == "system:node:{{EC2PrivateDNSName}}"
    assert node_entry["kubernetesGroups"] == ["system:nodes"]

    def refused(**kwargs: Any) -> tuple[str, int, str]:
        with pytest.raises(ClientError) as exc:
            eks.create_access_entry(**{"clusterName": "c", **kwargs})
        return error(exc)

    assert refused(principalArn=admin) == (
        "ResourceInUseException",
        409,
        "The specified access entry resource is already in use on this cluster.",
    )
    assert refused(principalArn=f"arn:aws:iam::{ACCOUNT}:role/missing") == (
        "InvalidParameterException",
        400,
        "The specified principalArn is invalid: invalid principal.",
    )
    assert refused(principalArn="arn:aws:iam::210987654321:role/admin")[0] == "InvalidParameterException"
    assert refused(principalArn=f"arn:aws:sts::{ACCOUNT}:assumed-role/admin/me")[2] == (
        "The principalArn parameter format is not valid"
    )
    linked = role(iam, "AWSServiceRoleForThing", path="/aws-service-role/thing.amazonaws.com/")
    assert "Service Linked Role" in refused(principalArn=linked)[2]
    assert refused(principalArn=role(iam, "ops"), kubernetesGroups=["system:masters"])[0] == (
        "InvalidParameterException"
    )
    assert refused(principalArn=role(iam, "ops2"), type="EC2_LINUX", kubernetesGroups=["x"])[0] == (
        "InvalidParameterException"
    )
    assert refused(principalArn=role(iam, "ops3"), type="SOMETHING")[0] == "InvalidParameterException"
    assert refused(clusterName="missing", principalArn=admin)[:2] == ("ResourceNotFoundException", 404)
    cluster(eks, iam, "legacy")  # CONFIG_MAP
    assert refused(clusterName="legacy", principalArn=admin) == (
        "InvalidRequestException",
        400,
        "The cluster's authentication mode must be set to one of [API, API_AND_CONFIG_MAP] to perform this operation.",
    )


def test_describe_access_entry(eks: Any, iam: Any) -> None:
    api_cluster(eks, iam)
    admin = role(iam, "admin")
    created = eks.create_access_entry(clusterName="c", principalArn=admin)["accessEntry"]
    assert eks.describe_access_entry(clusterName="c", principalArn=admin)["accessEntry"] == created
    with pytest.raises(ClientError) as exc:
        eks.describe_access_entry(clusterName="c", principalArn=f"arn:aws:iam::{ACCOUNT}:role/other")
    assert error(exc)[:2] == ("ResourceNotFoundException", 404)
    assert "could not be found" in error(exc)[2]
    with pytest.raises(ClientError) as exc:
        eks.describe_access_entry(clusterName="missing", principalArn=admin)
    assert error(exc)[0] == "ResourceNotFoundException"


def test_list_access_entries(eks: Any, iam: Any) -> None:
    api_cluster(eks, iam)
    arns = sorted(role(iam, f"r{i}") for i in range(5))
    for arn in arns:
        eks.create_access_entry(clusterName="c", principalArn=arn)
    eks.associate_access_policy(
        clusterName="c",
        principalArn=arns[1],
        policyArn=POLICY.format("AmazonEKSViewPolicy"),
        accessScope={"type": "cluster"},
    )
    pages = eks.get_paginator("list_access_entries").paginate(clusterName="c", PaginationConfig={"PageSize": 2})
    assert [a for page in pages for a in page["accessEntries"]] == arns
    first = eks.list_access_entries(clusterName="c", maxResults=2)
    assert len(first["accessEntries"]) == 2 and first["nextToken"]
    filtered = eks.list_access_entries(clusterName="c", associatedPolicyArn=POLICY.format("AmazonEKSViewPolicy"))
    assert filtered["accessEntries"] == [arns[1]]
    for kwargs in ({"maxResults": 101}, {"nextToken": "bogus"}):
        with pytest.raises(ClientError) as exc:
            eks.list_access_entries(clusterName="c", **kwargs)
        assert error(exc)[0] == "InvalidParameterException"


def test_update_access_entry(eks: Any, iam: Any) -> None:
    api_cluster(eks, iam)
    admin = role(iam, "admin")
    eks.create_access_entry(clusterName="c", principalArn=admin, kubernetesGroups=["a"])
    updated = eks.update_access_entry(
        clusterName="c", principalArn=admin, kubernetesGroups=["b", "c"], username="admin-user"
    )["accessEntry"]
    assert updated["kubernetesGroups"] == ["b", "c"] and updated["username"] == "admin-user"
    assert updated["modifiedAt"] >= updated["createdAt"]
    assert eks.describe_access_entry(clusterName="c", principalArn=admin)["accessEntry"]["username"] == "admin-user"
    with pytest.raises(ClientError) as exc:
        eks.update_access_entry(clusterName="c", principalArn=admin, kubernetesGroups=["eks:internal"])
    assert error(exc)[0] == "InvalidParameterException"
    with pytest.raises(ClientError) as exc:
        eks.update_access_entry(clusterName="c", principalArn=role(iam, "other"), kubernetesGroups=["a"])
    assert error(exc)[0] == "ResourceNotFoundException"


def test_delete_access_entry(eks: Any, iam: Any) -> None:
    api_cluster(eks, iam)
    admin = role(iam, "admin")
    eks.create_access_entry(clusterName="c", principalArn=admin)
    eks.associate_access_policy(
        clusterName="c",
        principalArn=admin,
        policyArn=POLICY.format("AmazonEKSAdminPolicy"),
        accessScope={"type": "cluster"},
    )
    assert eks.delete_access_entry(clusterName="c", principalArn=admin)["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert eks.list_access_entries(clusterName="c")["accessEntries"] == []
    with pytest.raises(ClientError) as exc:
        eks.delete_access_entry(clusterName="c", principalArn=admin)
    assert error(exc)[0] == "ResourceNotFoundException"
    # A new entry for the same principal starts without the old associations.
    eks.create_access_entry(clusterName="c", principalArn=admin)
    assert eks.list_associated_access_policies(clusterName="c", principalArn=admin)["associatedAccessPolicies"] == []


def test_list_access_policies(eks: Any) -> None:
    policies = [p for page in eks.get_paginator("list_access_policies").paginate() for p in page["accessPolicies"]]
    assert [p["name"] for p in policies] == list(ACCESS_POLICY_NAMES)
    arns = {p["arn"] for p in policies}
    for name in ("AmazonEKSClusterAdminPolicy", "AmazonEKSAdminPolicy", "AmazonEKSEditPolicy", "AmazonEKSViewPolicy"):
        assert POLICY.format(name) in arns
    first = eks.list_access_policies(maxResults=10)
    assert len(first["accessPolicies"]) == 10 and first["nextToken"]
    second = eks.list_access_policies(maxResults=10, nextToken=first["nextToken"])
    assert second["accessPolicies"] == policies[10:20]


def test_associate_access_policy(eks: Any, iam: Any) -> None:
    api_cluster(eks, iam)
    admin = role(iam, "admin")
    eks.create_access_entry(clusterName="c", principalArn=admin)
    answer = eks.associate_access_policy(
        clusterName="c",
        principalArn=admin,
        policyArn=POLICY.format("AmazonEKSEditPolicy"),
        accessScope={"type": "namespace", "namespaces": ["apps", "jobs"]},
    )
    assert answer["clusterName"] == "c" and answer["principalArn"] == admin
    association = answer["associatedAccessPolicy"]
    assert association["policyArn"] == POLICY.format("AmazonEKSEditPolicy")
    assert association["accessScope"] == {"type": "namespace", "namespaces": ["apps", "jobs"]}
    # Associating the same policy again changes its scope.
    again = eks.associate_access_policy(
        clusterName="c",
        principalArn=admin,
        policyArn=POLICY.format("AmazonEKSEditPolicy"),
        accessScope={"type": "cluster"},
    )["associatedAccessPolicy"]
    assert again["accessScope"] == {"type": "cluster", "namespaces": []}
    assert again["associatedAt"] == association["associatedAt"]

    def refused(**kwargs: Any) -> tuple[str, int, str]:
        base = {
            "clusterName": "c",
            "principalArn": admin,
            "policyArn": POLICY.format("AmazonEKSViewPolicy"),
            "accessScope": {"type": "cluster"},
        }
        with pytest.raises(ClientError) as exc:
            eks.associate_access_policy(**{**base, **kwargs})
        return error(exc)

    assert refused(policyArn=POLICY.format("AmazonEKSMadeUpPolicy"))[0] == "InvalidParameterException"
    assert refused(accessScope={"type": "namespace"})[0] == "InvalidParameterException"
    assert refused(accessScope={"type": "cluster", "namespaces": ["x"]})[0] == "InvalidParameterException"
    assert refused(principalArn=role(iam, "no-entry")) == (
        "ResourceNotFoundException",
        404,
        "The specified principalArn could not be found. You can view your available access entries with "
        "'list-access-entries'.",
    )
    node = role(iam, "node")
    eks.create_access_entry(clusterName="c", principalArn=node, type="EC2_LINUX")
    assert refused(principalArn=node)[0] == "InvalidRequestException"


def test_list_associated_access_policies(eks: Any, iam: Any) -> None:
    api_cluster(eks, iam)
    admin = role(iam, "admin")
    eks.create_access_entry(clusterName="c", principalArn=admin)
    for name in ("AmazonEKSViewPolicy", "AmazonEKSEditPolicy", "AmazonEKSAdminViewPolicy"):
        eks.associate_access_policy(
            clusterName="c", principalArn=admin, policyArn=POLICY.format(name), accessScope={"type": "cluster"}
        )
    first = eks.list_associated_access_policies(clusterName="c", principalArn=admin, maxResults=2)
    assert first["clusterName"] == "c" and first["principalArn"] == admin
    assert len(first["associatedAccessPolicies"]) == 2 and first["nextToken"]
    pages = eks.get_paginator("list_associated_access_policies").paginate(
        clusterName="c", principalArn=admin, PaginationConfig={"PageSize": 1}
    )
    assert sorted(p["policyArn"] for page in pages for p in page["associatedAccessPolicies"]) == sorted(
        POLICY.format(n) for n in ("AmazonEKSViewPolicy", "AmazonEKSEditPolicy", "AmazonEKSAdminViewPolicy")
    )
    with pytest.raises(ClientError) as exc:
        eks.list_associated_access_policies(clusterName="c", principalArn=role(iam, "other"))
    assert error(exc)[0] == "ResourceNotFoundException"


def test_disassociate_access_policy(eks: Any, iam: Any) -> None:
    api_cluster(eks, iam)
    admin = role(iam, "admin")
    eks.create_access_entry(clusterName="c", principalArn=admin)
    view = POLICY.format("AmazonEKSViewPolicy")
    eks.associate_access_policy(clusterName="c", principalArn=admin, policyArn=view, accessScope={"type": "cluster"})
    eks.disassociate_access_policy(clusterName="c", principalArn=admin, policyArn=view)
    assert eks.list_associated_access_policies(clusterName="c", principalArn=admin)["associatedAccessPolicies"] == []
    with pytest.raises(ClientError) as exc:
        eks.disassociate_access_policy(clusterName="c", principalArn=admin, policyArn=view)
    assert error(exc)[:2] == ("ResourceNotFoundException", 404)


# ------------------------------------------------------------------ add-ons


def test_describe_addon_versions(eks: Any) -> None:
    everything = [a for page in eks.get_paginator("describe_addon_versions").paginate() for a in page["addons"]]
    names = [a["addonName"] for a in everything]
    assert names == sorted(ADDONS)
    vpc_cni = eks.describe_addon_versions(kubernetesVersion="1.35", addonName="vpc-cni")["addons"]
    [info] = vpc_cni
    assert info["type"] == "networking" and info["owner"] == "aws" and info["publisher"] == "eks"
    versions = [v["addonVersion"] for v in info["addonVersions"]]
    assert (
        versions == sorted(versions, key=lambda v: [int(x) for x in v[1:].replace("-eksbuild.", ".").split(".")])[::-1]
    )
    assert all(v.startswith("v1.") and "-eksbuild." in v for v in versions)
    assert all(c["clusterVersion"] == "1.35" for v in info["addonVersions"] for c in v["compatibilities"])
    defaults = [v["addonVersion"] for v in info["addonVersions"] if v["compatibilities"][0]["defaultVersion"]]
    assert defaults == ["v1.21.1-eksbuild.1"]
    kube_proxy = eks.describe_addon_versions(kubernetesVersion="1.33", addonName="kube-proxy")["addons"][0]
    assert all(v["addonVersion"].startswith("v1.33.") for v in kube_proxy["addonVersions"])
    storage = eks.describe_addon_versions(kubernetesVersion="1.34", types=["storage"])["addons"]
    assert {a["addonName"] for a in storage} == {"aws-ebs-csi-driver", "aws-efs-csi-driver"}
    first = eks.describe_addon_versions(maxResults=2)
    assert len(first["addons"]) == 2 and first["nextToken"]
    assert eks.describe_addon_versions(addonName="not-an-addon")["addons"] == []
    with pytest.raises(ClientError) as exc:
        eks.describe_addon_versions(nextToken="bogus")
    assert error(exc)[0] == "InvalidParameterException"


def test_describe_addon_configuration(eks: Any) -> None:
    answer = eks.describe_addon_configuration(addonName="vpc-cni", addonVersion="v1.21.1-eksbuild.1")
    assert answer["addonName"] == "vpc-cni" and answer["addonVersion"] == "v1.21.1-eksbuild.1"
    schema = json.loads(answer["configurationSchema"])
    definitions = schema["definitions"]
    env = definitions["Env"]["properties"]
    assert {"AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG", "ENI_CONFIG_LABEL_DEF"} <= set(env)
    vpc_cni = definitions["VpcCni"]["properties"]
    assert vpc_cni["env"] == {"$ref": "#/definitions/Env"} and vpc_cni["eniConfig"] == {
        "$ref": "#/definitions/EniConfig"
    }
    eni = definitions["EniConfig"]
    assert set(eni["properties"]) == {"create", "region", "subnets"}
    assert set(eni["properties"]["subnets"]["additionalProperties"]["properties"]) == {"id", "securityGroups"}
    assert answer["podIdentityConfiguration"] == [
        {"serviceAccount": "aws-node", "recommendedManagedPolicies": ["arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy"]}
    ]
    coredns = eks.describe_addon_configuration(addonName="coredns", addonVersion="v1.13.1-eksbuild.1")
    assert {"nodeSelector", "tolerations", "replicaCount"} <= set(
        json.loads(coredns["configurationSchema"])["properties"]
    )
    with pytest.raises(ClientError) as exc:
        eks.describe_addon_configuration(addonName="vpc-cni", addonVersion="v0.0.1-eksbuild.1")
    assert error(exc)[0] == "InvalidParameterException"


def test_create_addon(eks: Any, iam: Any) -> None:
    cluster(eks, iam)
    irsa = role(iam, "vpc-cni")
    config = json.dumps({"env": {"AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG": "true"}})
    addon = eks.create_addon(
        clusterName="c",
        addonName="vpc-cni",
        serviceAccountRoleArn=irsa,
        configurationValues=config,
        resolveConflicts="OVERWRITE",
        tags={"Name": "vpc-cni"},
    )["addon"]
    assert addon["status"] == "CREATING"
    assert addon["addonVersion"] == "v1.21.1-eksbuild.1"  # the 1.35 default
    assert addon["addonArn"].startswith(f"arn:aws:eks:{REGION}:{ACCOUNT}:addon/c/vpc-cni/")
    assert addon["serviceAccountRoleArn"] == irsa and addon["configurationValues"] == config
    assert addon["tags"] == {"Name": "vpc-cni"} and addon["health"] == {"issues": []}
    yaml_config = "replicaCount: 3\nnodeSelector:\n  role: system\n"
    coredns = eks.create_addon(
        clusterName="c", addonName="coredns", addonVersion="v1.12.4-eksbuild.1", configurationValues=yaml_config
    )["addon"]
    assert coredns["addonVersion"] == "v1.12.4-eksbuild.1" and coredns["configurationValues"] == yaml_config

    def refused(**kwargs: Any) -> tuple[str, int, str]:
        with pytest.raises(ClientError) as exc:
            eks.create_addon(**{"clusterName": "c", **kwargs})
        return error(exc)

    assert refused(addonName="vpc-cni") == ("ResourceInUseException", 409, "Addon already exists.")
    assert refused(addonName="kube-proxy", addonVersion="v1.34.2-eksbuild.3") == (
        "InvalidParameterException",
        400,
        "Addon version specified is not supported",
    )
    assert refused(addonName="kube-proxy", configurationValues="{not json: [")[0] == "InvalidParameterException"
    assert refused(addonName="kube-proxy", configurationValues="[1, 2]")[0] == "InvalidParameterException"
    assert refused(addonName="made-up")[0] == "InvalidParameterException"
    assert refused(addonName="kube-proxy", serviceAccountRoleArn="not-an-arn")[0] == "InvalidParameterException"
    assert refused(clusterName="missing", addonName="kube-proxy")[:2] == ("ResourceNotFoundException", 404)


def test_describe_addon(eks: Any, iam: Any) -> None:
    cluster(eks, iam)
    created = eks.create_addon(clusterName="c", addonName="kube-proxy")["addon"]
    described = eks.describe_addon(clusterName="c", addonName="kube-proxy")["addon"]
    assert described["status"] == "ACTIVE"  # CREATING settles at once; the provider's waiter reads ACTIVE
    assert {k: v for k, v in described.items() if k != "status"} == {k: v for k, v in created.items() if k != "status"}
    with pytest.raises(ClientError) as exc:
        eks.describe_addon(clusterName="c", addonName="coredns")
    assert error(exc) == ("ResourceNotFoundException", 404, "No addon: coredns found in cluster: c")


def test_list_addons(eks: Any, iam: Any) -> None:
    cluster(eks, iam)
    for name in ("vpc-cni", "kube-proxy", "coredns"):
        eks.create_addon(clusterName="c", addonName=name)
    assert eks.list_addons(clusterName="c")["addons"] == ["coredns", "kube-proxy", "vpc-cni"]
    first = eks.list_addons(clusterName="c", maxResults=2)
    second = eks.list_addons(clusterName="c", maxResults=2, nextToken=first["nextToken"])
    assert first["addons"] + second["addons"] == ["coredns", "kube-proxy", "vpc-cni"]
    with pytest.raises(ClientError) as exc:
        eks.list_addons(clusterName="missing")
    assert error(exc)[0] == "ResourceNotFoundException"


def test_update_addon(eks: Any, iam: Any) -> None:
    cluster(eks, iam)
    eks.create_addon(clusterName="c", addonName="vpc-cni", configurationValues='{"env": {"A": "1"}}')
    irsa = role(iam, "vpc-cni")
    update = eks.update_addon(
        clusterName="c",
        addonName="vpc-cni",
        addonVersion="v1.20.4-eksbuild.2",
        serviceAccountRoleArn=irsa,
        configurationValues='{"env": {"A": "2"}}',
        resolveConflicts="PRESERVE",
    )["update"]
    assert update["type"] == "AddonUpdate" and update["status"] == "InProgress"
    assert {p["type"] for p in update["params"]} == {
        "AddonVersion",
        "ServiceAccountRoleArn",
        "ConfigurationValues",
        "ResolveConflicts",
    }
    found = eks.describe_update(name="c", updateId=update["id"], addonName="vpc-cni")["update"]
    assert found["status"] == "Successful"
    assert eks.list_updates(name="c", addonName="vpc-cni")["updateIds"] == [update["id"]]
    assert eks.list_updates(name="c")["updateIds"] == []  # cluster updates only
    addon = eks.describe_addon(clusterName="c", addonName="vpc-cni")["addon"]
    assert addon["addonVersion"] == "v1.20.4-eksbuild.2" and addon["serviceAccountRoleArn"] == irsa
    assert addon["configurationValues"] == '{"env": {"A": "2"}}'
    for kwargs in ({"addonVersion": "v9.9.9-eksbuild.1"}, {"configurationValues": "{broken"}):
        with pytest.raises(ClientError) as exc:
            eks.update_addon(clusterName="c", addonName="vpc-cni", **kwargs)
        assert error(exc)[0] == "InvalidParameterException"
    with pytest.raises(ClientError) as exc:
        eks.update_addon(clusterName="c", addonName="coredns", addonVersion="v1.13.1-eksbuild.1")
    assert error(exc)[0] == "ResourceNotFoundException"


def test_delete_addon(eks: Any, iam: Any) -> None:
    cluster(eks, iam)
    eks.create_addon(clusterName="c", addonName="coredns")
    deleted = eks.delete_addon(clusterName="c", addonName="coredns", preserve=False)["addon"]
    assert deleted["status"] == "DELETING" and deleted["addonName"] == "coredns"
    with pytest.raises(ClientError) as exc:
        eks.describe_addon(clusterName="c", addonName="coredns")
    assert error(exc)[0] == "ResourceNotFoundException"
    assert eks.list_addons(clusterName="c")["addons"] == []
    with pytest.raises(ClientError) as exc:
        eks.delete_addon(clusterName="c", addonName="coredns")
    assert error(exc)[0] == "ResourceNotFoundException"


def test_addon_pod_identity_associations(eks: Any, iam: Any) -> None:
    cluster(eks, iam)
    ebs_role = role(iam, "ebs")
    addon = eks.create_addon(
        clusterName="c",
        addonName="aws-ebs-csi-driver",
        podIdentityAssociations=[{"serviceAccount": "ebs-csi-controller-sa", "roleArn": ebs_role}],
    )["addon"]
    [arn] = addon["podIdentityAssociations"]
    assert arn.startswith(f"arn:aws:eks:{REGION}:{ACCOUNT}:podidentityassociation/c/a-")
    association = eks.describe_pod_identity_association(clusterName="c", associationId=arn.split("/")[2])["association"]
    assert association["namespace"] == "kube-system" and association["serviceAccount"] == "ebs-csi-controller-sa"
    assert association["roleArn"] == ebs_role and association["ownerArn"] == addon["addonArn"]
    with pytest.raises(ClientError) as exc:  # the add-on owns it
        eks.delete_pod_identity_association(clusterName="c", associationId=association["associationId"])
    assert error(exc)[0] == "InvalidRequestException"
    eks.update_addon(clusterName="c", addonName="aws-ebs-csi-driver", podIdentityAssociations=[])
    assert eks.describe_addon(clusterName="c", addonName="aws-ebs-csi-driver")["addon"]["podIdentityAssociations"] == []
    assert eks.list_pod_identity_associations(clusterName="c")["associations"] == []


def test_pod_identity_associations(eks: Any, iam: Any) -> None:
    cluster(eks, iam)
    app = role(iam, "app")
    created = eks.create_pod_identity_association(
        clusterName="c", namespace="apps", serviceAccount="web", roleArn=app, tags={"Team": "web"}
    )["association"]
    assert created["associationId"].startswith("a-") and created["tags"] == {"Team": "web"}
    with pytest.raises(ClientError) as exc:
        eks.create_pod_identity_association(clusterName="c", namespace="apps", serviceAccount="web", roleArn=app)
    assert error(exc)[0] == "ResourceInUseException"
    listed = eks.list_pod_identity_associations(clusterName="c", namespace="apps")["associations"]
    assert [a["associationArn"] for a in listed] == [created["associationArn"]]
    other = role(iam, "app2")
    updated = eks.update_pod_identity_association(
        clusterName="c", associationId=created["associationId"], roleArn=other
    )["association"]
    assert updated["roleArn"] == other
    eks.delete_pod_identity_association(clusterName="c", associationId=created["associationId"])
    with pytest.raises(ClientError) as exc:
        eks.describe_pod_identity_association(clusterName="c", associationId=created["associationId"])
    assert error(exc)[0] == "ResourceNotFoundException"


# ------------------------------------------------------------------ node groups


def test_create_nodegroup_keeps_update_config(eks: Any, iam: Any) -> None:
    cluster(eks, iam)
    created = nodegroup(eks, iam, updateConfig={"maxUnavailablePercentage": 25})
    assert created["updateConfig"] == {"maxUnavailablePercentage": 25}
    described = eks.describe_nodegroup(clusterName="c", nodegroupName="ng")["nodegroup"]
    assert described["updateConfig"] == {"maxUnavailablePercentage": 25}
    assert described["version"] == "1.35" and described["releaseVersion"].startswith("1.35.")
    assert "remoteAccess" not in described  # none asked for
    default = nodegroup(eks, iam, name="plain")
    assert default["updateConfig"] == {"maxUnavailable": 1}  # AWS's default
    for i, bad in enumerate(({"maxUnavailable": 1, "maxUnavailablePercentage": 10}, {"maxUnavailablePercentage": 101})):
        with pytest.raises(ClientError) as exc:
            nodegroup(eks, iam, name=f"bad{i}", updateConfig=bad)
        assert error(exc)[0] == "InvalidParameterException"


def test_update_nodegroup_config(eks: Any, iam: Any) -> None:
    cluster(eks, iam)
    nodegroup(eks, iam, updateConfig={"maxUnavailable": 1})
    update = eks.update_nodegroup_config(
        clusterName="c",
        nodegroupName="ng",
        updateConfig={"maxUnavailable": 2},
        scalingConfig={"minSize": 1, "maxSize": 5, "desiredSize": 2},
        labels={"addOrUpdateLabels": {"role": "app"}},
    )["update"]
    assert update["type"] == "ConfigUpdate" and update["status"] == "InProgress"
    params = {p["type"]: p["value"] for p in update["params"]}
    assert params["MaxUnavailable"] == "2" and params["MaxSize"] == "5"
    assert json.loads(params["LabelsToAdd"]) == {"role": "app"}
    assert eks.describe_update(name="c", updateId=update["id"], nodegroupName="ng")["update"]["status"] == "Successful"
    assert eks.list_updates(name="c", nodegroupName="ng")["updateIds"] == [update["id"]]
    described = eks.describe_nodegroup(clusterName="c", nodegroupName="ng")["nodegroup"]
    assert described["updateConfig"] == {"maxUnavailable": 2} and described["labels"] == {"role": "app"}
    eks.update_nodegroup_config(clusterName="c", nodegroupName="ng", updateConfig={"maxUnavailablePercentage": 50})
    assert eks.describe_nodegroup(clusterName="c", nodegroupName="ng")["nodegroup"]["updateConfig"] == {
        "maxUnavailablePercentage": 50
    }
    with pytest.raises(ClientError) as exc:
        eks.update_nodegroup_config(clusterName="c", nodegroupName="ng", updateConfig={"maxUnavailable": 101})
    assert error(exc)[0] == "InvalidParameterException"
    with pytest.raises(ClientError) as exc:
        eks.update_nodegroup_config(clusterName="c", nodegroupName="missing", updateConfig={"maxUnavailable": 1})
    assert error(exc)[0] == "ResourceNotFoundException"


def test_update_nodegroup_version(eks: Any, iam: Any) -> None:
    cluster(eks, iam, version="1.34")
    nodegroup(eks, iam)
    with pytest.raises(ClientError) as exc:  # nodes never newer than the control plane
        eks.update_nodegroup_version(clusterName="c", nodegroupName="ng", version="1.35")
    assert error(exc)[0] == "InvalidParameterException"
    eks.update_cluster_version(name="c", version="1.35")
    update = eks.update_nodegroup_version(clusterName="c", nodegroupName="ng", version="1.35")["update"]
    assert update["type"] == "VersionUpdate"
    params = {p["type"]: p["value"] for p in update["params"]}
    assert params["Version"] == "1.35" and params["ReleaseVersion"].startswith("1.35.")
    assert eks.describe_update(name="c", updateId=update["id"], nodegroupName="ng")["update"]["status"] == "Successful"
    assert eks.describe_nodegroup(clusterName="c", nodegroupName="ng")["nodegroup"]["version"] == "1.35"
    with pytest.raises(ClientError) as exc:
        eks.update_nodegroup_version(clusterName="c", nodegroupName="missing")
    assert error(exc)[0] == "ResourceNotFoundException"


# ------------------------------------------------------------------ tags


def test_tags_on_every_eks_resource(eks: Any, iam: Any) -> None:
    api_cluster(eks, iam)
    arns = [
        eks.create_addon(clusterName="c", addonName="coredns")["addon"]["addonArn"],
        eks.create_access_entry(clusterName="c", principalArn=role(iam, "admin"))["accessEntry"]["accessEntryArn"],
        nodegroup(eks, iam)["nodegroupArn"],
    ]
    for arn in arns:
        eks.tag_resource(resourceArn=arn, tags={"A": "1", "B": "2", "C": "3"})
        eks.untag_resource(resourceArn=arn, tagKeys=["A", "B"])
        assert eks.list_tags_for_resource(resourceArn=arn)["tags"] == {"C": "3"}, arn
    with pytest.raises(ClientError) as exc:
        eks.list_tags_for_resource(resourceArn=f"arn:aws:eks:{REGION}:{ACCOUNT}:addon/c/none/x")
    assert error(exc)[:2] == ("NotFoundException", 404)


# ------------------------------------------------------------------ the real provider

PROVIDER_CONFIG = """
locals {{
  assume = {{
    eks   = "eks.amazonaws.com"
    ec2   = "ec2.amazonaws.com"
    admin = "ec2.amazonaws.com"
    cni   = "ec2.amazonaws.com"
  }}
}}

resource "aws_iam_role" "this" {{
  for_each = local.assume
  name     = "eks-provider-${{each.key}}"
  assume_role_policy = jsonencode({{
    Version   = "2012-10-17"
    Statement = [{{ Effect = "Allow", Action = "sts:AssumeRole", Principal = {{ Service = each.value }} }}]
  }})
}}

resource "aws_vpc" "this" {{
  cidr_block = "10.44.0.0/16"
}}

resource "aws_subnet" "this" {{
  for_each          = {{ a = "10.44.1.0/24", c = "10.44.2.0/24" }}
  vpc_id            = aws_vpc.this.id
  cidr_block        = each.value
  availability_zone = "{region}${{each.key}}"
}}

resource "aws_eks_cluster" "this" {{
  name     = "provider-eks"
  version  = "1.35"
  role_arn = aws_iam_role.this["eks"].arn

  bootstrap_self_managed_addons = false

  access_config {{
    authentication_mode                         = "API"
    bootstrap_cluster_creator_admin_permissions = false
  }}

  upgrade_policy {{
    support_type = "STANDARD"
  }}

  vpc_config {{
    subnet_ids              = [for s in aws_subnet.this : s.id]
    endpoint_private_access = true
    endpoint_public_access  = false
  }}

  tags = {{ Name = "provider-eks" }}
}}

resource "aws_eks_access_entry" "admin" {{
  cluster_name  = aws_eks_cluster.this.name
  principal_arn = aws_iam_role.this["admin"].arn
  type          = "STANDARD"
  tags          = {{ Name = "admin" }}
}}

resource "aws_eks_access_policy_association" "cluster" {{
  cluster_name  = aws_eks_cluster.this.name
  principal_arn = aws_eks_access_entry.admin.principal_arn
  policy_arn    = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy"
  access_scope {{
    type = "cluster"
  }}
}}

resource "aws_eks_access_policy_association" "namespace" {{
  cluster_name  = aws_eks_cluster.this.name
  principal_arn = aws_eks_access_entry.admin.principal_arn
  policy_arn    = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy"
  access_scope {{
    type       = "namespace"
    namespaces = ["apps", "jobs"]
  }}
}}

data "aws_eks_addon_version" "vpc_cni" {{
  addon_name         = "vpc-cni"
  kubernetes_version = aws_eks_cluster.this.version
  most_recent        = true
}}

resource "aws_eks_addon" "vpc_cni" {{
  cluster_name                = aws_eks_cluster.this.name
  addon_name                  = "vpc-cni"
  addon_version               = data.aws_eks_addon_version.vpc_cni.version
  service_account_role_arn    = aws_iam_role.this["cni"].arn
  resolve_conflicts_on_create = "OVERWRITE"
  resolve_conflicts_on_update = "OVERWRITE"
  configuration_values = jsonencode({{
    env = {{
      AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG = "true"
      ENI_CONFIG_LABEL_DEF               = "topology.kubernetes.io/zone"
      WARM_IP_TARGET                     = "{warm_ip_target}"
    }}
  }})
  tags = {{ Name = "vpc-cni" }}
}}

resource "aws_eks_node_group" "this" {{
  cluster_name    = aws_eks_cluster.this.name
  node_group_name = "system"
  node_role_arn   = aws_iam_role.this["ec2"].arn
  subnet_ids      = [for s in aws_subnet.this : s.id]
  instance_types  = ["m6i.large"]

  scaling_config {{
    min_size     = 1
    max_size     = 3
    desired_size = 1
  }}

  update_config {{
    max_unavailable = {max_unavailable}
  }}

  tags = {{ Name = "system" }}
}}

output "addon_version" {{
  value = aws_eks_addon.vpc_cni.addon_version
}}
"""


@pytest.mark.engines
def test_provider_applies_eks_access_addons_and_node_groups(
    fresh_emu: Emu, engine_env: dict[str, str], tmp_path: Path
) -> None:
    """Cluster (API authentication, STANDARD support), access entry with cluster- and namespace-scoped
    policies, the vpc-cni add-on at data.aws_eks_addon_version's version with its configuration and
    IRSA role, a node group with an update config: applied, planned empty, updated, planned empty,
    then all but the cluster destroyed."""
    run = tofu_runner(tmp_path, engine_env, fresh_emu.status.ca_bundle)
    log = Path(fresh_emu.status.log) if fresh_emu.status.log else None
    log_start = log.stat().st_size if log and log.exists() else 0

    def configure(warm_ip_target: int, max_unavailable: int) -> None:
        (tmp_path / "main.tf").write_text(
            emulator_provider(fresh_emu.endpoint, "ec2", "eks", "iam", "sts")
            + PROVIDER_CONFIG.format(
                region=REGION,
                endpoint=fresh_emu.endpoint,
                warm_ip_target=warm_ip_target,
                max_unavailable=max_unavailable,
            )
        )

    configure(warm_ip_target=5, max_unavailable=1)
    assert (out := run("init")).returncode == 0, out.stdout + out.stderr
    assert (out := run("apply", "-auto-approve")).returncode == 0, out.stdout[-4000:] + out.stderr[-4000:]
    assert (out := run("plan", "-detailed-exitcode")).returncode == 0, out.stdout[-4000:] + out.stderr[-4000:]

    eks = fresh_emu.client("eks")
    described = eks.describe_cluster(name="provider-eks")["cluster"]
    assert described["accessConfig"] == {"authenticationMode": "API"}
    assert described["upgradePolicy"] == {"supportType": "STANDARD"}
    admin = f"arn:aws:iam::{ACCOUNT}:role/eks-provider-admin"
    assert eks.list_access_entries(clusterName="provider-eks")["accessEntries"] == [admin]  # no creator entry
    scopes = {
        p["policyArn"].rsplit("/", 1)[1]: {**p["accessScope"], "namespaces": sorted(p["accessScope"]["namespaces"])}
        for p in eks.list_associated_access_policies(clusterName="provider-eks", principalArn=admin)[
            "associatedAccessPolicies"
        ]
    }
    assert scopes == {
        "AmazonEKSViewPolicy": {"type": "cluster", "namespaces": []},
        "AmazonEKSEditPolicy": {"type": "namespace", "namespaces": ["apps", "jobs"]},
    }
    addon = eks.describe_addon(clusterName="provider-eks", addonName="vpc-cni")["addon"]
    assert addon["addonVersion"] == "v1.21.1-eksbuild.1"  # most recent for 1.35
    assert addon["serviceAccountRoleArn"] == f"arn:aws:iam::{ACCOUNT}:role/eks-provider-cni"
    assert json.loads(addon["configurationValues"])["env"]["WARM_IP_TARGET"] == "5"

    # The update path: UpdateAddon and UpdateNodegroupConfig, each waited on through DescribeUpdate.
    configure(warm_ip_target=10, max_unavailable=2)
    assert (out := run("apply", "-auto-approve")).returncode == 0, out.stdout[-4000:] + out.stderr[-4000:]
    assert "2 changed" in out.stdout, out.stdout[-4000:]
    assert (out := run("plan", "-detailed-exitcode")).returncode == 0, out.stdout[-4000:] + out.stderr[-4000:]
    addon = eks.describe_addon(clusterName="provider-eks", addonName="vpc-cni")["addon"]
    assert json.loads(addon["configurationValues"])["env"]["WARM_IP_TARGET"] == "10"
    group = eks.describe_nodegroup(clusterName="provider-eks", nodegroupName="system")["nodegroup"]
    assert group["updateConfig"] == {"maxUnavailable": 2}
    assert len(eks.list_updates(name="provider-eks", addonName="vpc-cni")["updateIds"]) == 1
    assert len(eks.list_updates(name="provider-eks", nodegroupName="system")["updateIds"]) == 1
    if log:  # no EKS call the provider made failed or was retried (request_log lines)
        with log.open(errors="replace") as lines:
            lines.seek(log_start)
            assert [ln for ln in lines if ln.startswith("orch-emulator") and " eks " in ln] == []

    # Delete paths: DeleteAddon (waited on until DescribeAddon finds nothing), the access entry with
    # its policy associations, the node group. Not the cluster: the provider waits up to a minute at
    # random before DeleteCluster, whatever the API does.
    targets = ("aws_eks_addon.vpc_cni", "aws_eks_access_entry.admin", "aws_eks_node_group.this")
    out = run("destroy", "-auto-approve", *(f"-target={t}" for t in targets))
    assert out.returncode == 0, out.stdout[-4000:] + out.stderr[-4000:]
    assert eks.list_addons(clusterName="provider-eks")["addons"] == []
    assert eks.list_access_entries(clusterName="provider-eks")["accessEntries"] == []
    assert eks.list_nodegroups(clusterName="provider-eks")["nodegroups"] == []
