"""Read-backs through the cluster's own Kubernetes API (issue 20): what 30-eks-cluster's add-ons
and 50-addons put inside the cluster, read with an EKS token (`k8s-aws-v1.`, signed as
`aws eks get-token` signs it) of an IAM role, as a person or CI would.

The API server is the emulator's local control plane of the cluster (orchestrator/emulator/kube/);
DescribeCluster names its endpoint and CA. Authentication and authorization are EKS's: access
entries and their access policies, then the RBAC the layers created.
"""

from __future__ import annotations

import base64
from typing import Any

from orchestrator.emulator.kube import clients

REGION = "ap-northeast-2"


class ClusterAPI:
    """The cluster's API server, called with tokens of IAM roles assumed through the emulator."""

    def __init__(self, eks: Any, sts: Any, cluster_name: str, sts_endpoint: str, ca_bundle: str | None) -> None:
        cluster = eks.describe_cluster(name=cluster_name)["cluster"]
        self.name = cluster_name
        self.endpoint = cluster["endpoint"]
        self.ca_pem = base64.b64decode(cluster["certificateAuthority"]["data"])
        self._sts = sts
        self._sts_endpoint = sts_endpoint
        self._ca_bundle = ca_bundle

    def token(self, role_arn: str, session: str = "e2e") -> str:
        creds = self._sts.assume_role(RoleArn=role_arn, RoleSessionName=session)["Credentials"]
        return clients.eks_token(
            self.name,
            region=REGION,
            sts_endpoint=self._sts_endpoint,
            ca_bundle=self._ca_bundle,
            credentials={
                "aws_access_key_id": creds["AccessKeyId"],
                "aws_secret_access_key": creds["SecretAccessKey"],
                "aws_session_token": creds["SessionToken"],
            },
        )

    def get(self, token: str, path: str) -> tuple[int, Any]:
        return clients.call(self.endpoint, self.ca_pem, token, "GET", path)

    def items(self, token: str, path: str) -> dict[str, dict[str, Any]]:
        code, answer = self.get(token, path)
        assert code == 200, (path, code, answer)
        return {
            (f"{i['metadata']['namespace']}/" if i["metadata"].get("namespace") else "") + i["metadata"]["name"]: i
            for i in answer["items"]
        }


def check_layer_objects(
    api: ClusterAPI,
    token: str,
    *,
    namespaces: dict[str, list[str]],
    pod_subnets_by_az: dict[str, str],
    efs: bool,
) -> None:
    """What the layers created, listed by the applying role: namespaces with their labels,
    default-deny NetworkPolicies in every application namespace, the RBAC of 50-addons, the
    StorageClasses (gp3 the default, gp2 no longer, efs) and the vpc-cni add-on's ENIConfigs."""
    found = api.items(token, "/api/v1/namespaces")
    for ns in namespaces["platform"]:
        assert found[ns]["metadata"]["labels"]["orch/tier"] == "platform", found[ns]["metadata"]
    for ns in namespaces["applications"]:
        labels = found[ns]["metadata"]["labels"]
        assert labels["orch/tier"] == "application" and labels["pod-security.kubernetes.io/enforce"] == "baseline"
        policies = api.items(token, f"/apis/networking.k8s.io/v1/namespaces/{ns}/networkpolicies")
        deny = policies.get(f"{ns}/default-deny")
        assert deny is not None, f"no default-deny NetworkPolicy in {ns}: {sorted(policies)}"
        # Every pod selected, no rule: nothing in (and nothing out where egress is restricted).
        assert deny["spec"].get("podSelector") in ({}, None) and "Ingress" in deny["spec"]["policyTypes"]
        assert not deny["spec"].get("ingress") and not deny["spec"].get("egress"), deny["spec"]
        bindings = api.items(token, f"/apis/rbac.authorization.k8s.io/v1/namespaces/{ns}/rolebindings")
        assert bindings[f"{ns}/orch:developers"]["roleRef"]["name"] == "orch:application-resources-edit"
    roles = api.items(token, "/apis/rbac.authorization.k8s.io/v1/clusterroles")
    assert {"orch:platform-resources-view", "orch:application-resources-edit"} <= set(roles)
    cluster_bindings = api.items(token, "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings")
    assert cluster_bindings["orch:platform-resources-view"]["roleRef"]["name"] == "orch:platform-resources-view"
    classes = api.items(token, "/apis/storage.k8s.io/v1/storageclasses")
    default = "storageclass.kubernetes.io/is-default-class"
    assert classes["gp3"]["metadata"]["annotations"][default] == "true"
    assert classes["gp3"]["provisioner"] == "ebs.csi.aws.com"
    assert classes["gp2"]["metadata"].get("annotations", {}).get(default) == "false"
    assert ("efs" in classes) == efs, sorted(classes)
    eni = api.items(token, "/apis/crd.k8s.amazonaws.com/v1alpha1/eniconfigs")
    assert {name: e["spec"]["subnet"] for name, e in eni.items()} == pod_subnets_by_az
