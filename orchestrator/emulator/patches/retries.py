"""SDK retries of a call the emulator already carried out get the first answer again.

Why: under load a client sometimes loses the response of a request the emulator did carry out
(seen on 2 busy cores: `attempt=2` of KMS GetKeyPolicy). The SDK then retries the same call.
For a read that is harmless; for a create it is not: the retried AuthorizeSecurityGroupEgress
answered InvalidPermission.Duplicate and failed a whole apply. AWS SDKs mark every attempt of
one call with the same `amz-sdk-invocation-id` and count attempts in `amz-sdk-request`, so an
attempt after the first whose call already succeeded here is answered with the stored response,
and the operation is not run twice. A new call (new invocation id) that repeats a create still
gets AWS's error, as it should.

Only successful (2xx) answers to non-GET/HEAD requests are kept, up to 1 MiB each and the
latest 4096 calls, in memory.
"""

from __future__ import annotations

import re
import sys
import threading
import time
from collections import OrderedDict
from typing import Any

MAX_CALLS = 4096
MAX_BODY = 1024 * 1024
_ATTEMPT = re.compile(r"attempt=(\d+)")

_answers: OrderedDict[str, tuple[str, list[tuple[str, str]], bytes]] = OrderedDict()
_lock = threading.Lock()


def attempt_number(header: str | None) -> int:
    match = _ATTEMPT.search(header or "")
    return int(match.group(1)) if match else 1


def install() -> None:
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication

    original_call = DomainDispatcherApplication.__call__

    def call(self: Any, environ: dict[str, Any], start_response: Any) -> Any:
        invocation = environ.get("HTTP_AMZ_SDK_INVOCATION_ID")
        if not invocation or environ.get("REQUEST_METHOD") in ("GET", "HEAD"):
            return original_call(self, environ, start_response)
        if attempt_number(environ.get("HTTP_AMZ_SDK_REQUEST")) > 1:
            with _lock:
                stored = _answers.get(invocation)
            if stored is not None:
                status, headers, body = stored
                print(
                    f"orch-emulator {time.strftime('%H:%M:%S')} replayed {status.split(' ', 1)[0]} for retried "
                    f"invocation={invocation}",
                    file=sys.stderr,
                    flush=True,
                )
                start_response(status, headers)
                return [body]

        seen: dict[str, Any] = {}

        def respond(status: str, headers: list[tuple[str, str]], *args: Any) -> Any:
            seen["status"], seen["headers"] = status, list(headers)
            return start_response(status, headers, *args)

        result = original_call(self, environ, respond)
        if not str(seen.get("status", "")).startswith("2"):
            return result
        try:
            body = b"".join(result)
        finally:
            close = getattr(result, "close", None)
            if close is not None:
                close()
        if len(body) <= MAX_BODY:
            with _lock:
                _answers[invocation] = (seen["status"], seen["headers"], body)
                while len(_answers) > MAX_CALLS:
                    _answers.popitem(last=False)
        return [body]

    DomainDispatcherApplication.__call__ = call  # type: ignore[method-assign]  # replaces moto's method
