"""S3: bucket tags given at creation, and log-delivery grants in bucket policies.

Why, each a place where moto differs from AWS in a way the provider turns into a change on every
plan or a failed apply:

- Tags on create. Provider 6.x sends a bucket's tags inside CreateBucket
  (CreateBucketConfiguration/Tags, "tag on create"); moto ignores them, so the bucket is created
  untagged and every later plan wants to add the tags back. Here they are stored like
  PutBucketTagging stores them (read back by GetBucketTagging and S3 Control
  ListTagsForResource alike).
- Server access logging. PutBucketLogging needs the target bucket to let the S3 logging service
  write. AWS accepts a bucket-policy grant whose Resource covers the target prefix
  (`logs/s3-access/*` covers `s3-access/app/`); moto compares the Resource string for equality
  with three fixed forms and otherwise demands log-delivery ACL grants, which a bucket with
  BucketOwnerEnforced ownership cannot hold. Here a grant matches when its Resource pattern
  covers the target prefix, as IAM wildcards do.
"""

from __future__ import annotations

import fnmatch
from typing import Any
from xml.parsers.expat import ExpatError

from orchestrator.emulator.patches.s3_policy import allow_statements

LOGGING_SERVICE = "logging.s3.amazonaws.com"


def install() -> None:
    _tags_on_create()
    _logging_grants_by_pattern()


def tags_from_create_body(body: bytes | str | None) -> dict[str, str]:
    """Key -> value of the Tags in a CreateBucketConfiguration body (empty when none)."""
    import xmltodict

    if not body:
        return {}
    try:
        config = xmltodict.parse(body).get("CreateBucketConfiguration") or {}
    except (ExpatError, ValueError):  # a body moto itself rejects or ignores
        return {}
    tags = (config.get("Tags") or {}).get("Tag") or []
    if isinstance(tags, dict):
        tags = [tags]
    return {str(t["Key"]): str(t.get("Value") or "") for t in tags if isinstance(t, dict) and "Key" in t}


def _tags_on_create() -> None:
    from moto.s3.responses import S3Response

    original = S3Response._bucket_response_put

    def bucket_response_put(self: Any, request: Any, bucket_name: str, querystring: dict[str, Any]) -> Any:
        result = original(self, request, bucket_name, querystring)
        if not querystring:  # a CreateBucket, and it succeeded (an error would have raised)
            tags = tags_from_create_body(self.body)
            if tags:
                self.backend.put_bucket_tagging(bucket_name, tags)
        return result

    S3Response._bucket_response_put = bucket_response_put  # type: ignore[method-assign]  # replaces moto's method


def policy_grants_log_delivery(policy: bytes | str | None, bucket_arn: str, target_prefix: str | None) -> bool:
    """True when a bucket policy lets the S3 logging service PutObject under target_prefix."""
    object_arn = f"{bucket_arn}/{target_prefix or ''}"
    for statement in allow_statements(policy):
        services = (statement.get("Principal") or {}).get("Service", [])
        if LOGGING_SERVICE not in (services if isinstance(services, list) else [services]):
            continue
        actions = statement.get("Action", [])
        actions = actions if isinstance(actions, list) else [actions]
        if not any(fnmatch.fnmatchcase("s3:PutObject", a) for a in actions):
            continue
        resources = statement.get("Resource", [])
        for resource in resources if isinstance(resources, list) else [resources]:
            # The grant must cover every key the logs land on: <prefix><anything>.
            if fnmatch.fnmatchcase(object_arn + "x", resource) or fnmatch.fnmatchcase(object_arn + "*", resource):
                return True
    return False


def _logging_grants_by_pattern() -> None:
    from moto.s3.models import FakeBucket

    original = FakeBucket._log_permissions_enabled_policy

    def log_permissions_enabled_policy(target_bucket: Any, target_prefix: str | None) -> bool:
        if policy_grants_log_delivery(target_bucket.policy, target_bucket.arn, target_prefix):
            return True
        return bool(original(target_bucket=target_bucket, target_prefix=target_prefix))

    FakeBucket._log_permissions_enabled_policy = staticmethod(log_permissions_enabled_policy)  # type: ignore[method-assign]  # replaces moto's method
