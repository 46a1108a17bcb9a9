"""AWS Budgets: subscribers, notification and budget updates, tags.

Why: moto 5.2 creates budgets with their notifications but has no
DescribeSubscribersForNotification, CreateSubscriber, DeleteSubscriber, UpdateNotification,
UpdateBudget, nor the tagging operations (TagResource, UntagResource, ListTagsForResource). The
provider's aws_budgets_budget reads every notification's subscribers and the budget's tags after
each create, so 95-cost's budget could not be created locally (it retried until its timeout).

Shapes follow botocore's budgets model (awsJson1_1). A notification is identified, as on AWS, by
its type, comparison operator, threshold and threshold type (a threshold of 80 and 80.0 is one
notification). Errors use the model's codes: NotFoundException for an unknown budget,
notification or subscriber, DuplicateRecordException for a subscriber added twice.
"""

from __future__ import annotations

import json
from typing import Any, cast

# ARN of a budget, as AWS names it (the resource the tagging operations take).
BUDGET_ARN = "arn:{partition}:budgets::{account}:budget/{name}"


def notification_key(details: dict[str, Any]) -> tuple[str, str, float, str]:
    return (
        details.get("NotificationType", ""),
        details.get("ComparisonOperator", ""),
        float(details.get("Threshold", 0)),
        details.get("ThresholdType", "PERCENTAGE"),
    )


def _not_found(message: str) -> Any:
    from moto.budgets.exceptions import NotFoundException

    return NotFoundException(message)


def _budget(backend: Any, account_id: str, name: str) -> Any:
    budget = backend.budgets[account_id].get(name)
    if budget is None:
        raise _not_found(f"Unable to get budget: {name} - the budget doesn't exist.")
    return budget


def _notification(budget: Any, details: dict[str, Any]) -> Any:
    wanted = notification_key(details)
    for notification in budget.notifications:
        if notification_key(notification.details) == wanted:
            return notification
    raise _not_found("Unable to find notification with the given attributes.")


def _budget_name_from_arn(arn: str) -> tuple[str, str]:
    # arn:aws:budgets::123456789012:budget/name
    parts = arn.split(":", 5)
    if len(parts) != 6 or parts[2] != "budgets" or not parts[5].startswith("budget/"):
        from moto.core.exceptions import JsonRESTError

        raise JsonRESTError("InvalidParameterException", f"Invalid ARN {arn}")
    return parts[4], parts[5][len("budget/") :]


def _tags(backend: Any) -> dict[tuple[str, str], dict[str, str]]:
    if not hasattr(backend, "_orch_tags"):
        backend._orch_tags = {}
    return cast("dict[tuple[str, str], dict[str, str]]", backend._orch_tags)


def _params(self: Any) -> dict[str, Any]:
    return cast("dict[str, Any]", json.loads(self.body or "{}"))


def describe_subscribers_for_notification(self: Any) -> str:
    p = _params(self)
    budget = _budget(self.backend, p["AccountId"], p["BudgetName"])
    notification = _notification(budget, p["Notification"])
    return json.dumps({"Subscribers": list(notification.subscribers)})


def create_subscriber(self: Any) -> str:
    from moto.budgets.exceptions import DuplicateRecordException

    p = _params(self)
    notification = _notification(_budget(self.backend, p["AccountId"], p["BudgetName"]), p["Notification"])
    subscriber = p["Subscriber"]
    if subscriber in notification.subscribers:
        raise DuplicateRecordException(record_type="subscriber", record_name=subscriber.get("Address", ""))
    notification.subscribers = [*notification.subscribers, subscriber]
    return "{}"


def delete_subscriber(self: Any) -> str:
    p = _params(self)
    notification = _notification(_budget(self.backend, p["AccountId"], p["BudgetName"]), p["Notification"])
    if p["Subscriber"] not in notification.subscribers:
        raise _not_found("Unable to find subscriber with the given attributes.")
    notification.subscribers = [s for s in notification.subscribers if s != p["Subscriber"]]
    return "{}"


def update_notification(self: Any) -> str:
    p = _params(self)
    budget = _budget(self.backend, p["AccountId"], p["BudgetName"])
    notification = _notification(budget, p["OldNotification"])
    notification.details = p["NewNotification"]
    return "{}"


def update_budget(self: Any) -> str:
    from moto.budgets.models import Budget

    p = _params(self)
    new = p["NewBudget"]
    budget = _budget(self.backend, p["AccountId"], new["BudgetName"])
    # Budget() fills in the time period and checks the limit as CreateBudget does.
    fresh = Budget(dict(new), [])
    fresh.notifications = budget.notifications
    self.backend.budgets[p["AccountId"]][new["BudgetName"]] = fresh
    return "{}"


def list_tags_for_resource(self: Any) -> str:
    account, name = _budget_name_from_arn(_params(self)["ResourceARN"])
    _budget(self.backend, account, name)
    tags = _tags(self.backend).get((account, name), {})
    return json.dumps({"ResourceTags": [{"Key": k, "Value": v} for k, v in tags.items()]})


def tag_resource(self: Any) -> str:
    p = _params(self)
    account, name = _budget_name_from_arn(p["ResourceARN"])
    _budget(self.backend, account, name)
    tags = _tags(self.backend).setdefault((account, name), {})
    tags.update({t["Key"]: t["Value"] for t in p.get("ResourceTags", [])})
    return "{}"


def untag_resource(self: Any) -> str:
    p = _params(self)
    account, name = _budget_name_from_arn(p["ResourceARN"])
    _budget(self.backend, account, name)
    tags = _tags(self.backend).setdefault((account, name), {})
    for key in p.get("ResourceTagKeys", []):
        tags.pop(key, None)
    return "{}"


def install() -> None:
    from moto.budgets.models import BudgetsBackend
    from moto.budgets.responses import BudgetsResponse

    original_delete = BudgetsBackend.delete_budget
    original_create_response = BudgetsResponse.create_budget

    def delete_budget(self: Any, account_id: str, budget_name: str) -> None:
        original_delete(self, account_id, budget_name)
        _tags(self).pop((account_id, budget_name), None)

    def create_budget_response(self: Any) -> str:
        # CreateBudget takes ResourceTags too (the provider sends the budget's tags with it).
        result = original_create_response(self)
        p = _params(self)
        if p.get("ResourceTags"):
            name = p["Budget"]["BudgetName"]
            _tags(self.backend)[(p["AccountId"], name)] = {t["Key"]: t["Value"] for t in p["ResourceTags"]}
        return result

    BudgetsBackend.delete_budget = delete_budget  # type: ignore[method-assign]  # replaces moto's method
    BudgetsResponse.create_budget = create_budget_response  # type: ignore[method-assign]  # replaces moto's method
    for handler in (
        describe_subscribers_for_notification,
        create_subscriber,
        delete_subscriber,
        update_notification,
        update_budget,
        list_tags_for_resource,
        tag_resource,
        untag_resource,
    ):
        setattr(BudgetsResponse, handler.__name__, handler)
