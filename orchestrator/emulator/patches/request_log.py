"""Request log: every failed or retried request, with what the SDK says about it.

Why: werkzeug's access log shows `"POST / HTTP/1.1" 400` and nothing else, so a failed apply
cannot be matched to the call that failed. For each response of 400 or more, and for every
request an SDK marks as a retry (`amz-sdk-request: attempt=2; ...`), one line goes to the
emulator's log (moto.log): status, action (X-Amz-Target, the query Action, or method and path),
attempt and invocation id. Two lines with one invocation id are one SDK call sent twice. Request
bodies and headers other than these are never logged (they may carry secrets).
"""

from __future__ import annotations

import io
import sys
import time
from typing import Any
from urllib.parse import parse_qs


def install() -> None:
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication

    original_call = DomainDispatcherApplication.__call__

    def call(self: Any, environ: dict[str, Any], start_response: Any) -> Any:
        attempt = environ.get("HTTP_AMZ_SDK_REQUEST", "")
        action = describe(environ)

        def respond(status: str, headers: Any, *args: Any) -> Any:
            code = int(status.split(" ", 1)[0])
            if code >= 400 or (attempt and not attempt.startswith("attempt=1;") and attempt != "attempt=1"):
                print(
                    f"orch-emulator {time.strftime('%H:%M:%S')} {code} {action} [{attempt or 'no sdk attempt'}] "
                    f"invocation={environ.get('HTTP_AMZ_SDK_INVOCATION_ID', '-')}",
                    file=sys.stderr,
                    flush=True,
                )
            return start_response(status, headers, *args)

        return original_call(self, environ, respond)

    DomainDispatcherApplication.__call__ = call  # type: ignore[method-assign]  # replaces moto's method


def query_action(environ: dict[str, Any]) -> str | None:
    """The Action of a query-protocol request (EC2, IAM, RDS, ...), from its query string or form body.

    The body is read and put back, as moto's own dispatcher does, so moto still finds it.
    """
    action: list[str] | None = parse_qs(environ.get("QUERY_STRING", "")).get("Action")
    if action:
        return action[0]
    if not str(environ.get("CONTENT_TYPE", "")).startswith("application/x-www-form-urlencoded"):
        return None
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if not 0 < length <= 1_000_000:
        return None
    body = environ["wsgi.input"].read(length)
    environ["wsgi.input"] = io.BytesIO(body)
    action = parse_qs(body.decode("utf-8", "replace")).get("Action")
    return action[0] if action else None


def describe(environ: dict[str, Any]) -> str:
    """The operation a request names, without reading a body the app has not read yet."""
    target = environ.get("HTTP_X_AMZ_TARGET")
    if target:
        return str(target)
    action = query_action(environ)
    if action:
        return action
    auth = environ.get("HTTP_AUTHORIZATION", "")
    service = auth.split("/")[3] if auth.count("/") >= 4 else "?"
    return f"{service} {environ.get('REQUEST_METHOD', '?')} {environ.get('PATH_INFO', '')}"
