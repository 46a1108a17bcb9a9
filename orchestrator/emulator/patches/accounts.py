"""Accounts: credentials of another account act as that account; its buckets are not yours.

Why: the emulator runs moto with MOTO_ACCOUNT_ID, which makes every request the emulator's
account, whatever its credentials. AWS answers by the credentials' account: keys from
sts:AssumeRole of `arn:aws:iam::222222222222:role/x` are account 222222222222 there. And moto's
S3 lets any account read and write any other account's bucket (its MOTO_S3_ALLOW_CROSSACCOUNT_ACCESS
default), so a state bucket name taken by another account would look like one's own: HeadBucket
answers 200 and bootstrap would configure somebody else's bucket. Here, as on AWS:

- credentials the emulator's STS handed out for a role of another account are that account
  (every other key stays the emulator's account, as before);
- a request to a bucket owned by another account is denied (403 AccessDenied; HeadBucket a bare 403)
  unless the bucket's policy has an Allow statement naming the caller's account (its root, an ARN
  in it, or the account id) or `*`; the statement's actions and conditions are not evaluated here;
- CreateBucket of a name another account owns keeps moto's answer, 409 BucketAlreadyExists
  (one's own gives BucketAlreadyOwnedByYou);
- `x-amz-expected-bucket-owner` (ExpectedBucketOwner in the SDKs) is checked: a bucket owned by
  another account than the header names answers 403 AccessDenied.
"""

from __future__ import annotations

import os
import threading
from typing import Any

from orchestrator.emulator.patches.s3_policy import allow_statements

# Access key id -> account of the role it was issued for (only roles outside the emulator's account).
_assumed: dict[str, str] = {}
_lock = threading.Lock()


def policy_admits(policy: bytes | str | None, account_id: str) -> bool:
    """True when a bucket policy has an Allow statement whose principal covers `account_id`."""
    for statement in allow_statements(policy):
        principal = statement.get("Principal")
        if principal == "*":
            return True
        names = principal.get("AWS", []) if isinstance(principal, dict) else []
        for name in names if isinstance(names, list) else [names]:
            name = str(name)
            if name in ("*", account_id) or f":iam::{account_id}:" in name or f":sts::{account_id}:" in name:
                return True
    return False


def install() -> None:
    _accounts_by_credentials()
    _foreign_buckets_denied()


def _accounts_by_credentials() -> None:
    from moto.core.responses import BaseResponse
    from moto.sts.models import STSBackend

    original_assume = STSBackend.assume_role

    def assume_role(self: Any, *args: Any, **kwargs: Any) -> Any:
        role = original_assume(self, *args, **kwargs)
        if role.account_id != os.environ.get("MOTO_ACCOUNT_ID", role.account_id):
            with _lock:
                _assumed[role.access_key_id] = role.account_id
        return role

    original_current = BaseResponse.get_current_account

    def get_current_account(self: Any) -> str:
        if _assumed:
            account = _assumed.get(self.get_access_key())
            if account:
                return account
        return str(original_current(self))

    STSBackend.assume_role = assume_role  # type: ignore[method-assign]  # replaces moto's method
    BaseResponse.get_current_account = get_current_account  # type: ignore[method-assign]  # replaces moto's method


def _foreign_buckets_denied() -> None:
    from moto.s3.exceptions import S3ClientError
    from moto.s3.models import s3_backends
    from moto.s3.responses import S3Response

    class AccessDenied(S3ClientError):
        code = "AccessDenied"

        def __init__(self) -> None:
            super().__init__("AccessDenied", "Access Denied")

    def check(response: Any, request: Any, full_url: str, *, bucket_level: bool) -> None:
        bucket_name = response.parse_bucket_name_from_url(request, full_url)
        owner = s3_backends.bucket_accounts.get(bucket_name) if bucket_name else None
        if owner is None:
            return  # no such bucket (yet): moto answers
        partition, account = owner
        expected = request.headers.get("x-amz-expected-bucket-owner")
        if expected and expected != account:
            raise AccessDenied()
        caller = response.current_account
        if account == caller:
            return
        if bucket_level and request.method == "PUT" and not response._get_querystring(request, full_url):
            return  # CreateBucket: moto answers BucketAlreadyExists for another account's name
        bucket = s3_backends[account][partition].buckets.get(bucket_name)
        if bucket is not None and policy_admits(bucket.policy, caller):
            return
        raise AccessDenied()

    original_bucket = S3Response._bucket_response
    original_key = S3Response._key_response

    def bucket_response(self: Any, request: Any, full_url: str) -> Any:
        check(self, request, full_url, bucket_level=True)
        return original_bucket(self, request, full_url)

    def key_response(self: Any, request: Any, full_url: str) -> Any:
        check(self, request, full_url, bucket_level=False)
        return original_key(self, request, full_url)

    S3Response._bucket_response = bucket_response  # type: ignore[method-assign]  # replaces moto's method
    S3Response._key_response = key_response  # type: ignore[method-assign]  # replaces moto's method
