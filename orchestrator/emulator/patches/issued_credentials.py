"""`GET /_orch/issued-credentials`: the temporary credentials the emulator's STS handed out.

Not an AWS API (like moto's own `/moto-api/`): a debugging and test door. Tests of orch's
redaction need the values orch received to search every artifact of a run for them; moto's
`/moto-api/data.json` would list them too, but fails as a whole once one model of a large
platform has an attribute it cannot serialise. These are the emulator's fake keys, served on
its loopback port only.
"""

from __future__ import annotations

import json
from typing import Any

DEBUG_PATH = "/_orch/issued-credentials"


def issued() -> list[dict[str, str]]:
    from moto.sts.models import sts_backends

    found = []
    for account_id, by_partition in list(sts_backends.items()):
        for backend in list(by_partition.values()):
            for role in list(getattr(backend, "assumed_roles", [])):
                found.append(
                    {
                        "account_id": account_id,
                        "arn": role.arn,
                        "access_key_id": role.access_key_id,
                        "secret_access_key": role.secret_access_key,
                        "session_token": role.session_token,
                    }
                )
    return found


def install() -> None:
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication

    original_call = DomainDispatcherApplication.__call__

    def call(self: Any, environ: dict[str, Any], start_response: Any) -> Any:
        if environ.get("PATH_INFO") == DEBUG_PATH:
            body = json.dumps({"assumed_roles": issued()}).encode()
            start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
            return [body]
        return original_call(self, environ, start_response)

    DomainDispatcherApplication.__call__ = call  # type: ignore[method-assign]  # replaces moto's method
