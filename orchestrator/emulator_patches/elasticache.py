"""ElastiCache: what moto leaves out of replication groups."""

from __future__ import annotations

from typing import Any


def install() -> None:
    _register_replication_group_members()
    _add_user_groups_and_modify_user()


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


def _add_user_groups_and_modify_user() -> None:
    """RBAC: CreateUserGroup, DescribeUserGroups, ModifyUserGroup, DeleteUserGroup and ModifyUser.

    elasticache-redis authenticates through an RBAC user group (its `default` user's password is
    write-only, so the AUTH token never reaches state). moto implements users (CreateUser,
    DescribeUsers, DeleteUser) and stores a replication group's UserGroupIds, but has no user group
    API and no ModifyUser (a token rotation). As on AWS: a group is `active` at once here, lists its
    users and the replication groups that use it, and cannot be deleted while a group uses it;
    ModifyUser replaces the passwords it is given; user-group ARNs are taggable.
    """
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

    def groups(backend: Any) -> dict[str, dict[str, Any]]:
        if not hasattr(backend, "orch_user_groups"):
            backend.orch_user_groups = {}
        return backend.orch_user_groups

    def view(backend: Any, group: dict[str, Any]) -> dict[str, Any]:
        using = [
            rg.replication_group_id
            for rg in backend.replication_groups.values()
            if group["UserGroupId"] in (getattr(rg, "user_group_ids", None) or [])
        ]
        return {**group, "ReplicationGroups": using}

    def check_users(backend: Any, user_ids: list[str]) -> None:
        for user_id in user_ids:
            if user_id not in backend.users:
                raise UserNotFound(user_id)
        if user_ids and not any(backend.users[u].name == "default" for u in user_ids):
            raise InvalidParameterValueException("A user with the username default must be included in the user group.")

    def create_user_group(self: ElastiCacheResponse) -> ActionResult:
        params = self._get_params()
        backend = self.elasticache_backend
        group_id = params["UserGroupId"]
        if group_id in groups(backend):
            raise UserGroupAlreadyExists(f"User group {group_id} already exists.")
        user_ids = list(params.get("UserIds") or [])
        check_users(backend, user_ids)
        arn = f"arn:aws:elasticache:{backend.region_name}:{backend.account_id}:usergroup:{group_id}"
        group = {
            "UserGroupId": group_id,
            "Status": "active",
            "Engine": (params.get("Engine") or "redis").lower(),
            "UserIds": user_ids,
            "MinimumEngineVersion": "6.0",
            "ARN": arn,
        }
        groups(backend)[group_id] = group
        if params.get("Tags"):
            backend.add_tags_to_resource(arn, params["Tags"])
        return ActionResult(view(backend, group))

    def describe_user_groups(self: ElastiCacheResponse) -> ActionResult:
        params = self._get_params()
        backend = self.elasticache_backend
        group_id = params.get("UserGroupId")
        if group_id:
            if group_id not in groups(backend):
                raise UserGroupNotFound(f"User group {group_id} not found.")
            found = [groups(backend)[group_id]]
        else:
            found = list(groups(backend).values())
        return ActionResult({"UserGroups": [view(backend, g) for g in found]})

    def modify_user_group(self: ElastiCacheResponse) -> ActionResult:
        params = self._get_params()
        backend = self.elasticache_backend
        group_id = params["UserGroupId"]
        if group_id not in groups(backend):
            raise UserGroupNotFound(f"User group {group_id} not found.")
        group = groups(backend)[group_id]
        removed = set(params.get("UserIdsToRemove") or [])
        users = [u for u in group["UserIds"] if u not in removed]
        users += [u for u in params.get("UserIdsToAdd") or [] if u not in users]
        check_users(backend, users)
        group["UserIds"] = users
        if params.get("Engine"):
            group["Engine"] = params["Engine"].lower()
        return ActionResult(view(backend, group))

    def delete_user_group(self: ElastiCacheResponse) -> ActionResult:
        params = self._get_params()
        backend = self.elasticache_backend
        group_id = params["UserGroupId"]
        if group_id not in groups(backend):
            raise UserGroupNotFound(f"User group {group_id} not found.")
        shown = view(backend, groups(backend)[group_id])
        if shown["ReplicationGroups"]:
            raise InvalidUserGroupState(f"User group {group_id} is in use by {', '.join(shown['ReplicationGroups'])}.")
        del groups(backend)[group_id]
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

    original_list_tags = ElastiCacheBackend.list_tags_for_resource

    def list_tags_for_resource(self: Any, arn: str) -> Any:
        if ":usergroup:" in arn:
            return self.tagging_service.list_tags_for_resource(arn)
        return original_list_tags(self, arn)

    ElastiCacheResponse.create_user_group = create_user_group  # type: ignore[attr-defined]
    ElastiCacheResponse.describe_user_groups = describe_user_groups  # type: ignore[attr-defined]
    ElastiCacheResponse.modify_user_group = modify_user_group  # type: ignore[attr-defined]
    ElastiCacheResponse.delete_user_group = delete_user_group  # type: ignore[attr-defined]
    ElastiCacheResponse.modify_user = modify_user  # type: ignore[attr-defined]
    ElastiCacheBackend.list_tags_for_resource = list_tags_for_resource  # type: ignore[method-assign]
