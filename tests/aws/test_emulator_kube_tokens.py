"""How the emulator checks EKS tokens and maps access policies (orchestrator/emulator/patches/kube/),
without a control plane: the checks aws-iam-authenticator makes of a `k8s-aws-v1.` token, and the
rule matching of the access policies. These run on a machine without the Kubernetes build; the
whole path through a real API server is tests/aws/test_emulator_kube.py."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import pytest

from orchestrator.emulator.kube import clients
from orchestrator.emulator.patches.kube import authorization, tokens

ENDPOINT = "https://127.0.0.1:4566"
CREDS = {"aws_access_key_id": "test", "aws_secret_access_key": "test"}


def token(cluster: str = "c1", endpoint: str = ENDPOINT) -> str:
    return clients.eks_token(cluster, region="eu-west-1", sts_endpoint=endpoint, credentials=CREDS)


def url_of(tok: str) -> str:
    encoded = tok[len("k8s-aws-v1.") :]
    return base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)).decode()


def retoken(url: str) -> str:
    return "k8s-aws-v1." + base64.urlsafe_b64encode(url.encode()).decode().rstrip("=")


def with_query(url: str, **changes: str | None) -> str:
    parts = urlsplit(url)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    for key, value in changes.items():
        key = key.replace("_", "-")
        if value is None:
            query.pop(key, None)
        else:
            query[key] = value
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), parts.fragment))


def test_a_token_signed_for_this_cluster_passes() -> None:
    url, query = tokens.verify_token(token("c1"), "c1")
    assert query["Action"] == "GetCallerIdentity"
    assert "x-k8s-aws-id" in query["X-Amz-SignedHeaders"].split(";")
    assert url.startswith(ENDPOINT)


def test_the_aws_sts_hosts_are_accepted_too() -> None:
    tokens.verify_token(token("c1", endpoint="https://sts.eu-west-1.amazonaws.com"), "c1")


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: token("other-cluster"), "SignatureDoesNotMatch"),
        (lambda: "Bearer-something", "not a k8s-aws-v1 token"),
        (lambda: retoken(url_of(token()).replace("127.0.0.1:4566", "evil.example.com")), "unexpected hostname"),
        (lambda: retoken(with_query(url_of(token()), Action="AssumeRole")), "not an sts:GetCallerIdentity"),
        (lambda: retoken(with_query(url_of(token()), X_Amz_SignedHeaders="host")), "x-k8s-aws-id is not a signed"),
        (lambda: retoken(with_query(url_of(token()), Extra="1")), "non-allowlisted"),
        (lambda: retoken(with_query(url_of(token()), X_Amz_Signature="0" * 64)), "SignatureDoesNotMatch"),
    ],
)
def test_tokens_the_authenticator_refuses(make: object, message: str) -> None:
    with pytest.raises(PermissionError, match=message):
        tokens.verify_token(make(), "c1")  # type: ignore[operator]


def test_a_token_is_good_for_15_minutes() -> None:
    tok = token()
    signed = datetime.strptime(parse_qs(urlsplit(url_of(tok)).query)["X-Amz-Date"][0], "%Y%m%dT%H%M%SZ")
    signed = signed.replace(tzinfo=UTC)
    tokens.verify_token(tok, "c1", now=signed + timedelta(minutes=14))
    with pytest.raises(PermissionError, match="expired"):
        tokens.verify_token(tok, "c1", now=signed + timedelta(minutes=16))


def test_unknown_credentials_are_refused() -> None:
    tok = clients.eks_token(
        "c1",
        region="eu-west-1",
        sts_endpoint=ENDPOINT,
        credentials={"aws_access_key_id": "AKIANOTISSUED", "aws_secret_access_key": "x"},
    )
    with pytest.raises(PermissionError, match="InvalidClientTokenId"):
        tokens.verify_token(tok, "c1")


VIEW = [
    {"apiGroups": [""], "resources": ["configmaps", "pods", "pods/log"], "verbs": ["get", "list", "watch"]},
    {"apiGroups": ["apps"], "resources": ["deployments"], "verbs": ["get", "list", "watch"]},
]


def review(verb: str, resource: str, group: str = "", namespace: str = "team", sub: str = "") -> dict[str, object]:
    attrs = {"verb": verb, "resource": resource, "group": group, "namespace": namespace}
    if sub:
        attrs["subresource"] = sub
    return {"resourceAttributes": attrs}


def test_rules_match_like_rbac() -> None:
    assert authorization._rules_allow(VIEW, review("list", "configmaps"))
    assert authorization._rules_allow(VIEW, review("get", "pods", sub="log"))
    assert not authorization._rules_allow(VIEW, review("create", "configmaps"))
    assert not authorization._rules_allow(VIEW, review("get", "secrets"))
    assert not authorization._rules_allow(VIEW, review("get", "deployments"))  # core group: no
    assert authorization._rules_allow(VIEW, review("get", "deployments", group="apps"))
    assert not authorization._rules_allow(VIEW, {"nonResourceAttributes": {"path": "/metrics", "verb": "get"}})
    assert authorization._rules_allow(
        [{"nonResourceURLs": ["/healthz*"], "verbs": ["get"]}],
        {"nonResourceAttributes": {"path": "/healthz/etcd", "verb": "get"}},
    )


def test_namespace_patterns() -> None:
    assert authorization._ns_match("team", "team") and not authorization._ns_match("team", "team-b")
    assert authorization._ns_match("team*", "team-b") and not authorization._ns_match("team*", "other")


def test_caller_principal_of_a_session() -> None:
    caller = tokens.Caller("arn:aws:sts::111111111111:assumed-role/dev/alice", "111111111111", "AROA:alice", "ASIA")
    assert caller.principal_arn == "arn:aws:iam::111111111111:role/dev"
    assert caller.session_name == "alice"
    assert tokens.Caller("arn:aws:sts::123456789012:user/moto", "123456789012", "x", "y").principal_arn == (
        "arn:aws:iam::123456789012:user/moto"
    )
