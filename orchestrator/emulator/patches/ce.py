"""Cost Explorer: Cost Anomaly Detection (monitors, subscriptions) and cost allocation tags.

Why: moto 5.2's Cost Explorer serves cost categories, GetCostAndUsage and tags only. It has no
anomaly monitors (CreateAnomalyMonitor, GetAnomalyMonitors, UpdateAnomalyMonitor,
DeleteAnomalyMonitor), no anomaly subscriptions (Create/Get/Update/DeleteAnomalySubscription) and
no cost allocation tags (UpdateCostAllocationTagsStatus, ListCostAllocationTags), so 95-cost's
aws_ce_anomaly_monitor, aws_ce_anomaly_subscription and 05-organization's aws_ce_cost_allocation_tag
retried until their timeouts.

Shapes follow botocore's ce model (awsJson1_1): ARNs as AWS names them
(arn:aws:ce::<account>:anomalymonitor/<uuid>, .../anomalysubscription/<uuid>), ResourceTags kept in
moto's own tagger (so ListTagsForResource/TagResource answer for them), the modeled errors
UnknownMonitorException / UnknownSubscriptionException (HTTP 400). What AWS decides by itself is
fixed here: a monitor is never evaluated (no LastEvaluatedDate), a DIMENSIONAL monitor reports a
DimensionalValueCount of 0.

Cost allocation tags, as AWS answers them: only the payer may change them, so
UpdateCostAllocationTagsStatus from a member account of an organization is refused with AWS's
AccessDeniedException ("Linked account doesn't have access to cost allocation tags"); a standalone or
management account may. Up to 20 keys per call; a status other than Active/Inactive, an empty or
over-long key, or more keys than the model allows is a ValidationException for the whole request;
setting the status a key already has changes nothing (not even LastUpdatedDate). A key is
UserDefined, or AWSGenerated when it starts with `aws:`. ListCostAllocationTags filters by Status,
TagKeys and Type and pages with MaxResults (1-1000, default 100) and an opaque NextToken
(InvalidNextTokenException for any other).

One difference on purpose: AWS lists and activates only keys that have appeared in billing data (up to
a day after the first tagged resource is billed; before, activation fails with "Tag keys not found").
The emulator has no billing: no bill ever closes, so a key could never be "seen", and 05-organization
could never be applied locally. Here every key counts as seen, and a key is listed once its status has
been set (a new account lists none); the waiting is a fact of real accounts, documented where it bites
(docs/accounts.md, the organization module).
"""

from __future__ import annotations

import base64
import binascii
import json
from datetime import UTC, datetime
from typing import Any, cast

MONITOR_TYPES = ("DIMENSIONAL", "CUSTOM")
FREQUENCIES = ("DAILY", "IMMEDIATE", "WEEKLY")
SUBSCRIBER_TYPES = ("EMAIL", "SNS")
TAG_STATUSES = ("Active", "Inactive")
TAG_TYPES = ("AWSGenerated", "UserDefined")


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


LINKED_ACCOUNT = "Failed to update Cost Allocation Tag: Linked account doesn't have access to cost allocation tags."


def _linked_account(account_id: str) -> bool:
    """A member account of an organization (moto records each member's management account)."""
    from moto.organizations.models import organizations_backends

    master = organizations_backends.master_accounts.get(account_id)
    return master is not None and master[0] != account_id


def _token(offset: int) -> str:
    return base64.urlsafe_b64encode(f"orch-ce:{offset}".encode()).decode()


def _offset(token: str) -> int:
    try:
        kind, _, offset = base64.urlsafe_b64decode(token.encode()).decode().partition(":")
        if kind == "orch-ce" and offset.isdigit():
            return int(offset)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        pass
    raise _error("InvalidNextTokenException", "The pagination token is invalid.")


def list_cost_allocation_tags(backend: Any, params: dict[str, Any]) -> dict[str, Any]:
    status, keys, kind = params.get("Status"), params.get("TagKeys"), params.get("Type")
    if status is not None and status not in TAG_STATUSES:
        raise _error("ValidationException", f"Status must be one of {', '.join(TAG_STATUSES)}")
    if kind is not None and kind not in TAG_TYPES:
        raise _error("ValidationException", f"Type must be one of {', '.join(TAG_TYPES)}")
    if keys is not None and not 1 <= len(keys) <= 100:
        raise _error("ValidationException", "TagKeys must hold 1 to 100 keys")
    limit = params.get("MaxResults", 100)
    if not isinstance(limit, int) or not 1 <= limit <= 1000:
        raise _error("ValidationException", "MaxResults must be between 1 and 1000")
    tags = [
        tag
        for key, tag in sorted(_store(backend)["tags"].items())
        if (status is None or tag["Status"] == status)
        and (kind is None or tag["Type"] == kind)
        and (not keys or key in keys)
    ]
    start = _offset(params["NextToken"]) if params.get("NextToken") else 0
    result: dict[str, Any] = {"CostAllocationTags": tags[start : start + limit]}
    if start + limit < len(tags):
        result["NextToken"] = _token(start + limit)
    return result


def update_cost_allocation_tags_status(backend: Any, account_id: str, changes: Any) -> None:
    if _linked_account(account_id):
        raise _error("AccessDeniedException", LINKED_ACCOUNT)
    if not isinstance(changes, list) or not 1 <= len(changes) <= 20:
        raise _error("ValidationException", "CostAllocationTagsStatus must hold 1 to 20 entries")
    for change in changes:
        key, status = change.get("TagKey"), change.get("Status")
        if status not in TAG_STATUSES:
            raise _error(
                "ValidationException",
                f"Value '{status}' at 'costAllocationTagsStatus.member.status' failed to satisfy constraint: "
                f"Member must satisfy enum value set: [{', '.join(TAG_STATUSES)}]",
            )
        if not isinstance(key, str) or not 1 <= len(key) <= 1024:
            raise _error("ValidationException", "TagKey must be 1 to 1024 characters")
    tags = _store(backend)["tags"]
    for change in changes:
        key, status = change["TagKey"], change["Status"]
        if tags.get(key, {}).get("Status") == status:
            continue
        kind = "AWSGenerated" if key.startswith("aws:") else "UserDefined"
        tags[key] = {"TagKey": key, "Type": kind, "Status": status, "LastUpdatedDate": _now()}


def _params(self: Any) -> dict[str, Any]:
    return cast("dict[str, Any]", json.loads(self.body or "{}"))


def create_anomaly_monitor_response(self: Any) -> str:
    p = _params(self)
    arn = create_anomaly_monitor(self.ce_backend, p.get("AnomalyMonitor") or {}, p.get("ResourceTags"))
    return json.dumps({"MonitorArn": arn})


def get_anomaly_monitors(self: Any) -> str:
    p = _params(self)
    wanted = p.get("MonitorArnList") or list(_store(self.ce_backend)["monitors"])
    return json.dumps({"AnomalyMonitors": [_monitor(self.ce_backend, arn) for arn in wanted]})


def update_anomaly_monitor(self: Any) -> str:
    p = _params(self)
    monitor = _monitor(self.ce_backend, p["MonitorArn"])
    if p.get("MonitorName"):
        monitor["MonitorName"] = p["MonitorName"]
    monitor["LastUpdatedDate"] = _now()
    return json.dumps({"MonitorArn": p["MonitorArn"]})


def delete_anomaly_monitor(self: Any) -> str:
    arn = _params(self)["MonitorArn"]
    _monitor(self.ce_backend, arn)
    # AWS keeps subscriptions that still name the monitor; their MonitorArnList loses it.
    del _store(self.ce_backend)["monitors"][arn]
    return "{}"


def create_anomaly_subscription_response(self: Any) -> str:
    p = _params(self)
    arn = create_anomaly_subscription(self.ce_backend, p.get("AnomalySubscription") or {}, p.get("ResourceTags"))
    return json.dumps({"SubscriptionArn": arn})


def get_anomaly_subscriptions(self: Any) -> str:
    p = _params(self)
    store = _store(self.ce_backend)["subscriptions"]
    wanted = p.get("SubscriptionArnList") or list(store)
    found = [_subscription(self.ce_backend, arn) for arn in wanted]
    if p.get("MonitorArn"):
        found = [s for s in found if p["MonitorArn"] in s["MonitorArnList"]]
    return json.dumps({"AnomalySubscriptions": found})


def update_anomaly_subscription_response(self: Any) -> str:
    return json.dumps({"SubscriptionArn": update_anomaly_subscription(self.ce_backend, _params(self))})


def delete_anomaly_subscription(self: Any) -> str:
    arn = _params(self)["SubscriptionArn"]
    _subscription(self.ce_backend, arn)
    del _store(self.ce_backend)["subscriptions"][arn]
    return "{}"


def list_cost_allocation_tags_response(self: Any) -> str:
    return json.dumps(list_cost_allocation_tags(self.ce_backend, _params(self)))


def update_cost_allocation_tags_status_response(self: Any) -> str:
    changes = _params(self).get("CostAllocationTagsStatus")
    update_cost_allocation_tags_status(self.ce_backend, self.current_account, changes)
    return json.dumps({"Errors": []})  # the refusals modelled here refuse the whole request, as AWS does


# The operations' handler names on moto's CostExplorerResponse.
HANDLERS = {
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


def install() -> None:
    from moto.ce.responses import CostExplorerResponse

    for name, handler in HANDLERS.items():
        setattr(CostExplorerResponse, name, handler)
