"""RDS: Performance Insights settings of DB instances; engine version changes of DB clusters.

Performance Insights. Why: moto's CreateDBInstance/ModifyDBInstance accept EnablePerformanceInsights,
PerformanceInsightsKMSKeyId and PerformanceInsightsRetentionPeriod but DescribeDBInstances never
returns them, so the Aurora instances (which enable Performance Insights) would show a change on
every plan. Here they are kept on the instance and read back like AWS does: retention defaults to
7 days (the free tier) when enabled without one, and the settings clear when disabled.

Engine versions. Why: moto's ModifyDBCluster sets any EngineVersion it is given, so an apply that
sends an older version than the cluster runs (what a module pinned to an exact minor does after
AWS's automatic minor upgrade) would pass locally and fail on AWS. Here, as on AWS, a lower version
is refused (InvalidParameterCombination "Cannot upgrade ... from X to Y") and a new major version needs
AllowMajorVersionUpgrade. An accepted version applies at once (moto has no maintenance window); the
cluster's instances report it, as AWS's do after the upgrade.
"""

from __future__ import annotations

import re
from typing import Any

DEFAULT_RETENTION_DAYS = 7


def install() -> None:
    _keep_performance_insights()
    _check_cluster_engine_versions()


def _keep_performance_insights() -> None:
    from moto.rds.models import DBInstance

    original_init = DBInstance.__init__
    original_update = DBInstance.update

    def init(self: Any, *args: Any, **kwargs: Any) -> None:
        original_init(self, *args, **kwargs)
        _apply(self, kwargs)

    def update(self: Any, *args: Any, **kwargs: Any) -> None:
        pi = {
            k: kwargs.pop(k)
            for k in list(kwargs)
            if k.startswith(("enable_performance_insights", "performance_insights_"))
        }
        original_update(self, *args, **kwargs)
        if pi:
            _apply(self, {"enable_performance_insights": self.performance_insights_enabled, **pi})

    DBInstance.__init__ = init  # type: ignore[method-assign]  # replaces moto's method
    DBInstance.update = update  # type: ignore[method-assign]  # replaces moto's method


def _apply(instance: Any, kwargs: dict[str, Any]) -> None:
    enabled = bool(kwargs.get("enable_performance_insights") or False)
    instance.performance_insights_enabled = enabled
    if enabled:
        instance.performance_insights_kms_key_id = kwargs.get("performance_insights_kms_key_id") or getattr(
            instance, "performance_insights_kms_key_id", None
        )
        instance.performance_insights_retention_period = int(
            kwargs.get("performance_insights_retention_period")
            or getattr(instance, "performance_insights_retention_period", None)
            or DEFAULT_RETENTION_DAYS
        )
    else:
        instance.performance_insights_kms_key_id = None
        instance.performance_insights_retention_period = None


def version_key(version: str) -> tuple[int, ...]:
    """A version's numbers in order: 8.0.mysql_aurora.3.08.0 -> (8, 0, 3, 8, 0)."""
    return tuple(int(n) for n in re.findall(r"[0-9]+", version))


def major_of(version: str) -> str:
    """What AWS calls the major version: 8.0 for 8.0.mysql_aurora.3.x, 15 for 15.4, 5.7 for 5.7.44."""
    if ".mysql_aurora." in version:
        return version.split(".mysql_aurora.")[0]
    parts = version.split(".")
    return parts[0] if parts[0].isdigit() and int(parts[0]) >= 10 else ".".join(parts[:2])


def _check_cluster_engine_versions() -> None:
    from moto.rds.exceptions import InvalidParameterCombination
    from moto.rds.models import RDSBackend

    original = RDSBackend.modify_db_cluster

    def modify_db_cluster(self: Any, kwargs: Any) -> Any:
        cluster = self.clusters.get(kwargs.get("db_cluster_identifier"))
        wanted = kwargs.get("engine_version")
        if cluster is not None and wanted and wanted != cluster.engine_version:
            running = str(cluster.engine_version)
            if version_key(wanted) < version_key(running):
                raise InvalidParameterCombination(f"Cannot upgrade {cluster.engine} from {running} to {wanted}")
            allow_major = str(kwargs.get("allow_major_version_upgrade") or "").lower() == "true"
            if major_of(wanted) != major_of(running) and not allow_major:
                raise InvalidParameterCombination(
                    "The AllowMajorVersionUpgrade flag must be present when upgrading to a new major version."
                )
        return original(self, kwargs)

    RDSBackend.modify_db_cluster = modify_db_cluster  # type: ignore[method-assign]  # replaces moto's method
