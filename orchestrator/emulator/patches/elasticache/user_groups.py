"""RBAC: CreateUserGroup, DescribeUserGroups, ModifyUserGroup, DeleteUserGroup and ModifyUser.

Why: elasticache-redis authenticates through an RBAC user group (its `default` user's password is
write-only, so the AUTH token never reaches state). moto implements users (CreateUser,
DescribeUsers, DeleteUser) and stores a replication group's UserGroupIds, but has no user group
API and no ModifyUser (a token rotation). As on AWS: a group is `active` at once here, lists its
users and the replication groups that use it, and cannot be deleted while a group uses it;
ModifyUser replaces the passwords it is given; user-group ARNs are taggable.
"""

from __future__ import annotations

from typing import Any, cast

from moto.core.responses import ActionResult
from moto.elasticache.exceptions import ElastiCacheException, InvalidParameterValueException, UserNotFound
from moto.elasticache.models import ElastiCacheBackend
from moto.elasticache.responses import ElastiCacheResponse


class UserGroupNotFound(ElastiCacheException):
    code = "UserGroupNotFound"


class UserGroupAlreadyExists(ElastiCacheException):
    code = "UserGroupAlreadyExists"


class InvalidUserGroupState(ElastiCacheException):
    code = "InvalidUserGroupState"


def _groups(backend: Any) -> dict[str, dict[str, Any]]:
    if not hasattr(backend, "orch_user_groups"):
        backend.orch_user_groups = {}
    return cast("dict[str, dict[str, Any]]", backend.orch_user_groups)


def _find(backend: Any, group_id: str) -> dict[str, Any]:
    if group_id not in _groups(backend):
        raise UserGroupNotFound(f"User group {group_id} not found.")
    return _groups(backend)[group_id]


def _view(backend: Any, group: dict[str, Any]) -> dict[str, Any]:
    using = [
        rg.replication_group_id
        for rg in backend.replication_groups.values()
        if group["UserGroupId"] in (getattr(rg, "user_group_ids", None) or [])
    ]
    return {**group, "ReplicationGroups": using}


def _check_users(backend: Any, user_ids: list[str]) -> None:
    for user_id in user_ids:
        if user_id not in backend.users:
            raise UserNotFound(user_id)
    if user_ids and not any(backend.users[u].name == "default" for u in user_ids):
        raise InvalidParameterValueException("A user with the username default must be included in the user group.")


def create_user_group(self: ElastiCacheResponse) -> ActionResult:
    params = self._get_params()
    backend = self.elasticache_backend
    group_id = params["UserGroupId"]
    if group_id in _groups(backend):
        raise UserGroupAlreadyExists(f"User group {group_id} already exists.")
    user_ids = list(params.get("UserIds") or [])
    _check_users(backend, user_ids)
    arn = f"arn:aws:elasticache:{backend.region_name}:{backend.account_id}:usergroup:{group_id}"
    group = {
        "UserGroupId": group_id,
        "Status": "active",
        "Engine": (params.get("Engine") or "redis").lower(),
        "UserIds": user_ids,
        "MinimumEngineVersion": "6.0",
        "ARN": arn,
    }
    _groups(backend)[group_id] = group
    if params.get("Tags"):
        backend.add_tags_to_resource(arn, params["Tags"])
    return ActionResult(_view(backend, group))


def describe_user_groups(self: ElastiCacheResponse) -> ActionResult:
    group_id = self._get_params().get("UserGroupId")
    backend = self.elasticache_backend
    found = [_find(backend, group_id)] if group_id else list(_groups(backend).values())
    return ActionResult({"UserGroups": [_view(backend, g) for g in found]})


def modify_user_group(self: ElastiCacheResponse) -> ActionResult:
    params = self._get_params()
    backend = self.elasticache_backend
    group = _find(backend, params["UserGroupId"])
    removed = set(params.get("UserIdsToRemove") or [])
    users = [u for u in group["UserIds"] if u not in removed]
    users += [u for u in params.get("UserIdsToAdd") or [] if u not in users]
    _check_users(backend, users)
    group["UserIds"] = users
    if params.get("Engine"):
        group["Engine"] = params["Engine"].lower()
    return ActionResult(_view(backend, group))


def delete_user_group(self: ElastiCacheResponse) -> ActionResult:
    group_id = self._get_params()["UserGroupId"]
    backend = self.elasticache_backend
    shown = _view(backend, _find(backend, group_id))
    if shown["ReplicationGroups"]:
        raise InvalidUserGroupState(f"User group {group_id} is in use by {', '.join(shown['ReplicationGroups'])}.")
    del _groups(backend)[group_id]
    return ActionResult({**shown, "Status": "deleting"})


def modify_user(self: ElastiCacheResponse) -> ActionResult:
    params = self._get_params()
    backend = self.elasticache_backend
    user_id = params["UserId"]
    if user_id not in backend.users:
        raise UserNotFound(user_id)
    user = backend.users[user_id]
    if params.get("AccessString"):
        user.access_string = params["AccessString"]
    if params.get("Passwords"):
        if any(not 16 <= len(p) <= 128 for p in params["Passwords"]):
            raise InvalidParameterValueException("Passwords length must be between 16-128 characters.")
        user.passwords = list(params["Passwords"])
        user.authentication_type = "password"
        user.no_password_required = False
    if params.get("NoPasswordRequired") is not None and str(params["NoPasswordRequired"]).lower() == "true":
        user.passwords = []
        user.no_password_required = True
    return ActionResult(user)


def install() -> None:
    original_list_tags = ElastiCacheBackend.list_tags_for_resource

    def list_tags_for_resource(self: Any, arn: str) -> Any:
        # moto's ARN check knows neither user groups nor parameter groups; both are taggable on AWS.
        if ":usergroup:" in arn or ":parametergroup:" in arn:
            return self.tagging_service.list_tags_for_resource(arn)
        return original_list_tags(self, arn)

    for function in (create_user_group, describe_user_groups, modify_user_group, delete_user_group, modify_user):
        setattr(ElastiCacheResponse, function.__name__, function)
    ElastiCacheBackend.list_tags_for_resource = list_tags_for_resource  # type: ignore[method-assign]  # replaces moto's method
