"""Cost Explorer: Cost Anomaly Detection (monitors, subscriptions) and cost allocation tags.

Why: moto 5.2's Cost Explorer serves cost categories, GetCostAndUsage and tags only. It has no
anomaly monitors (CreateAnomalyMonitor, GetAnomalyMonitors, UpdateAnomalyMonitor,
DeleteAnomalyMonitor), no anomaly subscriptions (Create/Get/Update/DeleteAnomalySubscription) and
no cost allocation tags (UpdateCostAllocationTagsStatus, ListCostAllocationTags), so 95-cost's
aws_ce_anomaly_monitor, aws_ce_anomaly_subscription and aws_ce_cost_allocation_tag retried until
their timeouts.

Shapes follow botocore's ce model (awsJson1_1): ARNs as AWS names them
(arn:aws:ce::<account>:anomalymonitor/<uuid>, .../anomalysubscription/<uuid>), ResourceTags kept in
moto's own tagger (so ListTagsForResource/TagResource answer for them), the modeled errors
UnknownMonitorException / UnknownSubscriptionException (HTTP 400). What AWS decides by itself is
fixed here: a monitor is never evaluated (no LastEvaluatedDate), a DIMENSIONAL monitor reports a
DimensionalValueCount of 0, and every tag key the account ever used is "UserDefined" and Inactive
until activated (AWS lists a key only after it appeared in a bill; here every key that was
activated or deactivated, so a new account's keys can be activated at once).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any, cast

MONITOR_TYPES = ("DIMENSIONAL", "CUSTOM")
FREQUENCIES = ("DAILY", "IMMEDIATE", "WEEKLY")
SUBSCRIBER_TYPES = ("EMAIL", "SNS")
TAG_STATUSES = ("Active", "Inactive")


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _error(code: str, message: str) -> Any:
    from moto.core.exceptions import JsonRESTError

    return JsonRESTError(code, message)


def _store(backend: Any) -> dict[str, dict[str, dict[str, Any]]]:
    if not hasattr(backend, "_orch_anomaly"):
        backend._orch_anomaly = {"monitors": {}, "subscriptions": {}, "tags": {}}
    return cast("dict[str, dict[str, dict[str, Any]]]", backend._orch_anomaly)


def _arn(backend: Any, kind: str) -> str:
    from moto.moto_api._internal import mock_random

    return f"arn:aws:ce::{backend.account_id}:{kind}/{mock_random.uuid4()}"


def create_anomaly_monitor(backend: Any, monitor: dict[str, Any], tags: list[dict[str, str]] | None) -> str:
    kind = monitor.get("MonitorType")
    if kind not in MONITOR_TYPES:
        raise _error("ValidationException", f"MonitorType must be one of {', '.join(MONITOR_TYPES)}")
    if kind == "DIMENSIONAL" and monitor.get("MonitorDimension") not in (
        "SERVICE",
        "LINKED_ACCOUNT",
        "TAG",
        "COST_CATEGORY",
    ):
        raise _error("ValidationException", "A DIMENSIONAL monitor needs MonitorDimension")
    if kind == "CUSTOM" and not monitor.get("MonitorSpecification"):
        raise _error("ValidationException", "A CUSTOM monitor needs MonitorSpecification")
    arn = _arn(backend, "anomalymonitor")
    now = _now()
    stored = {k: v for k, v in monitor.items() if k not in ("MonitorArn", "CreationDate", "LastUpdatedDate")}
    stored.update(MonitorArn=arn, CreationDate=now, LastUpdatedDate=now)
    if kind == "DIMENSIONAL":
        stored["DimensionalValueCount"] = 0
    _store(backend)["monitors"][arn] = stored
    if tags:
        backend.tagger.tag_resource(arn, tags)
    return arn


def _monitor(backend: Any, arn: str) -> dict[str, Any]:
    found = _store(backend)["monitors"].get(arn)
    if found is None:
        raise _error("UnknownMonitorException", f"Monitor {arn} does not exist")
    return found


def _check_subscription(backend: Any, subscription: dict[str, Any]) -> None:
    for arn in subscription.get("MonitorArnList", []):
        _monitor(backend, arn)
    if subscription.get("Frequency") is not None and subscription["Frequency"] not in FREQUENCIES:
        raise _error("ValidationException", f"Frequency must be one of {', '.join(FREQUENCIES)}")
    subscribers = subscription.get("Subscribers")
    if subscribers is not None:
        if not subscribers:
            raise _error("ValidationException", "Subscribers must not be empty")
        for subscriber in subscribers:
            if subscriber.get("Type") not in SUBSCRIBER_TYPES:
                raise _error("ValidationException", f"Subscriber Type must be one of {', '.join(SUBSCRIBER_TYPES)}")
        # AWS: an IMMEDIATE subscription can only notify SNS topics.
        frequency = subscription.get("Frequency")
        if frequency == "IMMEDIATE" and any(s["Type"] != "SNS" for s in subscribers):
            raise _error("ValidationException", "IMMEDIATE subscriptions support SNS subscribers only")


def create_anomaly_subscription(backend: Any, subscription: dict[str, Any], tags: list[dict[str, str]] | None) -> str:
    _check_subscription(backend, subscription)
    arn = _arn(backend, "anomalysubscription")
    stored = {k: v for k, v in subscription.items() if k != "SubscriptionArn"}
    stored.update(
        SubscriptionArn=arn,
        AccountId=backend.account_id,
        Subscribers=[{**s, "Status": s.get("Status", "CONFIRMED")} for s in subscription["Subscribers"]],
    )
    _store(backend)["subscriptions"][arn] = stored
    if tags:
        backend.tagger.tag_resource(arn, tags)
    return arn


def _subscription(backend: Any, arn: str) -> dict[str, Any]:
    found = _store(backend)["subscriptions"].get(arn)
    if found is None:
        raise _error("UnknownSubscriptionException", f"Subscription {arn} does not exist")
    return found


def update_anomaly_subscription(backend: Any, changes: dict[str, Any]) -> str:
    arn: str = changes["SubscriptionArn"]
    stored = _subscription(backend, arn)
    merged = {**stored, **{k: v for k, v in changes.items() if v is not None}}
    _check_subscription(backend, merged)
    if "Subscribers" in changes:
        merged["Subscribers"] = [{**s, "Status": s.get("Status", "CONFIRMED")} for s in changes["Subscribers"]]
    if "ThresholdExpression" in changes:
        merged.pop("Threshold", None)
    _store(backend)["subscriptions"][arn] = merged
    return arn


def list_cost_allocation_tags(backend: Any, status: str | None, keys: list[str] | None) -> list[dict[str, Any]]:
    tags = _store(backend)["tags"]
    return [
        tag
        for key, tag in sorted(tags.items())
        if (status is None or tag["Status"] == status) and (not keys or key in keys)
    ]


def update_cost_allocation_tags_status(backend: Any, changes: list[dict[str, str]]) -> list[dict[str, str]]:
    errors = []
    tags = _store(backend)["tags"]
    for change in changes:
        key, status = change.get("TagKey", ""), change.get("Status", "")
        if status not in TAG_STATUSES or not key or len(key) > 1024:
            errors.append({"TagKey": key, "Code": "ValidationException", "Message": f"Invalid status {status!r}"})
            continue
        tags[key] = {"TagKey": key, "Type": "UserDefined", "Status": status, "LastUpdatedDate": _now()}
    return errors


def install() -> None:
    from moto.ce.responses import CostExplorerResponse

    def params(self: Any) -> dict[str, Any]:
        return cast("dict[str, Any]", json.loads(self.body or "{}"))

    def backend(self: Any) -> Any:
        return self.ce_backend

    def create_anomaly_monitor_response(self: Any) -> str:
        p = params(self)
        arn = create_anomaly_monitor(backend(self), p.get("AnomalyMonitor") or {}, p.get("ResourceTags"))
        return json.dumps({"MonitorArn": arn})

    def get_anomaly_monitors(self: Any) -> str:
        p = params(self)
        wanted = p.get("MonitorArnList") or list(_store(backend(self))["monitors"])
        return json.dumps({"AnomalyMonitors": [_monitor(backend(self), arn) for arn in wanted]})

    def update_anomaly_monitor(self: Any) -> str:
        p = params(self)
        monitor = _monitor(backend(self), p["MonitorArn"])
        if p.get("MonitorName"):
            monitor["MonitorName"] = p["MonitorName"]
        monitor["LastUpdatedDate"] = _now()
        return json.dumps({"MonitorArn": p["MonitorArn"]})

    def delete_anomaly_monitor(self: Any) -> str:
        arn = params(self)["MonitorArn"]
        _monitor(backend(self), arn)
        # AWS keeps subscriptions that still name the monitor; their MonitorArnList loses it.
        del _store(backend(self))["monitors"][arn]
        return "{}"

    def create_anomaly_subscription_response(self: Any) -> str:
        p = params(self)
        arn = create_anomaly_subscription(backend(self), p.get("AnomalySubscription") or {}, p.get("ResourceTags"))
        return json.dumps({"SubscriptionArn": arn})

    def get_anomaly_subscriptions(self: Any) -> str:
        p = params(self)
        store = _store(backend(self))["subscriptions"]
        wanted = p.get("SubscriptionArnList") or list(store)
        found = [_subscription(backend(self), arn) for arn in wanted]
        if p.get("MonitorArn"):
            found = [s for s in found if p["MonitorArn"] in s["MonitorArnList"]]
        return json.dumps({"AnomalySubscriptions": found})

    def update_anomaly_subscription_response(self: Any) -> str:
        return json.dumps({"SubscriptionArn": update_anomaly_subscription(backend(self), params(self))})

    def delete_anomaly_subscription(self: Any) -> str:
        arn = params(self)["SubscriptionArn"]
        _subscription(backend(self), arn)
        del _store(backend(self))["subscriptions"][arn]
        return "{}"

    def list_cost_allocation_tags_response(self: Any) -> str:
        p = params(self)
        tags = list_cost_allocation_tags(backend(self), p.get("Status"), p.get("TagKeys"))
        return json.dumps({"CostAllocationTags": tags})

    def update_cost_allocation_tags_status_response(self: Any) -> str:
        errors = update_cost_allocation_tags_status(backend(self), params(self).get("CostAllocationTagsStatus", []))
        return json.dumps({"Errors": errors})

    handlers = {
        "create_anomaly_monitor": create_anomaly_monitor_response,
        "get_anomaly_monitors": get_anomaly_monitors,
        "update_anomaly_monitor": update_anomaly_monitor,
        "delete_anomaly_monitor": delete_anomaly_monitor,
        "create_anomaly_subscription": create_anomaly_subscription_response,
        "get_anomaly_subscriptions": get_anomaly_subscriptions,
        "update_anomaly_subscription": update_anomaly_subscription_response,
        "delete_anomaly_subscription": delete_anomaly_subscription,
        "list_cost_allocation_tags": list_cost_allocation_tags_response,
        "update_cost_allocation_tags_status": update_cost_allocation_tags_status_response,
    }
    for name, handler in handlers.items():
        setattr(CostExplorerResponse, name, handler)
