"""Throttling on demand: the first N calls of chosen operations are answered as AWS throttles them.

Why: AWS throttles busy accounts (EC2 Describe* under a large apply, STS in CI fleets), and orch's
boto3 calls and the engines' provider must ride it out with retries and backoff. moto never
throttles, so nothing proved they do. This is a fault-injection switch, off unless set:

    ORCH_EMULATOR_THROTTLE="ec2:DescribeVpcs=3,sts:GetCallerIdentity=2"

in the environment of the emulator process (`ORCH_EMULATOR_THROTTLE=... orch local up`, or of the
`--local` command that starts it) answers the first 3 DescribeVpcs and the first 2
GetCallerIdentity calls (every attempt counts) with a throttling error; later calls reach moto.
`service` is the SigV4 signing name (ec2, sts, s3, kms, eks, iam, dynamodb, rds, elasticache,
monitoring = CloudWatch, elasticfilesystem = EFS; `cloudwatch` and `efs` are accepted too) and
`Operation` the API name as in botocore's model, or `*` for every operation of the service.

The answer has the shape that service gives on AWS, with codes both botocore (`_retry.json`,
standard mode) and the AWS SDK for Go v2 (the provider) retry:

- EC2: HTTP 503 `RequestLimitExceeded` (EC2's error XML);
- S3: HTTP 503 `SlowDown` (S3's error XML; no body for HEAD);
- query protocol (STS, IAM, RDS, ElastiCache, ...): HTTP 400 `Throttling`, `ErrorResponse` XML;
- JSON protocol (KMS, DynamoDB, CloudWatch Logs, ...): HTTP 400 `ThrottlingException`;
- RPCv2 CBOR (CloudWatch): HTTP 400 `ThrottlingException` as CBOR, `x-amzn-query-error: Throttling;Sender`;
- REST-JSON (EKS, EFS, ...): HTTP 429 `ThrottlingException` (`x-amzn-ErrorType`).

Each throttled answer writes one line to the emulator's log (moto.log):
`orch-emulator HH:MM:SS throttled 503 ec2:DescribeVpcs (1 of 3) invocation=...`.
`GET /_orch/throttle` answers `{"spec": {...}, "served": {"ec2:DescribeVpcs": 3}}`; `POST
/_orch/throttle` with a spec as its body replaces the spec and zeroes the counts (an empty body
switches throttling off).
"""

from __future__ import annotations

import json
import sys
import threading
import time
import uuid
from typing import Any
from urllib.parse import parse_qs, quote

from orchestrator import settings
from orchestrator.emulator.patches.request_log import query_action
from orchestrator.errors import OrchError

ENV_VAR = "ORCH_EMULATOR_THROTTLE"
DEBUG_PATH = "/_orch/throttle"
# Names people use for services whose SigV4 signing name differs.
SIGNING_NAMES = {"cloudwatch": "monitoring", "efs": "elasticfilesystem"}
BOTOCORE_NAMES = {signing: name for name, signing in SIGNING_NAMES.items()}

_spec: dict[str, int] = {}
_served: dict[str, int] = {}
_lock = threading.Lock()


def parse_spec(text: str) -> dict[str, int]:
    """`ec2:DescribeVpcs=3,sts:GetCallerIdentity=2` -> {"ec2:DescribeVpcs": 3, ...}."""
    spec: dict[str, int] = {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        target, _, count = item.partition("=")
        service, _, operation = target.strip().partition(":")
        if not service or not operation or not count.strip().isdigit():
            raise OrchError(f"{ENV_VAR}: {item!r} is not service:Operation=N (e.g. ec2:DescribeVpcs=3)")
        service = SIGNING_NAMES.get(service.lower(), service.lower())
        spec[f"{service}:{operation.strip()}"] = int(count)
    return spec


def configure(text: str) -> None:
    parsed = parse_spec(text)
    with _lock:
        _spec.clear()
        _spec.update(parsed)
        _served.clear()


def signing_service(environ: dict[str, Any]) -> str | None:
    """The service in the SigV4 credential scope (`Credential=AKID/date/region/SERVICE/aws4_request`)."""
    auth = environ.get("HTTP_AUTHORIZATION", "")
    if "Credential=" in auth:
        scope = auth.split("Credential=", 1)[1].split(",", 1)[0].split("/")
    else:
        scope = parse_qs(environ.get("QUERY_STRING", "")).get("X-Amz-Credential", [""])[0].split("/")
    return scope[3].lower() if len(scope) >= 5 else None


def operation_name(environ: dict[str, Any], service: str) -> str | None:
    """The API operation a request calls, without consuming a body moto still has to read."""
    target = environ.get("HTTP_X_AMZ_TARGET")
    if target:
        return str(target).rsplit(".", 1)[-1]
    path = environ.get("PATH_INFO", "")
    if environ.get("HTTP_SMITHY_PROTOCOL") == "rpc-v2-cbor" and "/operation/" in path:
        return str(path.rsplit("/", 1)[-1])
    return query_action(environ) or _rest_operation(environ, BOTOCORE_NAMES.get(service, service))


def _rest_operation(environ: dict[str, Any], service: str) -> str | None:
    """REST protocols (S3, EKS, ...): the operation whose HTTP method and URI the request matches."""
    from moto.core.routing import get_service_router
    from werkzeug.wrappers import Request

    class _Request(Request):
        @property
        def raw_path(self) -> str:
            raw = self.environ.get("RAW_URI") or self.environ.get("REQUEST_URI")
            return str(raw).split("?", 1)[0] if raw else quote(self.environ.get("PATH_INFO", ""))

    try:
        operation, _ = get_service_router(service).match(_Request(dict(environ)))  # type: ignore[arg-type]  # werkzeug Request + raw_path: all the router reads
    except Exception:  # an unknown service or a path no operation has: never throttled
        return None
    return str(operation.name)


def take(service: str, operation: str) -> tuple[str, int, int] | None:
    """Count this call against the spec: (key, n, of) when it is to be throttled."""
    with _lock:
        for key in (f"{service}:{operation}", f"{service}:*"):
            limit = _spec.get(key)
            if limit is None or _served.get(key, 0) >= limit:
                continue
            _served[key] = _served.get(key, 0) + 1
            return key, _served[key], limit
    return None


def _cbor_text(value: str) -> bytes:
    data = value.encode()
    if len(data) < 24:
        return bytes([0x60 + len(data)]) + data
    if len(data) < 256:
        return bytes([0x78, len(data)]) + data
    return bytes([0x79]) + len(data).to_bytes(2, "big") + data


def throttle_answer(environ: dict[str, Any], service: str) -> tuple[str, list[tuple[str, str]], bytes]:
    """Status line, headers and body of the throttling error `service` gives on AWS."""
    request_id = str(uuid.uuid4())
    head = environ.get("REQUEST_METHOD") == "HEAD"
    if service == "ec2":
        body = (
            '<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>RequestLimitExceeded</Code>'
            f"<Message>Request limit exceeded.</Message></Error></Errors><RequestID>{request_id}</RequestID></Response>"
        )
        return "503 Service Unavailable", [("Content-Type", "text/xml;charset=UTF-8")], body.encode()
    if service == "s3":
        body = (
            '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>SlowDown</Code>'
            f"<Message>Please reduce your request rate.</Message><RequestId>{request_id}</RequestId></Error>"
        )
        headers = [("Content-Type", "application/xml"), ("x-amz-request-id", request_id)]
        return "503 Slow Down", headers, b"" if head else body.encode()
    if environ.get("HTTP_SMITHY_PROTOCOL") == "rpc-v2-cbor":
        cbor = (
            b"\xa2"
            + _cbor_text("__type")
            + _cbor_text("ThrottlingException")
            + _cbor_text("message")
            + _cbor_text("Rate exceeded")
        )
        headers = [
            ("Content-Type", "application/cbor"),
            ("smithy-protocol", "rpc-v2-cbor"),
            ("x-amzn-query-error", "Throttling;Sender"),
            ("x-amzn-RequestId", request_id),
        ]
        return "400 Bad Request", headers, cbor
    if environ.get("HTTP_X_AMZ_TARGET"):
        content_type = str(environ.get("CONTENT_TYPE") or "application/x-amz-json-1.1")
        body = json.dumps({"__type": "ThrottlingException", "message": "Rate exceeded"})
        headers = [("Content-Type", content_type), ("x-amzn-RequestId", request_id)]
        return "400 Bad Request", headers, body.encode()
    if str(environ.get("CONTENT_TYPE", "")).startswith("application/x-www-form-urlencoded") or parse_qs(
        environ.get("QUERY_STRING", "")
    ).get("Action"):
        body = (
            f'<ErrorResponse xmlns="https://{service}.amazonaws.com/doc/"><Error><Type>Sender</Type>'
            "<Code>Throttling</Code><Message>Rate exceeded</Message></Error>"
            f"<RequestId>{request_id}</RequestId></ErrorResponse>"
        )
        return "400 Bad Request", [("Content-Type", "text/xml")], body.encode()
    headers = [
        ("Content-Type", "application/json"),
        ("x-amzn-ErrorType", "ThrottlingException"),
        ("x-amzn-RequestId", request_id),
    ]
    return "429 Too Many Requests", headers, b"" if head else b'{"message": "Rate exceeded"}'


def _debug(environ: dict[str, Any], start_response: Any) -> list[bytes]:
    if environ.get("REQUEST_METHOD") == "POST":
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        try:
            configure(environ["wsgi.input"].read(length).decode() if length else "")
        except OrchError as exc:
            start_response("400 Bad Request", [("Content-Type", "text/plain")])
            return [str(exc).encode()]
    with _lock:
        body = json.dumps({"spec": dict(_spec), "served": dict(_served)})
    start_response("200 OK", [("Content-Type", "application/json")])
    return [body.encode()]


def install() -> None:
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication

    text = settings.emulator_throttle()
    try:
        configure(text)
    except OrchError as exc:
        print(f"orch-emulator {exc}: throttling stays off", file=sys.stderr, flush=True)
    if _spec:
        print(f"orch-emulator throttling on: {json.dumps(_spec)}", file=sys.stderr, flush=True)

    original_call = DomainDispatcherApplication.__call__

    def call(self: Any, environ: dict[str, Any], start_response: Any) -> Any:
        if environ.get("PATH_INFO") == DEBUG_PATH:
            return _debug(environ, start_response)
        if _spec:
            service = signing_service(environ)
            if service and any(key.split(":", 1)[0] == service for key in _spec):
                operation = operation_name(environ, service)
                taken = take(service, operation) if operation else None
                if taken is not None:
                    key, number, limit = taken
                    status, headers, body = throttle_answer(environ, service)
                    print(
                        f"orch-emulator {time.strftime('%H:%M:%S')} throttled {status.split(' ', 1)[0]} {key} "
                        f"({number} of {limit}) invocation={environ.get('HTTP_AMZ_SDK_INVOCATION_ID', '-')}",
                        file=sys.stderr,
                        flush=True,
                    )
                    start_response(status, [*headers, ("Content-Length", str(len(body)))])
                    return [body]
        return original_call(self, environ, start_response)

    DomainDispatcherApplication.__call__ = call  # type: ignore[method-assign]  # replaces moto's method
