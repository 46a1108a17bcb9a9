"""The routes the API servers call: the token and authorization webhooks of each cluster, and the
emulator's answer to whether its clusters get a Kubernetes API."""

from __future__ import annotations

import json
import re
from typing import Any

from orchestrator.emulator.patches.kube.authorization import access_review
from orchestrator.emulator.patches.kube.tokens import token_review

STATUS_PATH = "/orch/kube/status"  # whether this emulator's clusters get a Kubernetes API
WEBHOOK_RE = re.compile(
    r"^/orch/kube/(?P<account>\d{12})/(?P<region>[a-z0-9-]+)/(?P<cluster>[^/]+)/(?P<kind>authenticate|authorize)$"
)


def install() -> None:
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication

    original_call = DomainDispatcherApplication.__call__

    def call(self: Any, environ: dict[str, Any], start_response: Any) -> Any:
        if environ.get("PATH_INFO") == STATUS_PATH:
            from orchestrator.emulator.kube.binaries import available, unavailable_reason

            status = json.dumps({"available": available(), "reason": unavailable_reason()})
            start_response("200 OK", [("Content-Type", "application/json")])
            return [status.encode()]
        match = WEBHOOK_RE.match(environ.get("PATH_INFO", ""))
        if match is None or environ.get("REQUEST_METHOD") != "POST":
            return original_call(self, environ, start_response)
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
            review = json.loads(environ["wsgi.input"].read(length) or b"{}")
        except (ValueError, OSError):
            start_response("400 Bad Request", [("Content-Type", "text/plain")])
            return [b"not a JSON review"]
        key = (match["account"], match["region"], match["cluster"])
        answer = token_review(key, review) if match["kind"] == "authenticate" else access_review(key, review)
        body = json.dumps(answer).encode()
        start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
        return [body]

    DomainDispatcherApplication.__call__ = call  # type: ignore[method-assign]  # replaces moto's method
