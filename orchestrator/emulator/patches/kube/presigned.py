"""moto reading SigV4 query authentication: a presigned URL (what an EKS token is) names its
caller and service in X-Amz-Credential, where moto looks in the Authorization header only."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs


def install() -> None:
    """moto reads the caller's access key from the Authorization header only; a presigned URL
    (SigV4 query authentication, what an EKS token is) carries it in X-Amz-Credential."""
    from moto.core.responses import BaseResponse

    original = BaseResponse.get_access_key

    def get_access_key(self: Any) -> str:
        if "Authorization" not in self.headers:
            credential = self.querystring.get("X-Amz-Credential")
            if credential:
                return str(credential[0]).split("/", 1)[0]
        return str(original(self))

    BaseResponse.get_access_key = get_access_key  # type: ignore[method-assign]  # replaces moto's method

    # Which service a request is for: moto reads the credential scope of the Authorization header and,
    # without one, guesses from the body and path (an unsigned GET of "/?Action=GetCallerIdentity" to
    # the emulator's host becomes S3's ListBuckets). A presigned URL has the scope in X-Amz-Credential.
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication

    original_infer = DomainDispatcherApplication.infer_service_region_host

    def infer_service_region_host(self: Any, environ: dict[str, Any], path: str) -> str | None:
        if not environ.get("HTTP_AUTHORIZATION"):
            credential = parse_qs(environ.get("QUERY_STRING", "")).get("X-Amz-Credential")
            if credential and credential[0].count("/") == 4:
                scope = f"AWS4-HMAC-SHA256 Credential={credential[0]}, SignedHeaders=host, Signature=-"
                environ = {**environ, "HTTP_AUTHORIZATION": scope}
        return original_infer(self, environ, path)

    DomainDispatcherApplication.infer_service_region_host = infer_service_region_host  # type: ignore[method-assign]  # replaces moto's method
