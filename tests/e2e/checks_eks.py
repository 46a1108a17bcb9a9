"""boto3 read-backs of the EKS layers (30-eks-cluster, 40-nodegroups, 50-addons).

Pure assertion helpers: each takes boto3 clients and what the plan requires, so the
platform test (tests/e2e/test_platform_local.py) can check what `orch --local apply` built.
"""

from __future__ import annotations

CLUSTER_NAME = "orch-eks-prod"
LOG_TYPES = {"api", "audit", "authenticator", "controllerManager", "scheduler"}
EXPECTED_NODE_GROUPS = {
    "system": {"instance_types": ["m6i.large"], "min": 2, "max": 4, "capacity": "ON_DEMAND"},
    "application": {"instance_types": ["m6i.xlarge"], "min": 2, "max": 10, "capacity": "ON_DEMAND"},
    "spot": {
        "instance_types": ["m6i.xlarge", "m5.xlarge", "m5a.xlarge", "m6a.xlarge"],
        "min": 0,
        "max": 20,
        "capacity": "SPOT",
    },
}


def assert_cluster(eks, name: str, version: str = "1.35") -> dict:
    cluster = eks.describe_cluster(name=name)["cluster"]
    assert cluster["version"] == version
    assert cluster["status"] == "ACTIVE"
    enabled = {t for setup in cluster["logging"]["clusterLogging"] if setup.get("enabled") for t in setup["types"]}
    assert enabled == LOG_TYPES, f"control-plane log types: {enabled}"
    vpc = cluster["resourcesVpcConfig"]
    assert vpc["endpointPrivateAccess"] is True
    assert "0.0.0.0/0" not in vpc.get("publicAccessCidrs", []) or not vpc.get("endpointPublicAccess")
    return cluster


def assert_secrets_encryption(cluster: dict, kms) -> None:
    configs = cluster.get("encryptionConfig", [])
    assert len(configs) == 1, configs
    assert configs[0]["resources"] == ["secrets"]
    key_arn = configs[0]["provider"]["keyArn"]
    assert kms.describe_key(KeyId=key_arn)["KeyMetadata"]["KeyState"] == "Enabled"


def assert_log_group(logs, name: str) -> None:
    group_name = f"/aws/eks/{name}/cluster"
    groups = logs.describe_log_groups(logGroupNamePrefix=group_name)["logGroups"]
    group = next(g for g in groups if g["logGroupName"] == group_name)
    assert group.get("kmsKeyId"), "control-plane log group is not KMS-encrypted"
    assert group.get("retentionInDays", 0) >= 365


def assert_oidc_provider(iam, cluster: dict) -> None:
    issuer = cluster["identity"]["oidc"]["issuer"].removeprefix("https://")
    arns = [p["Arn"] for p in iam.list_open_id_connect_providers()["OpenIDConnectProviderList"]]
    match = [a for a in arns if a.endswith(f":oidc-provider/{issuer}")]
    assert match, f"no IAM OIDC provider for {issuer} in {arns}"
    provider = iam.get_open_id_connect_provider(OpenIDConnectProviderArn=match[0])
    assert provider["ClientIDList"] == ["sts.amazonaws.com"]


def assert_node_groups(eks, cluster_name: str, expected: dict) -> dict[str, dict]:
    names = set(eks.list_nodegroups(clusterName=cluster_name)["nodegroups"])
    assert names == {f"{cluster_name}-{k}" for k in expected}, names
    found = {}
    for key, want in expected.items():
        ng = eks.describe_nodegroup(clusterName=cluster_name, nodegroupName=f"{cluster_name}-{key}")["nodegroup"]
        assert ng["instanceTypes"] == want["instance_types"], key
        assert ng["scalingConfig"]["minSize"] == want["min"], key
        assert ng["scalingConfig"]["maxSize"] == want["max"], key
        assert ng["capacityType"] == want["capacity"], key
        assert ng["launchTemplate"]["id"], key
        assert ng["tags"].get(f"k8s.io/cluster-autoscaler/{cluster_name}") == "owned", key
        assert ng["tags"].get("k8s.io/cluster-autoscaler/enabled") == "true", key
        found[key] = ng
    return found


def assert_launch_template_hardened(ec2, template_id: str, ebs_key_expected: bool = True) -> None:
    version = ec2.describe_launch_template_versions(LaunchTemplateId=template_id, Versions=["$Latest"])
    data = version["LaunchTemplateVersions"][0]["LaunchTemplateData"]
    meta = data["MetadataOptions"]
    assert meta["HttpTokens"] == "required"
    assert meta["HttpEndpoint"] == "enabled"
    assert int(meta["HttpPutResponseHopLimit"]) == 1
    assert data["Monitoring"]["Enabled"] is True
    ebs = data["BlockDeviceMappings"][0]["Ebs"]
    assert ebs["VolumeType"] == "gp3"
    assert ebs["Encrypted"] is True
    if ebs_key_expected:
        assert ebs.get("KmsKeyId")


def assert_irsa_role(iam, role_name: str, subject: str) -> None:
    doc = iam.get_role(RoleName=role_name)["Role"]["AssumeRolePolicyDocument"]
    statement = doc["Statement"][0]
    assert statement["Action"] == "sts:AssumeRoleWithWebIdentity"
    subs = [v for k, v in statement["Condition"]["StringEquals"].items() if k.endswith(":sub")]
    assert subs and subject in (subs[0] if isinstance(subs[0], list) else [subs[0]])


ADMIN_POLICY = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy"


def assert_access(eks, cluster_name: str, principals: dict[str, str]) -> None:
    """Authentication mode API; each principal has an entry and exactly the associated policy given."""
    cluster = eks.describe_cluster(name=cluster_name)["cluster"]
    assert cluster["accessConfig"]["authenticationMode"] == "API", cluster.get("accessConfig")
    entries = set(eks.list_access_entries(clusterName=cluster_name)["accessEntries"])
    for principal, policy in principals.items():
        assert principal in entries, f"{principal} has no access entry: {sorted(entries)}"
        entry = eks.describe_access_entry(clusterName=cluster_name, principalArn=principal)["accessEntry"]
        assert entry["type"] == "STANDARD"
        associated = eks.list_associated_access_policies(clusterName=cluster_name, principalArn=principal)
        found = [(p["policyArn"], p["accessScope"]["type"]) for p in associated["associatedAccessPolicies"]]
        assert found == [(policy, "cluster")], f"{principal}: {found}"


def assert_addons(eks, iam, cluster_name: str, expected: dict[str, str | None]) -> dict[str, dict]:
    """Managed add-ons ACTIVE at their pinned versions; IRSA role names where one is expected."""
    assert set(eks.list_addons(clusterName=cluster_name)["addons"]) == set(expected)
    found = {}
    for name, role_name in expected.items():
        addon = eks.describe_addon(clusterName=cluster_name, addonName=name)["addon"]
        assert addon["status"] == "ACTIVE", (name, addon["status"])
        assert addon["addonVersion"].startswith("v") and "-eksbuild." in addon["addonVersion"], addon
        if role_name is None:
            assert not addon.get("serviceAccountRoleArn"), (name, addon.get("serviceAccountRoleArn"))
        else:
            assert addon["serviceAccountRoleArn"] == iam.get_role(RoleName=role_name)["Role"]["Arn"], name
        found[name] = addon
    return found


# ---------------------------------------------------------------------------------------
# The test
# ---------------------------------------------------------------------------------------
