"""boto3 read-backs of the Phase 5 security pieces (issue 18): the human roles of
bootstrap/10-iam-baseline, Kubernetes RBAC through EKS access entries (30-eks-cluster), the External
Secrets Operator's IRSA role (50-addons) and the interface endpoints' policies (10-networking).

Pure assertion helpers, like checks_eks.py: each takes boto3 clients and what the plan requires.
The Kubernetes side (namespaces, network policies, the operator's release) needs a Kubernetes API,
which the emulator has not; tests/*.tftest.hcl of eks-addons check it at plan time.
"""

from __future__ import annotations

import json
from typing import Any

POLICY_PREFIX = "arn:aws:eks::aws:cluster-access-policy/"


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def assert_human_role(iam: Any, role_name: str, *, principals: list[str], managed: set[str]) -> dict[str, Any]:
    """The role trusts exactly `principals` as the baseline does: IAM principals with MFA, Identity
    Center permission-set roles by aws:PrincipalArn (their account root as Principal, no MFA key);
    nothing else, and the managed policies are exactly `managed` (names)."""
    role = iam.get_role(RoleName=role_name)["Role"]
    statements = role["AssumeRolePolicyDocument"]["Statement"]
    sso = [p for p in principals if "/aws-reserved/sso.amazonaws.com/" in p]
    others = [p for p in principals if p not in sso]
    trusted: set[str] = set()
    for statement in statements:
        assert statement["Effect"] == "Allow", statement
        assert "sts:AssumeRole" in _as_list(statement["Action"]), statement
        named = _as_list(statement["Principal"]["AWS"])
        condition = statement.get("Condition", {})
        if "ArnLike" in condition:
            assert "aws:MultiFactorAuthPresent" not in str(condition), statement
            patterns = _as_list(condition["ArnLike"]["aws:PrincipalArn"])
            assert all(n.endswith(":root") for n in named), statement
            trusted.update(patterns)
        else:
            assert condition.get("Bool", {}).get("aws:MultiFactorAuthPresent") == "true", statement
            trusted.update(named)
    assert trusted == set(sso) | set(others), (role_name, sorted(trusted))
    attached = iam.list_attached_role_policies(RoleName=role_name)["AttachedPolicies"]
    assert {p["PolicyName"] for p in attached} == managed, (role_name, attached)
    return role


def assert_access_policies(eks: Any, cluster_name: str, expected: dict[str, dict[str, list[str] | None]]) -> None:
    """Each principal's associated access policies: {principal: {policy name: namespaces or None (cluster)}}."""
    for principal, policies in expected.items():
        associated = eks.list_associated_access_policies(clusterName=cluster_name, principalArn=principal)
        found = {
            p["policyArn"].removeprefix(POLICY_PREFIX): (
                None if p["accessScope"]["type"] == "cluster" else sorted(p["accessScope"].get("namespaces", []))
            )
            for p in associated["associatedAccessPolicies"]
        }
        want = {name: None if scope is None else sorted(scope) for name, scope in policies.items()}
        assert found == want, f"{principal}: {found}"


def assert_kubernetes_groups(eks: Any, cluster_name: str, expected: dict[str, list[str]]) -> None:
    for principal, groups in expected.items():
        entry = eks.describe_access_entry(clusterName=cluster_name, principalArn=principal)["accessEntry"]
        assert sorted(entry.get("kubernetesGroups", [])) == sorted(groups), (principal, entry.get("kubernetesGroups"))


def assert_external_secrets_role(
    iam: Any, role_name: str, *, readable: set[str], kms_key_arns: set[str], region: str
) -> None:
    """Trusted only by external-secrets:external-secrets; reads only `readable` (the environment's name
    prefix and the Aurora master secret), decrypts only with `kms_key_arns`, only via Secrets Manager."""
    doc = iam.get_role(RoleName=role_name)["Role"]["AssumeRolePolicyDocument"]
    (statement,) = doc["Statement"]
    assert statement["Action"] == "sts:AssumeRoleWithWebIdentity"
    subs = [v for k, v in statement["Condition"]["StringEquals"].items() if k.endswith(":sub")]
    assert _as_list(subs[0]) == ["system:serviceaccount:external-secrets:external-secrets"], subs
    names = iam.list_role_policies(RoleName=role_name)["PolicyNames"]
    assert iam.list_attached_role_policies(RoleName=role_name)["AttachedPolicies"] == []
    documents = [iam.get_role_policy(RoleName=role_name, PolicyName=name)["PolicyDocument"] for name in names]
    statements = [s for document in documents for s in document["Statement"]]
    read = [s for s in statements if any(a.startswith("secretsmanager:") for a in _as_list(s["Action"]))]
    assert len(read) == 1, statements
    assert set(_as_list(read[0]["Resource"])) == readable, read
    assert "secretsmanager:ListSecrets" not in _as_list(read[0]["Action"])
    decrypt = [s for s in statements if "kms:Decrypt" in _as_list(s["Action"])]
    assert len(decrypt) == 1 and set(_as_list(decrypt[0]["Resource"])) == kms_key_arns, decrypt
    assert decrypt[0]["Condition"] == {"StringEquals": {"kms:ViaService": f"secretsmanager.{region}.amazonaws.com"}}
    assert all(s["Resource"] != "*" for s in statements), statements


def assert_endpoint_policies(endpoints: dict[str, dict[str, Any]], account: str, resource_services: set[str]) -> None:
    """Every interface endpoint lets only this account's principals through; the data services also
    only to this account's resources; STS also serves IRSA's web-identity calls into this account."""
    for service, endpoint in endpoints.items():
        if endpoint["VpcEndpointType"] != "Interface":
            continue
        policy = json.loads(endpoint["PolicyDocument"])
        (main,) = [s for s in policy["Statement"] if s.get("Sid") == "OnlyThisAccountsPrincipals"]
        assert main["Effect"] == "Allow" and main["Principal"] == "*", (service, main)
        assert main["Condition"]["StringEquals"]["aws:PrincipalAccount"] == account, (service, main)
        restricted = main["Condition"].get("StringEqualsIfExists", {}).get("aws:ResourceAccount")
        assert (restricted == account) == (service in resource_services), (service, main)
        others = [s for s in policy["Statement"] if s is not main]
        if service == "sts":
            (web,) = others
            assert web["Action"] == "sts:AssumeRoleWithWebIdentity", web
            assert web["Resource"] == f"arn:aws:iam::{account}:role/*", web
        else:
            assert others == [], (service, others)
