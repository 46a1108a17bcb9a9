"""RDS: Performance Insights settings of DB instances.

Why: moto's CreateDBInstance/ModifyDBInstance accept EnablePerformanceInsights,
PerformanceInsightsKMSKeyId and PerformanceInsightsRetentionPeriod but DescribeDBInstances never
returns them, so the Aurora instances (which enable Performance Insights) would show a change on
every plan. Here they are kept on the instance and read back like AWS does: retention defaults to
7 days (the free tier) when enabled without one, and the settings clear when disabled.
"""

from __future__ import annotations

from typing import Any

DEFAULT_RETENTION_DAYS = 7


def install() -> None:
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

    DBInstance.__init__ = init  # type: ignore[method-assign]
    DBInstance.update = update  # type: ignore[method-assign]


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
