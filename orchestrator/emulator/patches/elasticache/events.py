"""DescribeEvents, which moto lacks, over the events this package records (failover's).

Why: docs/runbooks/redis-failover.md reads a test failover's outcome from DescribeEvents; for a
cluster-mode-enabled group (70-cache's) the events are the only place AWS shows which node is
primary. DescribeEvents lists only the events recorded here (no creation, modification or snapshot
events: nothing here reads them), newest first, in its window (the last hour, or
StartTime/EndTime/Duration), filtered by SourceType/SourceIdentifier, MaxRecords 20-100 per page
with a Marker.
"""

from __future__ import annotations

import base64
from datetime import datetime, timedelta
from typing import Any, cast

from moto.core.responses import ActionResult
from moto.core.utils import utcnow
from moto.elasticache.exceptions import InvalidParameterValueException
from moto.elasticache.responses import ElastiCacheResponse

SOURCE_TYPES = (
    "cache-cluster",
    "cache-parameter-group",
    "cache-security-group",
    "cache-subnet-group",
    "replication-group",
    "serverless-cache",
    "serverless-cache-snapshot",
    "user",
    "user-group",
)


def _events(backend: Any) -> list[dict[str, Any]]:
    if not hasattr(backend, "orch_events"):
        backend.orch_events = []
    return cast("list[dict[str, Any]]", backend.orch_events)


def record(backend: Any, source_type: str, source: str, message: str) -> None:
    # Strictly increasing dates: several events of one call keep their order when sorted.
    now = utcnow()
    previous = _events(backend)[-1]["Date"] if _events(backend) else None
    date = max(now, previous + timedelta(milliseconds=1)) if previous else now
    event = {"SourceIdentifier": source, "SourceType": source_type, "Message": message, "Date": date}
    _events(backend).append(event)


def _when(value: Any, name: str) -> datetime | None:
    if value is None or value == "":
        return None
    try:
        parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        raise InvalidParameterValueException(f"Invalid value for {name}: {value}") from None
    return parsed.replace(tzinfo=None) if parsed.tzinfo else parsed


def _window(params: Any) -> tuple[datetime, datetime]:
    """DescribeEvents' time window: StartTime/EndTime/Duration as AWS combines them, else the last hour."""
    start, end = _when(params.get("StartTime"), "StartTime"), _when(params.get("EndTime"), "EndTime")
    duration = params.get("Duration")
    minutes = timedelta(minutes=int(duration) if duration is not None else 60)
    if start and not end:
        end = start + minutes if duration is not None else utcnow()
    end = end or utcnow()
    start = start or end - minutes
    return start, end


def _page(found: list[dict[str, Any]], params: Any, limit: Any) -> dict[str, Any]:
    try:
        offset = int(base64.urlsafe_b64decode(params["Marker"]).decode()) if params.get("Marker") else 0
    except ValueError:
        raise InvalidParameterValueException(f"Invalid marker: {params['Marker']}") from None
    size = int(limit or 100)
    result: dict[str, Any] = {"Events": found[offset : offset + size]}
    if offset + size < len(found):
        result["Marker"] = base64.urlsafe_b64encode(str(offset + size).encode()).decode()
    return result


def describe_events(self: ElastiCacheResponse) -> ActionResult:
    params = self._get_params()
    source_type = params.get("SourceType")
    source = params.get("SourceIdentifier")
    if source_type is not None and source_type not in SOURCE_TYPES:
        raise InvalidParameterValueException(
            f"Invalid value for SourceType: {source_type}. Valid values are: {', '.join(SOURCE_TYPES)}."
        )
    limit = params.get("MaxRecords")
    if limit is not None and not 20 <= int(limit) <= 100:
        raise InvalidParameterValueException(f"Invalid value {limit} for MaxRecords. Must be between 20 and 100.")
    start, end = _window(params)
    found = [
        e
        for e in reversed(_events(self.elasticache_backend))
        if start <= e["Date"] <= end
        and (source_type is None or e["SourceType"] == source_type)
        and (not source or e["SourceIdentifier"] == source)
    ]
    return ActionResult(_page(found, params, limit))


def install() -> None:
    ElastiCacheResponse.describe_events = describe_events  # type: ignore[attr-defined]  # an action moto lacks
