"""The bucket-policy condition evaluation orch adds to moto (orchestrator.emulator.patches.s3_policy)."""

from __future__ import annotations

from orchestrator.emulator.patches.s3_policy import conditions_match, request_context

TLS_DENY = {"Bool": {"aws:SecureTransport": "false"}}
SSE_DENY = {"StringNotEquals": {"s3:x-amz-server-side-encryption": "aws:kms"}}


def test_request_context() -> None:
    values = request_context({"wsgi.url_scheme": "https", "HTTP_X_AMZ_SERVER_SIDE_ENCRYPTION": "aws:kms"})
    assert values == {"aws:SecureTransport": "true", "s3:x-amz-server-side-encryption": "aws:kms"}
    assert request_context({"wsgi.url_scheme": "http"}) == {"aws:SecureTransport": "false"}


def test_conditions_like_aws() -> None:
    tls = {"aws:SecureTransport": "true"}
    assert conditions_match(TLS_DENY, tls) is False
    assert conditions_match(TLS_DENY, {"aws:SecureTransport": "false"}) is True
    assert conditions_match(SSE_DENY, tls) is True  # missing key matches a negated operator
    assert conditions_match(SSE_DENY, {**tls, "s3:x-amz-server-side-encryption": "aws:kms"}) is False
    assert conditions_match(SSE_DENY, {**tls, "s3:x-amz-server-side-encryption": "AES256"}) is True
    assert conditions_match({"Null": {"s3:x-amz-server-side-encryption": "true"}}, tls) is True
    assert conditions_match({"StringEqualsIfExists": {"k": "v"}}, {}) is True
    assert conditions_match({"StringLike": {"k": "a*"}}, {"k": "abc"}) is True
    assert conditions_match({"NumericLessThan": {"k": "1"}}, {"k": "0"}) is None
