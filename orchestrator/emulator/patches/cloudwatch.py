"""CloudWatch: the smithy RPCv2 CBOR protocol, served by moto's query implementation.

Why: the CloudWatch clients of the AWS provider 6.x (aws-sdk-go-v2) and of botocore >= 1.43
speak only smithy RPCv2 CBOR to CloudWatch: `POST /service/GraniteServiceVersion20100801/
operation/<Operation>` with a CBOR body and the header `smithy-protocol: rpc-v2-cbor`. moto 5.2
routes CloudWatch on `/` and understands the old query (form) protocol only, so every such
request (PutMetricAlarm, DescribeAlarms, ...) answers 404 and no alarm can be managed locally.

Here such a request is translated, by botocore's own model of the service, into the query
request moto has always served, and moto's XML answer back into RPCv2 CBOR:

    CBOR body --(input shape)--> params --(query serializer)--> form body --> moto (path `/`)
    moto XML  --(query parser, output shape)--> result --(CBOR, output shape)--> response

This covers every CloudWatch operation moto implements, with moto's behaviour unchanged.
Errors follow the RPCv2 CBOR spec for an awsQueryCompatible service: HTTP 4xx/5xx, a CBOR map
with `__type` (the modeled error shape, `com.amazonaws.cloudwatch#ResourceNotFoundException`)
and `message`, plus `x-amzn-query-error: <query code>;Sender|Receiver`, from which both SDKs
take the error code, so callers see the same codes the query protocol gave them.

Limitation: the rewritten request keeps its SigV4 headers, but those sign the CBOR request; if
moto's IAM authentication were switched on (INITIAL_NO_AUTH_ACTION_COUNT, never set by orch),
its signature check would reject the rewritten request.
"""

from __future__ import annotations

import gzip
import http.client
import io
import traceback
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from functools import cache
from typing import Any
from urllib.parse import urlencode

PATH_PREFIX = "/service/GraniteServiceVersion20100801/operation/"
SHAPE_NAMESPACE = "com.amazonaws.cloudwatch"

WsgiApp = Callable[[dict[str, Any], Any], Iterable[bytes]]

# Headers of the CBOR request that would make moto treat the rewritten request as something else
# (or, for the compression and checksum headers, describe a body that is no longer there).
_DROPPED = (
    "HTTP_SMITHY_PROTOCOL",
    "HTTP_X_AMZN_QUERY_MODE",
    "HTTP_ACCEPT",
    "HTTP_CONTENT_ENCODING",
    "HTTP_X_AMZ_CONTENT_SHA256",
    "HTTP_TRANSFER_ENCODING",
)


class _Codec:
    """botocore's model, serializers and parsers of CloudWatch, built once per process."""

    def __init__(self) -> None:
        import botocore.session
        from botocore.parsers import QueryParser, RpcV2CBORParser
        from botocore.serialize import QuerySerializer, RpcV2CBORSerializer
        from botocore.utils import parse_timestamp

        self.model = botocore.session.get_session().get_service_model("cloudwatch")
        # UTC datetimes throughout: botocore's serializers format an aware datetime by its wall
        # clock, so a datetime in local time would be sent as the wrong instant.
        self.cbor_in = RpcV2CBORParser(timestamp_parser=lambda v: datetime.fromtimestamp(v, UTC))  # type: ignore[arg-type]  # stubs say str; CBOR passes epoch seconds
        self.query_out = QuerySerializer()
        self.xml_in = QueryParser(timestamp_parser=lambda v: parse_timestamp(v).astimezone(UTC))
        self.cbor_out = RpcV2CBORSerializer()
        self.errors = self._by_code(self.model.error_shapes)

    @staticmethod
    def _by_code(shapes: Iterable[Any]) -> dict[str, Any]:
        """query error code (what moto raises) -> modeled error shape, e.g. "InvalidParameterValue"
        -> InvalidParameterValueException."""
        found: dict[str, Any] = {}
        for shape in shapes:
            found.setdefault(shape.metadata.get("error", {}).get("code", shape.name), shape)
        return found

    def error_shape(self, code: str, operation: Any) -> Any:
        # The operation's own errors first: one query code can name two shapes ("ResourceNotFound"
        # is DashboardNotFoundError for GetDashboard and ResourceNotFound elsewhere).
        if operation is not None:
            shape = self._by_code(operation.error_shapes).get(code)
            if shape is not None:
                return shape
        return self.errors.get(code)

    def decode_request(self, body: bytes, shape: Any) -> dict[str, Any]:
        if shape is None or not body:
            return {}
        parsed = self.cbor_in.parse({"body": body, "headers": {}, "status_code": 200}, shape)
        parsed.pop("ResponseMetadata", None)
        return dict(parsed)

    def encode(self, value: Any, shape: Any) -> bytes:
        out = bytearray()
        self.cbor_out._serialize_data_item(out, value, shape)  # type: ignore[attr-defined]  # private botocore method, not in botocore-stubs
        return bytes(out)

    def encode_text_map(self, fields: dict[str, str]) -> bytes:
        # An error body has no shape of its own (`__type` is no member), so it is written as a
        # plain CBOR map of text strings: major type 5 with the length in the initial byte (< 24).
        out = bytearray([0xA0 | len(fields)])
        for key, value in fields.items():
            self.cbor_out._serialize_type_string(out, key, None, None)  # type: ignore[attr-defined]  # private botocore method, not in botocore-stubs
            self.cbor_out._serialize_type_string(out, value, None, None)  # type: ignore[attr-defined]  # private botocore method, not in botocore-stubs
        return bytes(out)


@cache
def _codec() -> _Codec:
    return _Codec()


def is_rpcv2_cbor(environ: dict[str, Any]) -> bool:
    return bool(
        environ.get("PATH_INFO", "").startswith(PATH_PREFIX)
        and environ.get("HTTP_SMITHY_PROTOCOL", "").lower() == "rpc-v2-cbor"
    )


def _read_body(environ: dict[str, Any]) -> bytes:
    length = environ.get("CONTENT_LENGTH")
    stream = environ["wsgi.input"]
    if length:
        body: bytes = stream.read(int(length))
    elif environ.get("wsgi.input_terminated"):  # chunked upload: the server ends the stream
        body = stream.read()
    else:
        body = b""
    # The SDKs gzip large PutMetricData bodies (the operation's requestCompression trait).
    if "gzip" in environ.get("HTTP_CONTENT_ENCODING", "").lower():
        body = gzip.decompress(body)
    return body


def _start(start_response: Any, status: int, body: bytes, extra: list[tuple[str, str]]) -> list[bytes]:
    headers = [
        ("smithy-protocol", "rpc-v2-cbor"),
        ("Content-Type", "application/cbor"),
        ("Content-Length", str(len(body))),
        *extra,
    ]
    start_response(f"{status} {http.client.responses.get(status, 'Error')}", headers)
    return [body]


def _error(
    start_response: Any,
    status: int,
    code: str,
    message: str,
    extra: list[tuple[str, str]] | None = None,
    operation: Any = None,
) -> list[bytes]:
    codec = _codec()
    shape = codec.error_shape(code, operation)
    fields = {"__type": f"{SHAPE_NAMESPACE}#{shape.name if shape is not None else code}", "message": message}
    if shape is not None and "Message" in shape.members:
        fields["Message"] = message  # the modeled member, which the SDKs' error types show
    if status < 400:
        status = 500
    fault = "Sender" if status < 500 else "Receiver"
    headers = [*(extra or []), ("x-amzn-query-error", f"{code};{fault}")]
    return _start(start_response, status, codec.encode_text_map(fields), headers)


def _call_moto(app: WsgiApp, environ: dict[str, Any]) -> tuple[int, dict[str, str], bytes]:
    captured: dict[str, Any] = {}
    chunks: list[bytes] = []

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        captured["status"], captured["headers"] = int(status.split()[0]), headers
        return chunks.append

    result = app(environ, start_response)
    try:
        chunks.extend(result)
    finally:
        close = getattr(result, "close", None)
        if close is not None:
            close()
    headers = {name.lower(): value for name, value in captured.get("headers", [])}
    return captured.get("status", 500), headers, b"".join(chunks)


def handle(app: WsgiApp, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
    """Serve one RPCv2 CBOR request with moto's query implementation (`app`: moto's WSGI app)."""
    codec = _codec()
    name = environ["PATH_INFO"][len(PATH_PREFIX) :].strip("/")
    if name not in codec.model.operation_names:
        return _error(start_response, 404, "UnknownOperationException", f"Unknown operation {name}")
    operation = codec.model.operation_model(name)
    try:
        params = codec.decode_request(_read_body(environ), operation.input_shape)
    except Exception as exc:  # any malformed body is the caller's fault, as on AWS
        return _error(start_response, 400, "SerializationException", f"Cannot decode the CBOR body: {exc}")

    form = urlencode(codec.query_out.serialize_to_request(params, operation)["body"]).encode()
    query = {k: v for k, v in environ.items() if k not in _DROPPED}
    query.update(
        {
            "REQUEST_METHOD": "POST",
            "PATH_INFO": "/",
            "QUERY_STRING": "",
            "RAW_URI": "/",
            "REQUEST_URI": "/",
            "CONTENT_TYPE": "application/x-www-form-urlencoded; charset=utf-8",
            "CONTENT_LENGTH": str(len(form)),
            "wsgi.input": io.BytesIO(form),
        }
    )
    try:
        status, headers, body = _call_moto(app, query)
    except Exception as exc:
        # moto lets exceptions out of its WSGI app (NotImplementedError for an operation it lacks);
        # the client must still get an RPCv2 error, and moto.log the traceback.
        traceback.print_exc()
        return _error(start_response, 500, "InternalFailure", f"{type(exc).__name__}: {exc}")
    extra = [("x-amzn-requestid", headers["x-amzn-requestid"])] if "x-amzn-requestid" in headers else []

    try:
        parsed = codec.xml_in.parse({"body": body, "headers": headers, "status_code": status}, operation.output_shape)  # type: ignore[arg-type]  # None (no output) is handled by botocore
    except Exception:
        # Not moto's XML (a Flask error page, say): pass on what it said.
        return _error(start_response, status, "InternalFailure", body.decode("utf-8", "replace")[:500], extra)
    if status >= 300:
        problem = parsed.get("Error", {})
        code = problem.get("Code") or str(status)
        shape = codec.error_shape(code, operation)
        modeled = shape.metadata.get("error", {}).get("httpStatusCode") if shape is not None else None
        return _error(start_response, modeled or status, code, problem.get("Message", ""), extra, operation)
    parsed.pop("ResponseMetadata", None)
    # An operation without output (PutMetricAlarm, DeleteAlarms, ...) answers an empty body.
    payload = b"" if operation.output_shape is None else codec.encode(parsed, operation.output_shape)
    return _start(start_response, 200, payload, extra)


def install() -> None:
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication

    original_call = DomainDispatcherApplication.__call__

    def call(self: Any, environ: dict[str, Any], start_response: Any) -> Any:
        if is_rpcv2_cbor(environ):
            return handle(lambda env, respond: original_call(self, env, respond), environ, start_response)
        return original_call(self, environ, start_response)

    DomainDispatcherApplication.__call__ = call  # type: ignore[method-assign]  # replaces moto's method
