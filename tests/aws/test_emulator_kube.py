"""The local Kubernetes API of an emulated EKS cluster (orchestrator/emulator/patches/kube/,
orchestrator/emulator/kube/): a real kube-apiserver per cluster, authenticated and authorized as EKS
does it, through a real emulator process.

Real here: etcd, kube-apiserver, kube-controller-manager, kube-scheduler and kwok built from the Go
module proxy, the emulator's STS and EKS, tokens signed as `aws eks get-token` signs them (and once
by the AWS CLI itself). Skipped, with the reason, where the Kubernetes binaries are not built.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from typing import Any

import pytest

from orchestrator import emulator
from orchestrator.emulator.kube import binaries, clients
from tests.helpers import REGION, Emu

pytestmark = [
    pytest.mark.emulator,
    pytest.mark.skipif(not binaries.available(), reason=binaries.unavailable_reason() or "kube off"),
]

ACCOUNT = "123456789012"
CLUSTER = "kube-test"
POLICY = "arn:aws:eks::aws:cluster-access-policy/{}"
TRUST_EKS = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"Service": "eks.amazonaws.com"}, "Action": "sts:AssumeRole"}],
    }
)
TRUST_ACCOUNT = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}, "Action": "sts:AssumeRole"}
        ],
    }
)


class Cluster:
    def __init__(self, emu: Emu, description: dict[str, Any]) -> None:
        self.emu = emu
        self.name = description["name"]
        self.endpoint = description["endpoint"]
        self.ca_pem = base64.b64decode(description["certificateAuthority"]["data"])

    def token(self, credentials: dict[str, str] | None = None, cluster: str | None = None) -> str:
        return clients.eks_token(
            cluster or self.name,
            region=REGION,
            sts_endpoint=self.emu.endpoint,
            ca_bundle=self.emu.status.ca_bundle,
            credentials=credentials or {"aws_access_key_id": "test", "aws_secret_access_key": "test"},
        )

    def call(self, token: str, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        return clients.call(self.endpoint, self.ca_pem, token, method, path, body)

    def role(self, name: str, session: str = "tester") -> tuple[str, dict[str, str]]:
        """An IAM role and credentials of a session of it (the emulator's STS)."""
        arn = self.emu.client("iam").create_role(RoleName=name, AssumeRolePolicyDocument=TRUST_ACCOUNT)["Role"]["Arn"]
        creds = self.emu.client("sts").assume_role(RoleArn=arn, RoleSessionName=session)["Credentials"]
        return arn, {
            "aws_access_key_id": creds["AccessKeyId"],
            "aws_secret_access_key": creds["SecretAccessKey"],
            "aws_session_token": creds["SessionToken"],
        }


@pytest.fixture(scope="module")
def kube_emu(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Emu]:
    """An emulator of its own whose clusters get a local control plane (the session's has none)."""
    root = tmp_path_factory.mktemp("orch-kube-state")
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("ORCH_LOCAL_KUBE", raising=False)
        status = emulator.start(root / "local")
    try:
        yield Emu(status, root)
    finally:
        emulator.stop(root / "local")


@pytest.fixture(scope="module")
def cluster(kube_emu: Emu) -> Iterator[Cluster]:
    emu = kube_emu
    eks, iam = emu.client("eks"), emu.client("iam")
    role_arn = iam.create_role(RoleName="kube-test-cluster", AssumeRolePolicyDocument=TRUST_EKS)["Role"]["Arn"]
    started = time.monotonic()
    eks.create_cluster(
        name=CLUSTER,
        version="1.35",
        roleArn=role_arn,
        resourcesVpcConfig={"subnetIds": ["subnet-1", "subnet-2"]},
        accessConfig={"authenticationMode": "API", "bootstrapClusterCreatorAdminPermissions": True},
    )
    print(f"control plane ready in {time.monotonic() - started:.1f}s")
    yield Cluster(emu, eks.describe_cluster(name=CLUSTER)["cluster"])
    emu.reset()


def test_describe_cluster_names_the_local_api_server(cluster: Cluster) -> None:
    assert cluster.endpoint.startswith("https://127.0.0.1:")
    assert cluster.ca_pem.startswith(b"-----BEGIN CERTIFICATE-----")
    code, version = cluster.call(cluster.token(), "GET", "/version")
    assert code == 200, version
    assert version["gitVersion"] == "v1.35.4"


def test_creator_is_cluster_admin(cluster: Cluster) -> None:
    token = cluster.token()
    code, namespaces = cluster.call(token, "GET", "/api/v1/namespaces")
    assert code == 200, namespaces
    assert {"default", "kube-system"} <= {n["metadata"]["name"] for n in namespaces["items"]}
    code, review = cluster.call(
        token,
        "POST",
        "/apis/authentication.k8s.io/v1/selfsubjectreviews",
        {"apiVersion": "authentication.k8s.io/v1", "kind": "SelfSubjectReview"},
    )
    assert code == 201, review
    user = review["status"]["userInfo"]
    assert user["username"] == f"arn:aws:iam::{ACCOUNT}:user/moto"
    assert user["extra"]["canonicalArn"] == [f"arn:aws:iam::{ACCOUNT}:user/moto"]


def test_no_access_entry_no_access(cluster: Cluster) -> None:
    _, creds = cluster.role("kube-test-stranger")
    code, answer = cluster.call(cluster.token(creds), "GET", "/api/v1/namespaces")
    assert code == 401, answer


def test_token_of_another_cluster_or_altered_is_refused(cluster: Cluster) -> None:
    code, _ = cluster.call(cluster.token(cluster="some-other-cluster"), "GET", "/api/v1/namespaces")
    assert code == 401
    code, _ = cluster.call("k8s-aws-v1.bm90LWEtdXJs", "GET", "/api/v1/namespaces")
    assert code == 401
    code, _ = cluster.call("not-an-eks-token", "GET", "/api/v1/namespaces")
    assert code == 401


def test_namespace_scoped_view_policy(cluster: Cluster) -> None:
    eks = cluster.emu.client("eks")
    admin = cluster.token()
    for ns in ("team-a", "team-b"):
        cluster.call(admin, "POST", "/api/v1/namespaces", {"metadata": {"name": ns}})
    arn, creds = cluster.role("kube-test-developer", session="dev-session")
    eks.create_access_entry(clusterName=CLUSTER, principalArn=arn)
    eks.associate_access_policy(
        clusterName=CLUSTER,
        principalArn=arn,
        policyArn=POLICY.format("AmazonEKSViewPolicy"),
        accessScope={"type": "namespace", "namespaces": ["team-a"]},
    )
    token = cluster.token(creds)
    assert cluster.call(token, "GET", "/api/v1/namespaces/team-a/configmaps")[0] == 200
    code, answer = cluster.call(
        token, "POST", "/api/v1/namespaces/team-a/configmaps", {"metadata": {"name": "x"}, "data": {"a": "b"}}
    )
    assert code == 403, answer
    assert cluster.call(token, "GET", "/api/v1/namespaces/team-a/secrets")[0] == 403  # view reads no secrets
    assert cluster.call(token, "GET", "/api/v1/namespaces/team-b/configmaps")[0] == 403
    assert cluster.call(token, "GET", "/api/v1/namespaces")[0] == 403
    code, review = cluster.call(
        token,
        "POST",
        "/apis/authentication.k8s.io/v1/selfsubjectreviews",
        {"apiVersion": "authentication.k8s.io/v1", "kind": "SelfSubjectReview"},
    )
    assert review["status"]["userInfo"]["username"] == (
        f"arn:aws:sts::{ACCOUNT}:assumed-role/kube-test-developer/dev-session"
    )


def test_edit_policy_and_rbac_groups(cluster: Cluster) -> None:
    eks = cluster.emu.client("eks")
    admin = cluster.token()
    cluster.call(admin, "POST", "/api/v1/namespaces", {"metadata": {"name": "team-c"}})
    arn, creds = cluster.role("kube-test-editor")
    eks.create_access_entry(
        clusterName=CLUSTER, principalArn=arn, kubernetesGroups=["platform-readers"], username="editor"
    )
    eks.associate_access_policy(
        clusterName=CLUSTER,
        principalArn=arn,
        policyArn=POLICY.format("AmazonEKSEditPolicy"),
        accessScope={"type": "namespace", "namespaces": ["team-c*"]},
    )
    token = cluster.token(creds)
    code, answer = cluster.call(
        token, "POST", "/api/v1/namespaces/team-c/configmaps", {"metadata": {"name": "x"}, "data": {"a": "b"}}
    )
    assert code == 201, answer
    assert cluster.call(token, "GET", "/api/v1/nodes")[0] == 403
    assert cluster.call(token, "GET", "/api/v1/namespaces/default/configmaps")[0] == 403
    # RBAC the cluster's own objects grant (the layers' bindings): the entry's group bound to view.
    code, answer = cluster.call(
        admin,
        "POST",
        "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings",
        {
            "metadata": {"name": "platform-readers-view"},
            "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "view"},
            "subjects": [{"apiGroup": "rbac.authorization.k8s.io", "kind": "Group", "name": "platform-readers"}],
        },
    )
    assert code == 201, answer
    assert cluster.call(token, "GET", "/api/v1/namespaces/default/configmaps")[0] == 200
    code, review = cluster.call(
        token,
        "POST",
        "/apis/authentication.k8s.io/v1/selfsubjectreviews",
        {"apiVersion": "authentication.k8s.io/v1", "kind": "SelfSubjectReview"},
    )
    assert review["status"]["userInfo"]["username"] == "editor"
    assert "platform-readers" in review["status"]["userInfo"]["groups"]


def test_disassociated_policy_takes_access_away(cluster: Cluster) -> None:
    eks = cluster.emu.client("eks")
    arn, creds = cluster.role("kube-test-temporary")
    eks.create_access_entry(clusterName=CLUSTER, principalArn=arn)
    eks.associate_access_policy(
        clusterName=CLUSTER,
        principalArn=arn,
        policyArn=POLICY.format("AmazonEKSClusterAdminPolicy"),
        accessScope={"type": "cluster"},
    )
    token = cluster.token(creds)
    assert cluster.call(token, "GET", "/api/v1/nodes")[0] == 200
    eks.delete_access_entry(clusterName=CLUSTER, principalArn=arn)
    deadline = time.monotonic() + 20  # the API server caches a token's review for a few seconds
    while time.monotonic() < deadline and cluster.call(token, "GET", "/api/v1/nodes")[0] != 401:
        time.sleep(1)
    assert cluster.call(token, "GET", "/api/v1/nodes")[0] == 401


def test_nodes_and_workloads_run_on_simulated_nodes(cluster: Cluster) -> None:
    eks, iam = cluster.emu.client("eks"), cluster.emu.client("iam")
    node_role = iam.create_role(RoleName="kube-test-nodes", AssumeRolePolicyDocument=TRUST_EKS)["Role"]["Arn"]
    eks.create_nodegroup(
        clusterName=CLUSTER,
        nodegroupName="system",
        nodeRole=node_role,
        subnets=["subnet-1"],
        scalingConfig={"minSize": 2, "maxSize": 3, "desiredSize": 2},
        labels={"role": "system"},
    )
    admin = cluster.token()
    deadline = time.monotonic() + 60
    ready: list[str] = []
    while time.monotonic() < deadline:
        _, nodes = cluster.call(admin, "GET", "/api/v1/nodes?labelSelector=eks.amazonaws.com%2Fnodegroup%3Dsystem")
        ready = [
            n["metadata"]["name"]
            for n in nodes["items"]
            if any(c["type"] == "Ready" and c["status"] == "True" for c in n.get("status", {}).get("conditions", []))
        ]
        if len(ready) == 2:
            break
        time.sleep(1)
    assert len(ready) == 2
    deployment = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "web", "namespace": "default"},
        "spec": {
            "replicas": 2,
            "selector": {"matchLabels": {"app": "web"}},
            "template": {
                "metadata": {"labels": {"app": "web"}},
                "spec": {"nodeSelector": {"role": "system"}, "containers": [{"name": "web", "image": "nginx"}]},
            },
        },
    }
    code, answer = cluster.call(admin, "POST", "/apis/apps/v1/namespaces/default/deployments", deployment)
    assert code == 201, answer
    deadline = time.monotonic() + 90
    status: dict[str, Any] = {}
    while time.monotonic() < deadline:
        _, found = cluster.call(admin, "GET", "/apis/apps/v1/namespaces/default/deployments/web")
        status = found.get("status", {})
        if status.get("readyReplicas") == 2:
            break
        time.sleep(1)
    assert status.get("readyReplicas") == 2, status
    # Scaling the group adds (and removes) its nodes; a second group's nodes are its own.
    eks.update_nodegroup_config(
        clusterName=CLUSTER, nodegroupName="system", scalingConfig={"minSize": 1, "maxSize": 3, "desiredSize": 3}
    )
    eks.create_nodegroup(
        clusterName=CLUSTER,
        nodegroupName="apps",
        nodeRole=node_role,
        subnets=["subnet-1"],
        scalingConfig={"minSize": 1, "maxSize": 3, "desiredSize": 1},
    )
    _, nodes = cluster.call(admin, "GET", "/api/v1/nodes")
    groups = [n["metadata"]["labels"]["eks.amazonaws.com/nodegroup"] for n in nodes["items"]]
    assert sorted(groups) == ["apps", "system", "system", "system"]
    eks.delete_nodegroup(clusterName=CLUSTER, nodegroupName="apps")
    _, nodes = cluster.call(admin, "GET", "/api/v1/nodes")
    assert {n["metadata"]["labels"]["eks.amazonaws.com/nodegroup"] for n in nodes["items"]} == {"system"}


def test_vpc_cni_addon_installs_the_eniconfig_crd(cluster: Cluster) -> None:
    eks = cluster.emu.client("eks")
    eks.create_addon(clusterName=CLUSTER, addonName="vpc-cni")
    admin = cluster.token()
    deadline = time.monotonic() + 30
    code = 0
    while time.monotonic() < deadline:
        code, _ = cluster.call(
            admin,
            "POST",
            "/apis/crd.k8s.amazonaws.com/v1alpha1/eniconfigs",
            {
                "apiVersion": "crd.k8s.amazonaws.com/v1alpha1",
                "kind": "ENIConfig",
                "metadata": {"name": f"{REGION}a"},
                "spec": {"subnet": "subnet-1", "securityGroups": ["sg-1"]},
            },
        )
        if code == 201:
            break
        time.sleep(1)
    assert code == 201


@pytest.mark.skipif(shutil.which("aws") is None, reason="the AWS CLI (aws eks get-token) is not on PATH")
def test_aws_cli_token_is_accepted(cluster: Cluster, tmp_path: Any) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(
        HOME=str(tmp_path),
        AWS_ACCESS_KEY_ID="test",
        AWS_SECRET_ACCESS_KEY="test",
        AWS_DEFAULT_REGION=REGION,
        AWS_ENDPOINT_URL=cluster.emu.endpoint,
        AWS_CA_BUNDLE=str(cluster.emu.status.ca_bundle),
        AWS_CONFIG_FILE=str(tmp_path / "none"),
        AWS_SHARED_CREDENTIALS_FILE=str(tmp_path / "none"),
    )
    out = subprocess.run(
        ["aws", "eks", "get-token", "--cluster-name", CLUSTER, "--region", REGION, "--output", "json"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    token = json.loads(out.stdout)["status"]["token"]
    assert cluster.call(token, "GET", "/api/v1/namespaces")[0] == 200


def test_delete_cluster_stops_its_control_plane(cluster: Cluster) -> None:
    eks = cluster.emu.client("eks")
    token = cluster.token()
    for name in eks.list_nodegroups(clusterName=CLUSTER)["nodegroups"]:
        eks.delete_nodegroup(clusterName=CLUSTER, nodegroupName=name)
    eks.delete_cluster(name=CLUSTER)
    with pytest.raises(OSError):
        clients.call(cluster.endpoint, cluster.ca_pem, token, "GET", "/version", timeout=3)
