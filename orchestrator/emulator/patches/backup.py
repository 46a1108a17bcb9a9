"""AWS Backup: backup selections, UpdateBackupPlan, and ListTags without a trailing slash.

Why: moto 5.2 serves backup plans and vaults (with the vault lock) but no backup selections
(CreateBackupSelection, GetBackupSelection, ListBackupSelections, DeleteBackupSelection) and no
UpdateBackupPlan. The provider's aws_backup_selection retries CreateBackupSelection until its
timeout, and a changed retention in aws_backup_plan (UpdateBackupPlan) could not be applied, so
85-backup could not say which resources its plan protects.

Shapes follow botocore's backup model (rest-json): the selection is kept as sent, with the
SelectionId, BackupPlanId, CreationDate and CreatorRequestId AWS adds. As on AWS, a plan that
still has selections cannot be deleted (InvalidRequestException), a selection name is unique in
its plan (AlreadyExistsException), and an IamRoleArn that is not a role ARN is refused
(InvalidParameterValueException).

ListTags: botocore sends `GET /tags/{arn}/`, the provider (aws-sdk-go-v2) `GET /tags/{arn}`; moto
takes the path's second-to-last segment for the ARN, so the provider always read no tags and
planned to add the vault's and plan's tags on every run. Here the ARN is everything after
`/tags/`, with or without the slash. Known difference: no job ever runs, so nothing is backed up.
"""

from __future__ import annotations

import json
import re
from typing import Any, cast
from urllib.parse import unquote

from moto.moto_api._internal import mock_random

_ROLE_ARN = re.compile(r"^arn:aws[a-z-]*:iam::\d{12}:role/.+$")
_SELECTION_NAME = re.compile(r"^[a-zA-Z0-9\-\_\.]{1,50}$")


def _error(code: str, message: str, status: int = 400) -> Any:
    from moto.core.exceptions import JsonRESTError

    error = JsonRESTError(code, message)
    error.code = status
    return error


def _plan(backend: Any, plan_id: str) -> Any:
    plan = backend.plans.get(plan_id)
    if plan is None or plan.deletion_date is not None:
        raise _error("ResourceNotFoundException", f"Failed reading Backup plan with provided version {plan_id}", 404)
    return plan


def _selections(plan: Any) -> dict[str, dict[str, Any]]:
    if not hasattr(plan, "_orch_selections"):
        plan._orch_selections = {}
    return cast("dict[str, dict[str, Any]]", plan._orch_selections)


def create_backup_selection(
    backend: Any, plan_id: str, selection: dict[str, Any], request_id: str | None
) -> dict[str, Any]:
    plan = _plan(backend, plan_id)
    name = selection.get("SelectionName", "")
    if not _SELECTION_NAME.match(name):
        raise _error("InvalidParameterValueException", f"Invalid selection name {name!r}")
    if not _ROLE_ARN.match(selection.get("IamRoleArn", "")):
        raise _error("InvalidParameterValueException", "IamRoleArn must be an IAM role ARN")
    stored = _selections(plan)
    if any(s["BackupSelection"]["SelectionName"] == name for s in stored.values()):
        raise _error("AlreadyExistsException", f"Backup selection with name {name} already exists")
    if not (selection.get("Resources") or selection.get("ListOfTags") or selection.get("Conditions")):
        raise _error("InvalidParameterValueException", "A selection must name Resources, ListOfTags or Conditions")
    selection_id = str(mock_random.uuid4())
    from moto.core.utils import unix_time

    stored[selection_id] = {
        "BackupSelection": selection,
        "SelectionId": selection_id,
        "BackupPlanId": plan_id,
        "CreationDate": unix_time(),
        **({"CreatorRequestId": request_id} if request_id else {}),
    }
    return {k: stored[selection_id][k] for k in ("SelectionId", "BackupPlanId", "CreationDate")}


def get_backup_selection(backend: Any, plan_id: str, selection_id: str) -> dict[str, Any]:
    found = _selections(_plan(backend, plan_id)).get(selection_id)
    if found is None:
        raise _error("ResourceNotFoundException", f"Failed reading backup selection {selection_id}", 404)
    return found


def delete_backup_selection(backend: Any, plan_id: str, selection_id: str) -> None:
    get_backup_selection(backend, plan_id, selection_id)
    del _selections(_plan(backend, plan_id))[selection_id]


def list_backup_selections(backend: Any, plan_id: str) -> list[dict[str, Any]]:
    return [
        {
            "SelectionId": s["SelectionId"],
            "SelectionName": s["BackupSelection"]["SelectionName"],
            "BackupPlanId": plan_id,
            "CreationDate": s["CreationDate"],
            "IamRoleArn": s["BackupSelection"]["IamRoleArn"],
            **({"CreatorRequestId": s["CreatorRequestId"]} if "CreatorRequestId" in s else {}),
        }
        for s in _selections(_plan(backend, plan_id)).values()
    ]


def _path_parts(self: Any) -> list[str]:
    # /backup/plans/{id}/selections/[{selectionId}]
    return [p for p in self.path.split("?")[0].split("/") if p]


def create_backup_selection_response(self: Any) -> str:
    params = json.loads(self.body or "{}")
    parts = _path_parts(self)
    result = create_backup_selection(
        self.backup_backend, parts[2], params.get("BackupSelection") or {}, params.get("CreatorRequestId")
    )
    return json.dumps(result)


def get_backup_selection_response(self: Any) -> str:
    parts = _path_parts(self)
    return json.dumps(get_backup_selection(self.backup_backend, parts[2], parts[4]))


def delete_backup_selection_response(self: Any) -> str:
    parts = _path_parts(self)
    delete_backup_selection(self.backup_backend, parts[2], parts[4])
    return "{}"


def list_backup_selections_response(self: Any) -> str:
    parts = _path_parts(self)
    return json.dumps({"BackupSelectionsList": list_backup_selections(self.backup_backend, parts[2])})


def update_backup_plan_response(self: Any) -> str:
    from moto.backup.models import Plan

    params = json.loads(self.body or "{}")
    plan = _plan(self.backup_backend, _path_parts(self)[2])
    new = params.get("BackupPlan") or {}
    # A new version with the rules as sent (and the defaults CreateBackupPlan fills in).
    fresh = Plan(new, plan.creator_request_id, self.backup_backend)
    plan.backup_plan = fresh.backup_plan
    plan.advanced_backup_settings = fresh.advanced_backup_settings
    plan.version_id = fresh.version_id
    return json.dumps(
        {
            "BackupPlanId": plan.backup_plan_id,
            "BackupPlanArn": plan.backup_plan_arn,
            "VersionId": plan.version_id,
            **({"AdvancedBackupSettings": plan.advanced_backup_settings} if plan.advanced_backup_settings else {}),
        }
    )


def list_tags_response(self: Any) -> str:
    arn = unquote(self.path.split("?")[0].split("/tags/", 1)[1]).rstrip("/")
    return json.dumps({"Tags": self.backup_backend.list_tags(resource_arn=arn)})


def install() -> None:
    from moto.backup.models import BackupBackend
    from moto.backup.responses import BackupResponse

    original_delete_plan = BackupBackend.delete_backup_plan

    def delete_backup_plan(self: Any, backup_plan_id: str) -> Any:
        plan = self.plans.get(backup_plan_id)
        if plan is not None and _selections(plan):
            raise _error("InvalidRequestException", "Related backup plan selections must be deleted prior to backup")
        return original_delete_plan(self, backup_plan_id)

    BackupResponse.list_tags = list_tags_response  # type: ignore[method-assign]  # replaces moto's method
    BackupBackend.delete_backup_plan = delete_backup_plan  # type: ignore[method-assign]  # replaces moto's method
    BackupResponse.create_backup_selection = create_backup_selection_response  # type: ignore[attr-defined]  # new method: moto has none
    BackupResponse.get_backup_selection = get_backup_selection_response  # type: ignore[attr-defined]  # new method: moto has none
    BackupResponse.delete_backup_selection = delete_backup_selection_response  # type: ignore[attr-defined]  # new method: moto has none
    BackupResponse.list_backup_selections = list_backup_selections_response  # type: ignore[attr-defined]  # new method: moto has none
    BackupResponse.update_backup_plan = update_backup_plan_response  # type: ignore[attr-defined]  # new method: moto has none
