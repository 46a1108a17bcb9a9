"""Clients of a cluster's API server: an EKS token and a call with it (tests, `orch local` users)."""

from __future__ import annotations

import json
import ssl
import urllib.error
import urllib.request
from typing import Any

from orchestrator.emulator.kube.plane import decode

TOKEN_EXPIRES = 60  # seconds, the X-Amz-Expires `aws eks get-token` signs with


def eks_token(
    cluster_name: str,
    *,
    region: str,
    sts_endpoint: str | None,
    ca_bundle: str | None = None,
    credentials: dict[str, str] | None = None,
) -> str:
    """`k8s-aws-v1.` + base64url of a presigned sts:GetCallerIdentity URL whose signed headers carry
    x-k8s-aws-id = cluster_name: the token `aws eks get-token` prints (awscli customizations/eks)."""
    import base64

    import boto3

    session = boto3.session.Session(
        aws_access_key_id=(credentials or {}).get("aws_access_key_id"),
        aws_secret_access_key=(credentials or {}).get("aws_secret_access_key"),
        aws_session_token=(credentials or {}).get("aws_session_token"),
        region_name=region,
    )
    sts = session.client("sts", region_name=region, endpoint_url=sts_endpoint, verify=ca_bundle)

    def add_header(request: Any, **_: Any) -> None:
        request.headers["x-k8s-aws-id"] = cluster_name

    sts.meta.events.register("before-sign.sts.GetCallerIdentity", add_header)
    url = sts.generate_presigned_url("get_caller_identity", Params={}, ExpiresIn=TOKEN_EXPIRES, HttpMethod="GET")
    return "k8s-aws-v1." + base64.urlsafe_b64encode(url.encode()).decode().rstrip("=")


def call(
    endpoint: str, ca_pem: bytes, token: str, method: str, path: str, body: Any = None, timeout: float = 15.0
) -> tuple[int, Any]:
    """One Kubernetes API call with a bearer token: (status, decoded JSON body or text)."""
    context = ssl.create_default_context(cadata=ca_pem.decode())
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(f"{endpoint}{path}", data=data, method=method)
    req.add_header("Authorization", f"Bearer {token}")
    req.add_header("Accept", "application/json")
    if data is not None:
        req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=timeout, context=context) as resp:
            return resp.status, decode(resp.read())
    except urllib.error.HTTPError as exc:
        return exc.code, decode(exc.read())
