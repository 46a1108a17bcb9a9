"""Entry point of the emulator process: moto's server with faithful S3 bucket-policy conditions.

Run by orchestrator.emulator as `python -m orchestrator.emulator_server -H HOST -p PORT -c CERT -k KEY`.

Why the patch: moto 5.x enforces bucket policies on object requests but evaluates only the
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

    def is_action_permitted(self: Any, action: str, resource: str = "*", principal: str | None = None,
                            incoming_condition_values: dict[str, str] | None = None) -> Any:
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

    DomainDispatcherApplication.__call__ = call  # type: ignore[method-assign]
    IAMPolicyStatement.is_action_permitted = is_action_permitted  # type: ignore[method-assign]
    _fix_security_group_rule_descriptions()
    _register_replication_group_members()


def _fix_security_group_rule_descriptions() -> None:
    """moto 5.2 stores the description of a rule that references another security group with
    the group pair, but DescribeSecurityGroupRules reads it from the CIDR range only; every
    such rule would then plan a description change forever. A moto bug, not a missing API,
    so it is fixed in the emulator rather than switched off in the modules."""
    from moto.ec2.models.security_groups import SecurityGroupRule

    SecurityGroupRule.description = property(  # type: ignore[assignment,method-assign]
        lambda self: self.ip_range.get("Description") or self.source_group.get("Description")
    )


def main(argv: list[str] | None = None) -> None:
    install()
    from moto.server import main as moto_main

    moto_main(argv)


def _register_replication_group_members() -> None:
    """Fill one moto gap that no module switch can avoid.

    moto's CreateReplicationGroup lists member clusters (0001-001, ...) but registers no cache
    cluster for them, so DescribeCacheClusters on a member fails and the AWS provider cannot read
    any replication group back. Real AWS creates those clusters; here they are registered with the
    group's settings.
    """
    from moto.elasticache.models import CacheCluster, ElastiCacheBackend

    original = ElastiCacheBackend.create_replication_group

    def create_replication_group(self: Any, *args: Any, **kwargs: Any) -> Any:
        group = original(self, *args, **kwargs)
        for member in group.member_clusters:
            if member in self.cache_clusters:
                continue
            cluster = CacheCluster(
                account_id=self.account_id,
                region_name=self.region_name,
                cache_cluster_id=member,
                cache_node_type=getattr(group, "cache_node_type", None),
                replication_group_id=group.replication_group_id,
                az_mode=None,
                preferred_availability_zone=None,
                num_cache_nodes=1,
                engine=getattr(group, "engine", "redis"),
                engine_version=getattr(group, "engine_version", None),
                cache_parameter_group_name=getattr(group, "cache_parameter_group_name", None),
                cache_subnet_group_name=getattr(group, "cache_subnet_group_name", None),
                transit_encryption_enabled=getattr(group, "transit_encryption_enabled", None),
                network_type=None,
                ip_discovery=None,
                snapshot_name=None,
                preferred_maintenance_window=getattr(group, "preferred_maintenance_window", None),
                port=group.port,
                notification_topic_arn=None,
                auto_minor_version_upgrade=getattr(group, "auto_minor_version_upgrade", None),
                snapshot_retention_limit=getattr(group, "snapshot_retention_limit", None),
                snapshot_window=getattr(group, "snapshot_window", None),
                auth_token=getattr(group, "auth_token", None),
                outpost_mode=None,
                preferred_outpost_arn=None,
                preferred_availability_zones=None,
                cache_security_group_names=None,
                security_group_ids=getattr(group, "security_group_ids", None),
                tags=None,
                snapshot_arns=None,
                preferred_outpost_arns=None,
                log_delivery_configurations=[],
                cache_node_ids_to_remove=None,
                cache_node_ids_to_reboot=None,
            )
            # What the provider reads from the first member (setFromCacheCluster) must match the group.
            cluster.at_rest_encryption_enabled = getattr(group, "at_rest_encryption_enabled", False)
            cluster.auth_token_enabled = getattr(group, "auth_token_enabled", False)
            cluster.transit_encryption_mode = getattr(group, "transit_encryption_mode", None)
            sg_ids = kwargs.get("security_group_ids") or getattr(group, "security_group_ids", None) or []
            cluster.security_groups = [{"SecurityGroupId": sg, "Status": "active"} for sg in sg_ids]
            self.cache_clusters[member] = cluster
        return group

    ElastiCacheBackend.create_replication_group = create_replication_group  # type: ignore[method-assign]


if __name__ == "__main__":
    main()
