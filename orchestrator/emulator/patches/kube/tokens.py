"""The token webhook: a `k8s-aws-v1.` token checked as aws-iam-authenticator checks it, replayed to
the emulator's STS, and the caller's access entry as the Kubernetes identity."""

from __future__ import annotations

import base64
import json
import re
import ssl
import sys
import urllib.error
import urllib.request
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

from orchestrator.emulator.patches.kube.entries import access_entry, cluster_of
from orchestrator.emulator.patches.kube.planes import emulator_ca, emulator_url

TOKEN_PREFIX = "k8s-aws-v1."
CLUSTER_ID_HEADER = "x-k8s-aws-id"
TOKEN_LIFETIME = timedelta(minutes=15)
ALLOWED_QUERY = {
    "action",
    "version",
    "x-amz-algorithm",
    "x-amz-credential",
    "x-amz-date",
    "x-amz-expires",
    "x-amz-security-token",
    "x-amz-signature",
    "x-amz-signedheaders",
}
STS_HOST_RE = re.compile(r"^sts(\.[a-z0-9-]+)?\.amazonaws\.com(\.cn)?$")


def token_review(key: tuple[str, str, str], review: dict[str, Any]) -> dict[str, Any]:
    token = str((review.get("spec") or {}).get("token") or "")
    try:
        status = {"authenticated": True, "user": authenticate(key, token)}
    except PermissionError as exc:
        print(f"orch-emulator kube {key[2]}: token refused: {exc}", file=sys.stderr, flush=True)
        status = {"authenticated": False, "error": str(exc)}
    return {"apiVersion": "authentication.k8s.io/v1", "kind": "TokenReview", "status": status}


class Caller:
    def __init__(self, arn: str, account: str, user_id: str, access_key: str) -> None:
        self.arn, self.account, self.user_id, self.access_key = arn, account, user_id, access_key

    @property
    def session_name(self) -> str:
        return self.arn.rsplit("/", 1)[1] if ":assumed-role/" in self.arn else ""

    @property
    def principal_arn(self) -> str:
        """The IAM principal of an STS identity: the role of an assumed-role session."""
        match = re.match(r"^arn:(aws[a-z-]*):sts::(\d{12}):assumed-role/([^/]+)/.+$", self.arn)
        if match:
            return f"arn:{match[1]}:iam::{match[2]}:role/{match[3]}"
        match = re.match(r"^arn:(aws[a-z-]*):sts::(\d{12}):user/(.+)$", self.arn)  # moto's default caller
        if match:
            return f"arn:{match[1]}:iam::{match[2]}:user/{match[3]}"
        return self.arn


def verify_token(token: str, cluster_name: str, *, now: datetime | None = None) -> tuple[str, dict[str, str]]:
    """Check a `k8s-aws-v1.` token as aws-iam-authenticator does; return (presigned URL, its query)."""
    if not token.startswith(TOKEN_PREFIX):
        raise PermissionError("token is not a k8s-aws-v1 token")
    encoded = token[len(TOKEN_PREFIX) :]
    try:
        url = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)).decode()
    except (ValueError, UnicodeDecodeError):
        raise PermissionError("token is not base64url") from None
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.scheme != "https" and not (parts.scheme == "http" and host in ("127.0.0.1", "localhost")):
        raise PermissionError(f"unexpected scheme {parts.scheme!r} in the presigned URL")
    if host not in ("127.0.0.1", "localhost") and not STS_HOST_RE.match(host):
        raise PermissionError(f"unexpected hostname {host!r} in the presigned URL (not STS)")
    if parts.path not in ("", "/"):
        raise PermissionError("unexpected path in the presigned URL")
    query = {k: v[0] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
    lowered = {k.lower(): v for k, v in query.items()}
    extra = set(lowered) - ALLOWED_QUERY
    if extra:
        raise PermissionError(f"non-allowlisted query parameters {sorted(extra)}")
    if lowered.get("action") != "GetCallerIdentity":
        raise PermissionError("the presigned URL is not an sts:GetCallerIdentity call")
    signed = lowered.get("x-amz-signedheaders", "").split(";")
    if CLUSTER_ID_HEADER not in signed:
        raise PermissionError(f"{CLUSTER_ID_HEADER} is not a signed header of the token")
    try:
        date = datetime.strptime(lowered.get("x-amz-date", ""), "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    except ValueError:
        raise PermissionError("X-Amz-Date is missing or malformed") from None
    now = now or datetime.now(UTC)
    if now > date + TOKEN_LIFETIME:
        raise PermissionError("X-Amz-Date parameter is expired (15 minute expiration)")
    if date > now + timedelta(minutes=5):
        raise PermissionError("X-Amz-Date is in the future")
    _check_signature(url, query, cluster_name)
    return url, query


def _secret_of(access_key: str) -> str | None:
    """The secret of credentials the emulator issued (STS sessions, IAM user keys), or of its test
    credentials (`test`); None for anything else."""
    from moto.iam.models import iam_backends
    from moto.sts.models import sts_backends

    for account in list(sts_backends):
        for partition in list(sts_backends[account]):
            for role in sts_backends[account][partition].assumed_roles:
                if role.access_key_id == access_key:
                    return str(role.secret_access_key)
    for account in list(iam_backends):
        for partition in list(iam_backends[account]):
            user = iam_backends[account][partition].get_user_from_access_key_id(access_key)
            if user is not None:
                for key in user.access_keys:
                    if key.access_key_id == access_key:
                        return str(key.secret_access_key)
    return "test" if access_key == "test" else None


def _check_signature(url: str, query: dict[str, str], cluster_name: str) -> None:
    """Recompute the presigned URL's SigV4 signature with x-k8s-aws-id = this cluster (STS checks it on
    AWS; moto does not check signatures). A token for another cluster, or altered, fails here."""
    from botocore.auth import SigV4QueryAuth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    try:
        access_key, _date, region, service, _term = query["X-Amz-Credential"].split("/")
        expires = int(query["X-Amz-Expires"])
    except (KeyError, ValueError):
        raise PermissionError("X-Amz-Credential or X-Amz-Expires is malformed") from None
    secret = _secret_of(access_key)
    if secret is None:
        raise PermissionError("InvalidClientTokenId: the security token included in the request is invalid")
    parts = urlsplit(url)
    operation = "&".join(f"{k}={query[k]}" for k in ("Action", "Version") if k in query)
    request = AWSRequest(
        method="GET", url=f"{parts.scheme}://{parts.netloc}{parts.path or '/'}?{operation}", headers={}
    )
    request.headers[CLUSTER_ID_HEADER] = cluster_name
    request.context["timestamp"] = query["X-Amz-Date"]
    auth = SigV4QueryAuth(Credentials(access_key, secret, query.get("X-Amz-Security-Token")), service, region, expires)
    auth._modify_request_before_signing(request)  # type: ignore[attr-defined]  # botocore's signing step, untyped
    canonical = auth.canonical_request(request)
    signature = auth.signature(auth.string_to_sign(request, canonical), request)
    if signature != query.get("X-Amz-Signature"):
        raise PermissionError(
            "SignatureDoesNotMatch: the token was not signed for this cluster (x-k8s-aws-id) or was altered"
        )


def replay(url: str, query: dict[str, str], cluster_name: str) -> Caller:
    """GET the presigned URL from the emulator's STS (whatever STS host it names), as the authenticator
    does from STS: the caller's ARN, account and user id."""
    import xml.etree.ElementTree as ET

    parts = urlsplit(url)
    target = f"{emulator_url()}{parts.path or '/'}?{parts.query}"
    request = urllib.request.Request(target, headers={CLUSTER_ID_HEADER: cluster_name, "Accept": "application/json"})
    ca = emulator_ca()
    context = ssl.create_default_context(cafile=str(ca)) if ca else None
    try:
        with urllib.request.urlopen(request, timeout=10, context=context) as resp:
            raw = resp.read()
    except urllib.error.HTTPError as exc:
        raise PermissionError(f"sts:GetCallerIdentity answered {exc.code}") from None
    try:
        result = json.loads(raw)["GetCallerIdentityResponse"]["GetCallerIdentityResult"]
        arn, account, user_id = result["Arn"], result["Account"], result["UserId"]
    except (ValueError, KeyError, TypeError):
        root = ET.fromstring(raw)
        found = {el.tag.rsplit("}", 1)[-1]: (el.text or "") for el in root.iter()}
        arn, account, user_id = found.get("Arn", ""), found.get("Account", ""), found.get("UserId", "")
    if not arn:
        raise PermissionError("sts:GetCallerIdentity named no caller")
    return Caller(arn, account, user_id, query["X-Amz-Credential"].split("/", 1)[0])


def authenticate(key: tuple[str, str, str], token: str) -> dict[str, Any]:
    cluster_name = key[2]
    if cluster_of(key) is None:
        raise PermissionError(f"no cluster {cluster_name}")
    url, query = verify_token(token, cluster_name)
    caller = replay(url, query, cluster_name)
    principal = caller.principal_arn
    entry = access_entry(key, principal)
    if entry is None:
        raise PermissionError(f"{principal} has no access entry on cluster {cluster_name}")
    if entry.get("type", "STANDARD") != "STANDARD":
        raise PermissionError(f"{principal}'s access entry is of type {entry.get('type')} (nodes only)")
    username = str(entry.get("username") or principal)
    for placeholder, value in (
        ("{{SessionName}}", caller.session_name),
        ("{{SessionNameRaw}}", caller.session_name),
        ("{{AccountID}}", caller.account),
        ("{{AccessKeyID}}", caller.access_key),
    ):
        username = username.replace(placeholder, value)
    return {
        "username": username,
        "uid": f"aws-iam-authenticator:{caller.account}:{caller.user_id}",
        "groups": list(entry.get("kubernetesGroups") or []),
        "extra": {
            "arn": [caller.arn],
            "canonicalArn": [principal],
            "sessionName": [caller.session_name],
            "accessKeyId": [caller.access_key],
            "principalId": [caller.user_id],
        },
    }
