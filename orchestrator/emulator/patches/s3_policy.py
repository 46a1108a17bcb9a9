"""S3 bucket policies: conditions evaluated like AWS does.

Why: moto 5.x enforces bucket policies on object requests but evaluates only the
`StringEquals` condition operator, ignores the rest as if they matched, and turns a statement
whose condition fails into an explicit Deny. A state-bucket policy such as "Deny s3:* when
aws:SecureTransport is false" or "Deny PutObject when s3:x-amz-server-side-encryption is not
aws:kms" therefore locks everybody out of the bucket. Here the conditions of bucket-policy
statements are evaluated like AWS does, from the request itself:

- aws:SecureTransport is "true" when the request came over TLS (the emulator serves HTTPS);
- s3:x-amz-server-side-encryption and s3:x-amz-server-side-encryption-aws-kms-key-id come from
  the request headers;
- operators Bool, Null, StringEquals, StringNotEquals, StringLike, StringNotLike (and ...IfExists);
  a missing key never matches a positive operator and always matches a negated one;
- a statement whose conditions do not match does not apply (neutral), as on AWS.

Trust policies (sts:AssumeRole) and anything else keep moto's own evaluation.
"""

from __future__ import annotations

import fnmatch
import json
import threading
from typing import Any

_request = threading.local()

_HEADER_KEYS = ("x-amz-server-side-encryption", "x-amz-server-side-encryption-aws-kms-key-id")


def request_context(environ: dict[str, Any]) -> dict[str, str]:
    values = {"aws:SecureTransport": "true" if environ.get("wsgi.url_scheme") == "https" else "false"}
    for header in _HEADER_KEYS:
        value = environ.get("HTTP_" + header.upper().replace("-", "_"))
        if value is not None:
            values[f"s3:{header}"] = value
    return values


def conditions_match(conditions: dict[str, dict[str, Any]], values: dict[str, str]) -> bool | None:
    """True/False as AWS would decide; None when an operator is not supported here."""
    for operator, pairs in conditions.items():
        if_exists = operator.endswith("IfExists")
        base = operator[: -len("IfExists")] if if_exists else operator
        for key, expected in pairs.items():
            wanted = [str(v) for v in (expected if isinstance(expected, list) else [expected])]
            actual = values.get(key)
            if base == "Null":
                if (actual is None) != (wanted[0].lower() == "true"):
                    return False
                continue
            negated = base in ("StringNotEquals", "StringNotLike")
            if actual is None:
                if if_exists or negated:
                    continue
                return False
            if base == "Bool":
                ok = actual.lower() in [w.lower() for w in wanted]
            elif base == "StringEquals":
                ok = actual in wanted
            elif base == "StringNotEquals":
                ok = actual not in wanted
            elif base == "StringLike":
                ok = any(fnmatch.fnmatchcase(actual, w) for w in wanted)
            elif base == "StringNotLike":
                ok = not any(fnmatch.fnmatchcase(actual, w) for w in wanted)
            else:
                return None
            if not ok:
                return False
    return True


def install() -> None:
    from moto.iam.access_control import IAMPolicyStatement, PermissionResult
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication

    original_call = DomainDispatcherApplication.__call__

    def call(self: Any, environ: dict[str, Any], start_response: Any) -> Any:
        _request.values = request_context(environ)
        try:
            return original_call(self, environ, start_response)
        finally:
            _request.values = None

    original_permitted = IAMPolicyStatement.is_action_permitted

    def is_action_permitted(
        self: Any,
        action: str,
        resource: str = "*",
        principal: str | None = None,
        incoming_condition_values: dict[str, str] | None = None,
    ) -> Any:
        statement = self._statement
        values = getattr(_request, "values", None)
        if incoming_condition_values is None and values is not None and statement.get("Condition"):
            matched = conditions_match(statement["Condition"], values)
            if matched is False:
                return PermissionResult.NEUTRAL
            if matched is True:
                bare = {k: v for k, v in statement.items() if k != "Condition"}
                return original_permitted(IAMPolicyStatement(bare), action, resource, principal, None)
        return original_permitted(self, action, resource, principal, incoming_condition_values)

    DomainDispatcherApplication.__call__ = call  # type: ignore[method-assign]  # replaces moto's method
    IAMPolicyStatement.is_action_permitted = is_action_permitted  # type: ignore[method-assign]  # replaces moto's method


def allow_statements(policy: bytes | str | None) -> list[dict[str, Any]]:
    """The Allow statements of a bucket policy document; none for no policy or one that is not JSON."""
    if not policy:
        return []
    try:
        document = json.loads(policy)
    except ValueError:
        return []
    statements = document.get("Statement", []) if isinstance(document, dict) else []
    listed = statements if isinstance(statements, list) else [statements]
    return [s for s in listed if isinstance(s, dict) and s.get("Effect") == "Allow"]
