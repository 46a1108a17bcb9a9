"""ElastiCache: what moto leaves out of replication groups, RBAC user groups, parameter groups and
failover tests (TestFailover, DescribeEvents)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast


def install() -> None:
    _register_replication_group_members()
    _add_user_groups_and_modify_user()
    _add_cache_parameter_groups()  # after the member registration: it wraps what that installed
    _add_test_failover_and_events()


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
                cache_node_type=group.cache_node_type,
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
            cluster.at_rest_encryption_enabled = getattr(group, "at_rest_encryption_enabled", False)  # type: ignore[attr-defined]  # serialized by moto; not a CacheCluster attribute
            cluster.auth_token_enabled = getattr(group, "auth_token_enabled", False)
            cluster.transit_encryption_mode = getattr(group, "transit_encryption_mode", None)  # type: ignore[attr-defined]  # serialized by moto; not a CacheCluster attribute
            sg_ids = kwargs.get("security_group_ids") or getattr(group, "security_group_ids", None) or []
            cluster.security_groups = [{"SecurityGroupId": sg, "Status": "active"} for sg in sg_ids]  # type: ignore[attr-defined]  # serialized by moto; not a CacheCluster attribute
            self.cache_clusters[member] = cluster
        return group

    ElastiCacheBackend.create_replication_group = create_replication_group  # type: ignore[method-assign]  # replaces moto's method


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
        return cast("dict[str, dict[str, Any]]", backend.orch_user_groups)

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
        # moto's ARN check knows neither user groups nor parameter groups; both are taggable on AWS.
        if ":usergroup:" in arn or ":parametergroup:" in arn:
            return self.tagging_service.list_tags_for_resource(arn)
        return original_list_tags(self, arn)

    ElastiCacheResponse.create_user_group = create_user_group  # type: ignore[attr-defined]  # new method: moto has none
    ElastiCacheResponse.describe_user_groups = describe_user_groups  # type: ignore[attr-defined]  # new method: moto has none
    ElastiCacheResponse.modify_user_group = modify_user_group  # type: ignore[attr-defined]  # new method: moto has none
    ElastiCacheResponse.delete_user_group = delete_user_group  # type: ignore[attr-defined]  # new method: moto has none
    ElastiCacheResponse.modify_user = modify_user  # type: ignore[attr-defined]  # new method: moto has none
    ElastiCacheBackend.list_tags_for_resource = list_tags_for_resource  # type: ignore[method-assign]  # replaces moto's method


def _add_cache_parameter_groups() -> None:
    """Cache parameter groups: Create/Describe/Modify/Reset/DeleteCacheParameterGroup,
    DescribeCacheParameters and DescribeEngineDefaultParameters, which moto lacks entirely.

    elasticache-redis gives its replication group its own redis7 group (cluster-enabled yes plus
    its `parameters`). As on AWS: every family has a default group (`default.redis7`, and
    `default.redis7.cluster.on` from redis3.2 on) that cannot be modified or deleted; a new group
    starts from its family's engine defaults (`FAMILIES` below: a realistic subset of AWS's
    parameters, with their types, allowed values and change types); a parameter set by the user
    has Source `user` until it is reset; a group used by a cache cluster cannot be deleted.
    CreateReplicationGroup and CreateCacheCluster check the group they are given (it exists and
    its family matches the engine version; its cluster-enabled matches ClusterMode, which it decides
    when ClusterMode is not given) and fall back to the family's default group; ModifyReplicationGroup
    switches groups. Clusters (member clusters too) return CacheParameterGroup
    {CacheParameterGroupName, ParameterApplyStatus, CacheNodeIdsToReboot}: a change to a
    `requires-reboot` parameter leaves the clusters that use the group `pending-reboot`.
    """
    from moto.core.responses import ActionResult, EmptyResult
    from moto.elasticache.exceptions import (
        ElastiCacheException,
        InvalidParameterCombinationException,
        InvalidParameterValueException,
    )
    from moto.elasticache.models import CacheCluster, ElastiCacheBackend
    from moto.elasticache.responses import ElastiCacheResponse

    class CacheParameterGroupNotFound(ElastiCacheException):
        code = "CacheParameterGroupNotFound"

        def __init__(self, name: str) -> None:
            super().__init__(f"CacheParameterGroup not found: {name}")

    class CacheParameterGroupAlreadyExists(ElastiCacheException):
        code = "CacheParameterGroupAlreadyExists"

    class InvalidCacheParameterGroupState(ElastiCacheException):
        code = "InvalidCacheParameterGroupState"

    def store(backend: Any) -> dict[str, dict[str, Any]]:
        """The backend's groups by lower-case name, the family default groups made on first use."""
        if not hasattr(backend, "orch_cache_parameter_groups"):
            backend.orch_cache_parameter_groups = {}
            for family in FAMILIES:
                new_group(backend, f"default.{family}", family, f"Default parameter group for {family}")
                if family_has_cluster_mode(family):
                    group = new_group(
                        backend,
                        f"default.{family}.cluster.on",
                        family,
                        f"Customized default parameter group for {family} with cluster mode on",
                    )
                    group["Values"]["cluster-enabled"] = "yes"  # the group's own default, not a user change
        return cast("dict[str, dict[str, Any]]", backend.orch_cache_parameter_groups)

    def new_group(backend: Any, name: str, family: str, description: str) -> dict[str, Any]:
        group = {
            "CacheParameterGroupName": name,
            "CacheParameterGroupFamily": family,
            "Description": description,
            "IsGlobal": False,
            "ARN": f"arn:aws:elasticache:{backend.region_name}:{backend.account_id}:parametergroup:{name}",
            "Values": {p.name: p.default for p in FAMILIES[family]},  # current values
            "User": set(),  # names set by the user (Source user)
        }
        backend.orch_cache_parameter_groups[name] = group
        return group

    def find(backend: Any, name: str | None) -> dict[str, Any]:
        group = store(backend).get((name or "").lower())
        if group is None:
            raise CacheParameterGroupNotFound(name or "")
        return group

    def shown(group: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in group.items() if k not in ("Values", "User")}

    def is_default(group: dict[str, Any]) -> bool:
        return str(group["CacheParameterGroupName"]).startswith("default.")

    def parameter_view(param: Param, family: str, value: str | None, source: str) -> dict[str, Any]:
        return {
            "ParameterName": param.name,
            "ParameterValue": value,
            "Description": param.description,
            "Source": source,
            "DataType": param.data_type,
            "AllowedValues": param.allowed,
            "IsModifiable": param.modifiable,
            "MinimumEngineVersion": FAMILY_MINIMUM_VERSION[family],
            "ChangeType": param.change_type,
        }

    def parameters_of(group: dict[str, Any]) -> list[dict[str, Any]]:
        family = group["CacheParameterGroupFamily"]
        return [
            parameter_view(p, family, group["Values"][p.name], "user" if p.name in group["User"] else "system")
            for p in FAMILIES[family]
        ]

    def page(items: list[dict[str, Any]], key: str, params: Any) -> tuple[list[dict[str, Any]], str | None]:
        """Marker pagination as AWS does it: MaxRecords 20-100 (default 100), the Marker an opaque token."""
        limit = params.get("MaxRecords")
        if limit is not None:
            limit = int(limit)
            if not 20 <= limit <= 100:
                raise InvalidParameterValueException(
                    f"Invalid value {limit} for MaxRecords. Must be between 20 and 100."
                )
        limit = limit or 100
        marker = params.get("Marker")
        ordered = sorted(items, key=lambda i: str(i[key]))
        if marker:
            ordered = [i for i in ordered if str(i[key]) > marker]
        shown_items = ordered[:limit]
        return shown_items, (str(shown_items[-1][key]) if len(ordered) > limit else None)

    def with_marker(result: dict[str, Any], marker: str | None) -> dict[str, Any]:
        return {**result, "Marker": marker} if marker else result

    def name_values(params: Any) -> list[tuple[str, str | None]]:
        return [
            (str(p.get("ParameterName") or ""), p.get("ParameterValue"))
            for p in params.get("ParameterNameValues") or []
        ]

    def using(backend: Any, name: str) -> list[str]:
        """Cache clusters (member clusters too) that use the group and are not being deleted."""
        groups = backend.replication_groups
        return sorted(
            c.cache_cluster_id
            for c in backend.cache_clusters.values()
            if (c.cache_parameter_group_name or "").lower() == name
            and c.cache_cluster_status != "deleting"
            and not (c.replication_group_id in groups and groups[c.replication_group_id].status == "deleting")
        )

    # ---------------------------------------------------------------- the API

    def create_cache_parameter_group(self: ElastiCacheResponse) -> ActionResult:
        params = self._get_params()
        backend = self.elasticache_backend
        name = str(params.get("CacheParameterGroupName") or "").lower()
        family = params.get("CacheParameterGroupFamily") or ""
        if not name:
            raise InvalidParameterValueException(
                "The parameter CacheParameterGroupName must be provided and must not be blank."
            )
        if family not in FAMILIES:
            raise InvalidParameterValueException(
                f"The parameter CacheParameterGroupFamily has an invalid value: {family}. "
                f"Valid values are: {', '.join(FAMILIES)}."
            )
        if name in store(backend):
            raise CacheParameterGroupAlreadyExists(f"CacheParameterGroup {name} already exists.")
        group = new_group(backend, name, family, params.get("Description") or "")
        if params.get("Tags"):
            backend.tagging_service.tag_resource(group["ARN"], params["Tags"])
        return ActionResult({"CacheParameterGroup": shown(group)})

    def describe_cache_parameter_groups(self: ElastiCacheResponse) -> ActionResult:
        params = self._get_params()
        backend = self.elasticache_backend
        name = params.get("CacheParameterGroupName")
        groups = [find(backend, name)] if name else list(store(backend).values())
        found, marker = page([shown(g) for g in groups], "CacheParameterGroupName", params)
        return ActionResult(with_marker({"CacheParameterGroups": found}, marker))

    def describe_cache_parameters(self: ElastiCacheResponse) -> ActionResult:
        params = self._get_params()
        group = find(self.elasticache_backend, params.get("CacheParameterGroupName"))
        source = params.get("Source")
        if source not in (None, "user", "system", "engine-default"):
            raise InvalidParameterValueException(
                f"Invalid source: {source}. Valid values are: user, system, engine-default."
            )
        parameters = parameters_of(group)
        if source == "user":
            parameters = [p for p in parameters if p["Source"] == "user"]
        elif source:  # system and engine-default: what still holds the family's value
            parameters = [p for p in parameters if p["Source"] != "user"]
        found, marker = page(parameters, "ParameterName", params)
        return ActionResult(with_marker({"Parameters": found, "CacheNodeTypeSpecificParameters": []}, marker))

    def describe_engine_default_parameters(self: ElastiCacheResponse) -> ActionResult:
        params = self._get_params()
        family = params.get("CacheParameterGroupFamily") or ""
        if family not in FAMILIES:
            raise InvalidParameterValueException(
                f"The parameter CacheParameterGroupFamily has an invalid value: {family}."
            )
        parameters = [parameter_view(p, family, p.default, "system") for p in FAMILIES[family]]
        found, marker = page(parameters, "ParameterName", params)
        defaults = {"CacheParameterGroupFamily": family, "Parameters": found, "CacheNodeTypeSpecificParameters": []}
        return ActionResult({"EngineDefaults": with_marker(defaults, marker)})

    def modify_cache_parameter_group(self: ElastiCacheResponse) -> ActionResult:
        params = self._get_params()
        backend = self.elasticache_backend
        group = find(backend, params.get("CacheParameterGroupName"))
        changes = name_values(params)
        if is_default(group):
            raise InvalidParameterValueException("Cannot modify a default parameter group.")
        if not changes:
            raise InvalidParameterValueException("At least one parameter name and value must be given.")
        if len(changes) > 20:
            raise InvalidParameterCombinationException("Cannot modify more than 20 parameters in a single request")
        by_name = {p.name: p for p in FAMILIES[group["CacheParameterGroupFamily"]]}
        for name, value in changes:
            param = by_name.get(name.lower())
            if param is None:
                raise InvalidParameterValueException(f"Parameter {name} doesn't exist")
            if not param.modifiable:
                raise InvalidParameterValueException(f"Parameter {name} is not modifiable")
            if value is None or not param.accepts(str(value)):
                raise InvalidParameterValueException(
                    f"Value {value} for parameter {name} is invalid. Valid values are: {param.allowed}"
                )
        for name, value in changes:
            param = by_name[name.lower()]
            group["Values"][param.name] = str(value)
            group["User"].add(param.name)
            if param.change_type == "requires-reboot":
                mark_pending_reboot(backend, group)
        return ActionResult({"CacheParameterGroupName": group["CacheParameterGroupName"]})

    def reset_cache_parameter_group(self: ElastiCacheResponse) -> ActionResult:
        params = self._get_params()
        backend = self.elasticache_backend
        group = find(backend, params.get("CacheParameterGroupName"))
        reset_all = str(params.get("ResetAllParameters", "")).lower() == "true"
        names = [n for n, _ in name_values(params)]
        if is_default(group):
            raise InvalidParameterValueException("Cannot reset a default parameter group.")
        if reset_all and names:
            raise InvalidParameterCombinationException(
                "ResetAllParameters and ParameterNameValues cannot be used together."
            )
        if not reset_all and not names:
            raise InvalidParameterValueException("Give ResetAllParameters or at least one parameter name.")
        by_name = {p.name: p for p in FAMILIES[group["CacheParameterGroupFamily"]]}
        for name in names:
            if name.lower() not in by_name:
                raise InvalidParameterValueException(f"Parameter {name} doesn't exist")
        targets = list(by_name) if reset_all else [n.lower() for n in names]
        for name in targets:
            param = by_name[name]
            if name in group["User"] and param.change_type == "requires-reboot":
                mark_pending_reboot(backend, group)
            group["Values"][name] = param.default
            group["User"].discard(name)
        return ActionResult({"CacheParameterGroupName": group["CacheParameterGroupName"]})

    def delete_cache_parameter_group(self: ElastiCacheResponse) -> ActionResult:
        params = self._get_params()
        backend = self.elasticache_backend
        group = find(backend, params.get("CacheParameterGroupName"))
        name = group["CacheParameterGroupName"]
        if is_default(group):
            raise InvalidCacheParameterGroupState(f"Default parameter group {name} cannot be deleted.")
        clusters = using(backend, name)
        if clusters:
            raise InvalidCacheParameterGroupState(
                f"Parameter group {name} is in use by cache cluster(s): {', '.join(clusters)}."
            )
        del store(backend)[name]
        backend.tagging_service.delete_all_tags_for_resource(group["ARN"])
        return EmptyResult()

    def mark_pending_reboot(backend: Any, group: dict[str, Any]) -> None:
        for cluster_id in using(backend, group["CacheParameterGroupName"]):
            cluster = backend.cache_clusters[cluster_id]
            cluster.orch_parameter_apply_status = "pending-reboot"

    # ---------------------------------------------------------------- clusters and replication groups

    def checked_group_name(
        backend: Any, name: str | None, engine: str | None, version: str | None, cluster_mode: str | None
    ) -> str:
        """The group a new cluster gets: the one given (checked like AWS), else its family's default."""
        family = family_of(engine, version)
        if not name:
            if family is None:
                # AWS's answer to an engine version it does not offer (e.g. valkey 9.0).
                raise InvalidParameterValueException(f"Cannot find version {version} for {(engine or 'redis').lower()}")
            enabled = (cluster_mode or "").lower() == "enabled"
            clustered = enabled and family_has_cluster_mode(family)
            return f"default.{family}.cluster.on" if clustered else f"default.{family}"
        group = find(backend, name)
        if family and group["CacheParameterGroupFamily"] != family:
            raise InvalidParameterCombinationException(
                f"Expected a parameter group of family {family} "
                f"but found one of family {group['CacheParameterGroupFamily']}"
            )
        return str(group["CacheParameterGroupName"])

    def cluster_mode_of(backend: Any, name: str, cluster_mode: str | None) -> str | None:
        """ClusterMode as AWS settles it: from the group's cluster-enabled unless given, and never against it."""
        group_enabled = store(backend)[name]["Values"].get("cluster-enabled")
        if group_enabled is None:  # memcached and redis2.x have no cluster mode
            return cluster_mode
        if cluster_mode is None:
            return "enabled" if group_enabled == "yes" else "disabled"
        if cluster_mode.lower() == "enabled" and group_enabled != "yes":
            raise InvalidParameterCombinationException(
                f"Cluster mode is enabled but parameter group {name} has cluster-enabled set to no."
            )
        if cluster_mode.lower() == "disabled" and group_enabled == "yes":
            raise InvalidParameterCombinationException(
                f"Cluster mode is disabled but parameter group {name} has cluster-enabled set to yes."
            )
        return cluster_mode

    original_create_group = ElastiCacheBackend.create_replication_group

    def create_replication_group(self: Any, *args: Any, **kwargs: Any) -> Any:
        name = checked_group_name(
            self,
            kwargs.get("cache_parameter_group_name"),
            kwargs.get("engine"),
            kwargs.get("engine_version"),
            kwargs.get("cluster_mode"),
        )
        kwargs["cache_parameter_group_name"] = name
        kwargs["cluster_mode"] = cluster_mode_of(self, name, kwargs.get("cluster_mode"))
        return original_create_group(self, *args, **kwargs)

    original_create_cluster = ElastiCacheBackend.create_cache_cluster

    def create_cache_cluster(self: Any, *args: Any, **kwargs: Any) -> Any:
        if not kwargs.get("replication_group_id"):
            kwargs["cache_parameter_group_name"] = checked_group_name(
                self, kwargs.get("cache_parameter_group_name"), kwargs.get("engine"), kwargs.get("engine_version"), None
            )
        return original_create_cluster(self, *args, **kwargs)

    original_modify_group = ElastiCacheResponse.modify_replication_group

    def modify_replication_group(self: ElastiCacheResponse) -> ActionResult:
        params = self._get_params()
        backend = self.elasticache_backend
        group_id = params.get("ReplicationGroupId")
        name = params.get("CacheParameterGroupName")
        if name and group_id in backend.replication_groups:
            group = backend.replication_groups[group_id]
            name = checked_group_name(backend, name, group.engine, group.engine_version, None)
            enabled = store(backend)[name]["Values"].get("cluster-enabled")
            if enabled is not None and (enabled == "yes") != (group.cluster_mode == "enabled"):
                raise InvalidParameterCombinationException(
                    f"Parameter group {name} has cluster-enabled {enabled}, which does not match the replication group."
                )
            group.cache_parameter_group_name = name
            for member in group.member_clusters:
                if member in backend.cache_clusters:
                    backend.cache_clusters[member].cache_parameter_group_name = name
                    backend.cache_clusters[member].orch_parameter_apply_status = "in-sync"
        return original_modify_group(self)

    def cache_parameter_group(self: Any) -> dict[str, Any] | None:
        name = getattr(self, "cache_parameter_group_name", None)
        if not name:
            return None
        status = getattr(self, "orch_parameter_apply_status", "in-sync")
        return {
            "CacheParameterGroupName": name,
            "ParameterApplyStatus": status,
            "CacheNodeIdsToReboot": ["0001"] if status == "pending-reboot" else [],
        }

    ElastiCacheResponse.create_cache_parameter_group = create_cache_parameter_group  # type: ignore[attr-defined]  # new method: moto has none
    ElastiCacheResponse.describe_cache_parameter_groups = describe_cache_parameter_groups  # type: ignore[attr-defined]  # new method: moto has none
    ElastiCacheResponse.describe_cache_parameters = describe_cache_parameters  # type: ignore[attr-defined]  # new method: moto has none
    ElastiCacheResponse.describe_engine_default_parameters = describe_engine_default_parameters  # type: ignore[attr-defined]  # new method: moto has none
    ElastiCacheResponse.modify_cache_parameter_group = modify_cache_parameter_group  # type: ignore[attr-defined]  # new method: moto has none
    ElastiCacheResponse.reset_cache_parameter_group = reset_cache_parameter_group  # type: ignore[attr-defined]  # new method: moto has none
    ElastiCacheResponse.delete_cache_parameter_group = delete_cache_parameter_group  # type: ignore[attr-defined]  # new method: moto has none
    ElastiCacheResponse.modify_replication_group = modify_replication_group  # type: ignore[method-assign]  # replaces moto's method
    ElastiCacheBackend.create_replication_group = create_replication_group  # type: ignore[method-assign]  # replaces moto's method
    ElastiCacheBackend.create_cache_cluster = create_cache_cluster  # type: ignore[method-assign]  # replaces moto's method
    CacheCluster.cache_parameter_group = property(cache_parameter_group)  # type: ignore[attr-defined]  # new property: moto's model has none


def _add_test_failover_and_events() -> None:
    """TestFailover and DescribeEvents, which moto lacks, and the replicas of NumCacheClusters.

    docs/runbooks/redis-failover.md tests Multi-AZ failover one shard at a time with TestFailover and
    reads its outcome from DescribeEvents; for a cluster-mode-enabled group (70-cache's) the events are
    the only place AWS shows which node is primary. As on AWS (botocore's model and the TestFailover
    documentation): the node group's primary and its first replica swap roles, and the five events AWS
    documents for a test failover are recorded, in its order (the group's "Test Failover API called",
    the cache cluster's and the group's "Failover from primary node ... completed", the former
    primary's "Recovering cache nodes" and "Finished recovery"). NodeGroupMembers show CurrentRole
    only where AWS does, in cluster-mode-disabled groups; a cluster-mode-enabled group keeps its
    primaries internally. Refused as AWS does: an unknown group (ReplicationGroupNotFoundFault) or node
    group (NodeGroupNotFoundFault), a NodeGroupId that is not 1-4 digits (InvalidParameterValue), a
    group or member cluster that is not `available` (InvalidReplicationGroupState,
    InvalidCacheClusterState), a group without automatic failover or a node group without a replica
    (TestFailoverNotAvailableFault), more than 15 node groups in a rolling 24 hours
    (APICallRateForCustomerExceeded).

    What AWS does over minutes happens at once here: the call answers the group with the roles
    already swapped. DescribeEvents lists only the events recorded here (no creation, modification
    or snapshot events: nothing here reads them), newest first, in its window (the last hour, or
    StartTime/EndTime/Duration), filtered by SourceType/SourceIdentifier, MaxRecords 20-100 per page
    with a Marker.

    moto also ignores NumCacheClusters when ReplicasPerNodeGroup is not given: a cluster-mode-disabled
    group asked for 2 clusters got 1, so it had no replica to fail over to. It gets its replicas here.
    """
    import base64
    from datetime import datetime, timedelta

    from moto.core.responses import ActionResult
    from moto.core.utils import utcnow
    from moto.elasticache.exceptions import (
        ElastiCacheException,
        InvalidParameterValueException,
        ReplicationGroupNotFound,
    )
    from moto.elasticache.models import ReplicationGroup
    from moto.elasticache.responses import ElastiCacheResponse

    class NodeGroupNotFound(ElastiCacheException):
        code = "NodeGroupNotFoundFault"

    class TestFailoverNotAvailable(ElastiCacheException):
        code = "TestFailoverNotAvailableFault"

    class InvalidReplicationGroupState(ElastiCacheException):
        code = "InvalidReplicationGroupState"

    class InvalidCacheClusterState(ElastiCacheException):
        code = "InvalidCacheClusterState"

    class APICallRateForCustomerExceeded(ElastiCacheException):
        code = "APICallRateForCustomerExceeded"

    failovers_per_day = 15
    source_types = (
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

    original_members = ReplicationGroup._set_node_members_clusters_disabled

    def set_node_members_clusters_disabled(self: Any, **kwargs: Any) -> None:
        if not kwargs.get("replicas_per_node_group") and (kwargs.get("num_cache_clusters") or 1) > 1:
            kwargs["replicas_per_node_group"] = kwargs["num_cache_clusters"] - 1
        original_members(self, **kwargs)

    def events(backend: Any) -> list[dict[str, Any]]:
        if not hasattr(backend, "orch_events"):
            backend.orch_events = []
        return cast("list[dict[str, Any]]", backend.orch_events)

    def record(backend: Any, source_type: str, source: str, message: str) -> None:
        # Strictly increasing dates: several events of one call keep their order when sorted.
        now = utcnow()
        previous = events(backend)[-1]["Date"] if events(backend) else None
        date = max(now, previous + timedelta(milliseconds=1)) if previous else now
        event = {"SourceIdentifier": source, "SourceType": source_type, "Message": message, "Date": date}
        events(backend).append(event)

    def primary_of(group: Any, node_group: dict[str, Any]) -> str:
        members = node_group["node_group_members"]
        for member in members:
            if member.get("current_role") == "primary":
                return str(member["cache_cluster_id"])
        primaries = getattr(group, "orch_primaries", {})
        return str(primaries.get(node_group["node_group_id"], members[0]["cache_cluster_id"]))

    def test_failover(self: ElastiCacheResponse) -> ActionResult:
        backend = self.elasticache_backend
        group_id = str(self._get_param("ReplicationGroupId") or "")
        node_group_id = str(self._get_param("NodeGroupId") or "")
        if group_id not in backend.replication_groups:
            raise ReplicationGroupNotFound(group_id)
        if not node_group_id.isdigit() or not 1 <= len(node_group_id) <= 4:
            raise InvalidParameterValueException(
                f"The parameter NodeGroupId must be 1 to 4 digits; {node_group_id!r} is not valid."
            )
        group = backend.replication_groups[group_id]
        node_group = next((g for g in group.node_groups if g["node_group_id"] == node_group_id), None)
        if node_group is None:
            raise NodeGroupNotFound(f"Node group {node_group_id} not found in replication group {group_id}.")
        if group.status != "available":
            raise InvalidReplicationGroupState(
                f"Replication group {group_id} must be available to test a failover; it is {group.status}."
            )
        if group.automatic_failover != "enabled":
            raise TestFailoverNotAvailable(
                f"Test failover is not available for replication group {group_id}: automatic failover is disabled."
            )
        members = [str(m["cache_cluster_id"]) for m in node_group["node_group_members"]]
        if len(members) < 2:
            raise TestFailoverNotAvailable(
                f"Test failover is not available for node group {node_group_id} of replication group {group_id}: "
                "it has no replica."
            )
        for member in members:
            cluster = backend.cache_clusters.get(member)
            if cluster is not None and cluster.cache_cluster_status != "available":
                raise InvalidCacheClusterState(
                    f"Cache cluster {member} must be available to test a failover; it is "
                    f"{cluster.cache_cluster_status}."
                )
        now = utcnow()
        calls = [t for t in getattr(backend, "orch_failover_calls", []) if now - t < timedelta(hours=24)]
        if len(calls) >= failovers_per_day:
            raise APICallRateForCustomerExceeded(
                f"TestFailover can test at most {failovers_per_day} node groups in any rolling 24-hour period."
            )
        backend.orch_failover_calls = [*calls, now]  # type: ignore[attr-defined]  # orch's own record on moto's backend

        old = primary_of(group, node_group)
        new = next(m for m in members if m != old)
        for member in node_group["node_group_members"]:
            if "current_role" in member:
                member["current_role"] = "primary" if member["cache_cluster_id"] == new else "replica"
        group.orch_primaries = {**getattr(group, "orch_primaries", {}), node_group_id: new}  # type: ignore[attr-defined]  # moto models no primary in cluster mode
        completed = f"Failover from primary node {old} to replica node {new} completed"
        record(backend, "replication-group", group_id, f"Test Failover API called for node group {node_group_id}")
        record(backend, "cache-cluster", old, completed)
        record(backend, "replication-group", group_id, completed)
        # A member cluster of a replication group has one cache node, 0001.
        record(backend, "cache-cluster", old, "Recovering cache nodes 0001")
        record(backend, "cache-cluster", old, "Finished recovery for cache nodes 0001")
        return ActionResult({"ReplicationGroup": group})

    def when(value: Any, name: str) -> datetime | None:
        if value is None or value == "":
            return None
        try:
            parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        except ValueError:
            raise InvalidParameterValueException(f"Invalid value for {name}: {value}") from None
        return parsed.replace(tzinfo=None) if parsed.tzinfo else parsed

    def describe_events(self: ElastiCacheResponse) -> ActionResult:
        params = self._get_params()
        source_type = params.get("SourceType")
        source = params.get("SourceIdentifier")
        if source_type is not None and source_type not in source_types:
            raise InvalidParameterValueException(
                f"Invalid value for SourceType: {source_type}. Valid values are: {', '.join(source_types)}."
            )
        limit = params.get("MaxRecords")
        if limit is not None and not 20 <= int(limit) <= 100:
            raise InvalidParameterValueException(f"Invalid value {limit} for MaxRecords. Must be between 20 and 100.")
        start, end = when(params.get("StartTime"), "StartTime"), when(params.get("EndTime"), "EndTime")
        duration = params.get("Duration")
        minutes = timedelta(minutes=int(duration) if duration is not None else 60)
        if start and not end:
            end = start + minutes if duration is not None else utcnow()
        end = end or utcnow()
        start = start or end - minutes
        found = [
            e
            for e in reversed(events(self.elasticache_backend))
            if start <= e["Date"] <= end
            and (source_type is None or e["SourceType"] == source_type)
            and (not source or e["SourceIdentifier"] == source)
        ]
        try:
            offset = int(base64.urlsafe_b64decode(params["Marker"]).decode()) if params.get("Marker") else 0
        except ValueError:
            raise InvalidParameterValueException(f"Invalid marker: {params['Marker']}") from None
        size = int(limit or 100)
        page = found[offset : offset + size]
        result: dict[str, Any] = {"Events": page}
        if offset + size < len(found):
            result["Marker"] = base64.urlsafe_b64encode(str(offset + size).encode()).decode()
        return ActionResult(result)

    ReplicationGroup._set_node_members_clusters_disabled = set_node_members_clusters_disabled  # type: ignore[method-assign,assignment]  # keyword-only wrapper of moto's method
    ElastiCacheResponse.test_failover = test_failover  # type: ignore[attr-defined]  # an action moto lacks
    ElastiCacheResponse.describe_events = describe_events  # type: ignore[attr-defined]  # an action moto lacks


# ------------------------------------------------------------------------------------ parameter data
# A realistic subset of what AWS lists per family (DescribeEngineDefaultParameters): the parameters
# modules and operators commonly set, with AWS's defaults, DataType, AllowedValues ("a,b", "min-max",
# "min-": no upper bound) and ChangeType. Flags: `ro` not modifiable, `reboot` requires-reboot.
# Families: `redisX+` from that redis family on (valkey7 and valkey8 come after redis7), `-redisX` up
# to it, `memcached` every memcached family.

REDIS_FAMILIES = (
    "redis2.6",
    "redis2.8",
    "redis3.2",
    "redis4.0",
    "redis5.0",
    "redis6.x",
    "redis7",
    "valkey7",
    "valkey8",
)
MEMCACHED_FAMILIES = ("memcached1.4", "memcached1.5", "memcached1.6")
FAMILY_MINIMUM_VERSION = {
    **dict(
        zip(
            REDIS_FAMILIES,
            ("2.6.13", "2.8.4", "3.2.4", "4.0.10", "5.0.0", "6.0.5", "7.0.4", "7.2.4", "8.0.1"),
            strict=True,
        )
    ),
    **dict(zip(MEMCACHED_FAMILIES, ("1.4.5", "1.5.10", "1.6.6"), strict=True)),
}
EVICTION = "volatile-lru,allkeys-lru,volatile-lfu,allkeys-lfu,volatile-random,allkeys-random,volatile-ttl,noeviction"

PARAMETER_TABLE = f"""
activedefrag | no | string | yes,no | | redis4.0+ | Enabled active memory defragmentation
active-defrag-cycle-max | 75 | integer | 1-75 | | redis4.0+ | Maximal effort for defrag in CPU percentage
active-defrag-cycle-min | 5 | integer | 1-75 | | redis4.0+ | Minimal effort for defrag in CPU percentage
active-defrag-ignore-bytes | 104857600 | integer | 1048576- | | redis4.0+ | Minimum fragmentation waste to start defrag
active-defrag-max-scan-fields | 1000 | integer | 1-1000000 | | redis4.0+ | Max fields processed by a dictionary scan
active-defrag-threshold-lower | 10 | integer | 1-100 | | redis4.0+ | Minimum fragmentation percentage to start defrag
active-defrag-threshold-upper | 100 | integer | 1-100 | | redis4.0+ | Fragmentation percentage for maximum effort
appendonly | no | string | yes,no | ro | redis2.6+ | Enable Redis persistence.
appendfsync | everysec | string | always,everysec,no | ro | redis2.6+ | fsync policy for AOF persistence
client-output-buffer-limit-normal-hard-limit | 0 | integer | 0- | | redis2.6+ | Normal client output buffer hard limit
client-output-buffer-limit-normal-soft-limit | 0 | integer | 0- | | redis2.6+ | Normal client output buffer soft limit
client-output-buffer-limit-normal-soft-seconds | 0 | integer | 0- | | redis2.6+ | Normal client output buffer soft time
client-output-buffer-limit-pubsub-hard-limit | 33554432 | integer | 0- | | redis2.6+ | Pubsub output buffer hard limit
client-output-buffer-limit-pubsub-soft-limit | 8388608 | integer | 0- | | redis2.6+ | Pubsub output buffer soft limit
client-output-buffer-limit-pubsub-soft-seconds | 60 | integer | 0- | | redis2.6+ | Pubsub output buffer soft seconds
client-query-buffer-limit | 1073741824 | integer | 1048576-1073741824 | | redis4.0+ | Max size of a client query buffer
close-on-replica-write | yes | string | yes,no | | redis5.0+ | Disconnect clients that write to a read-only replica
cluster-enabled | no | string | yes,no | reboot | redis3.2+ | Enable cluster mode
cluster-require-full-coverage | no | string | yes,no | | redis3.2+ | Unavailable when slots are not covered
cluster-allow-reads-when-down | no | string | yes,no | | redis6.x+ | Serve reads while the cluster is down
cluster-allow-pubsubshard-when-down | yes | string | yes,no | | redis7+ | Serve shard pubsub while the cluster is down
databases | 16 | integer | 1-1200000 | reboot | redis2.6+ | Set the number of databases.
hash-max-ziplist-entries | 512 | integer | 0- | | -redis6.x | Max hash entries for a compressed dataset
hash-max-ziplist-value | 64 | integer | 0- | | -redis6.x | Biggest hash entry for a compressed dataset
hash-max-listpack-entries | 512 | integer | 0- | | redis7+ | Max hash entries for a compressed dataset
hash-max-listpack-value | 64 | integer | 0- | | redis7+ | Biggest hash entry for a compressed dataset
hz | 10 | integer | 1-500 | | redis2.8+ | Frequency of background tasks.
lazyfree-lazy-eviction | no | string | yes,no | | redis4.0+ | Asynchronous delete on evictions
lazyfree-lazy-expire | no | string | yes,no | | redis4.0+ | Asynchronous delete on expired keys
lazyfree-lazy-server-del | no | string | yes,no | | redis4.0+ | Asynchronous delete on key updates
lazyfree-lazy-user-del | no | string | yes,no | | redis6.x+ | Asynchronous delete on DEL commands
lfu-decay-time | 1 | integer | 0- | | redis4.0+ | Minutes to decrement the key counter (LFU)
lfu-log-factor | 10 | integer | 1- | | redis4.0+ | Log factor of the key counter (LFU)
list-compress-depth | 0 | integer | 0- | | redis3.2+ | Quicklist nodes excluded from compression
lua-time-limit | 5000 | integer | 5000 | ro | redis2.6+ | Max execution time of a Lua script in milliseconds.
maxclients | 65000 | integer | 1-65000 | ro,reboot | redis2.6+ | The maximum number of Redis clients.
maxmemory-policy | volatile-lru | string | {EVICTION} | | redis2.6+ | Max memory policy.
maxmemory-samples | 3 | integer | 1- | | redis2.6+ | Max memory samples.
min-replicas-max-lag | 10 | integer | 0- | | redis5.0+ | Replica lag in seconds beyond which writes stop
min-replicas-to-write | 0 | integer | 0- | | redis5.0+ | Replicas the primary needs to accept writes
notify-keyspace-events |  | string |  | | redis2.6+ | Keyspace events notified to Pub/Sub clients
repl-backlog-size | 1048576 | integer | 16384- | | redis2.8+ | Replication backlog size in bytes for PSYNC.
repl-backlog-ttl | 3600 | integer | 0- | | redis2.8+ | Seconds before the backlog of a replica-less primary is freed
reserved-memory | 0 | integer | 0- | | -redis2.8 | Memory reserved for non-cache usage.
reserved-memory-percent | 25 | integer | 0-100 | | redis3.2+ | Percent of memory reserved for non-cache usage.
set-max-intset-entries | 512 | integer | 0- | | redis2.6+ | Max set entries for a compressed dataset
slowlog-log-slower-than | 10000 | integer | 0- | | redis2.6+ | Microseconds a command must exceed to be logged.
slowlog-max-len | 128 | integer | 0- | | redis2.6+ | The length of the slow log.
stream-node-max-bytes | 4096 | integer | 0- | | redis5.0+ | Max size of a stream node in bytes.
stream-node-max-entries | 100 | integer | 0- | | redis5.0+ | Max items in a stream node.
tcp-keepalive | 300 | integer | 0- | | redis2.8+ | If non-zero, send ACKs every given number of seconds.
timeout | 0 | integer | 0,20- | | redis2.6+ | Seconds before an idle client is closed (0: never).
zset-max-ziplist-entries | 128 | integer | 0- | | -redis6.x | Max sorted set entries for a compressed dataset
zset-max-ziplist-value | 64 | integer | 0- | | -redis6.x | Biggest sorted set entry for a compressed dataset
zset-max-listpack-entries | 128 | integer | 0- | | redis7+ | Max sorted set entries for a compressed dataset
zset-max-listpack-value | 64 | integer | 0- | | redis7+ | Biggest sorted set entry for a compressed dataset
backlog_queue_limit | 1024 | integer | 1-10000 | ro,reboot | memcached | The backlog queue limit.
binding_protocol | auto | string | auto,binary,ascii | reboot | memcached | Binding protocol.
cas_disabled | 0 | boolean | 0,1 | reboot | memcached | If 1, check and set (CAS) operations are disabled.
chunk_size | 48 | integer | 1- | reboot | memcached | Minimum bytes allocated for the smallest item.
chunk_size_growth_factor | 1.25 | numeric | 1-2 | reboot | memcached | Growth factor of successive chunks.
error_on_memory_exhausted | 0 | boolean | 0,1 | reboot | memcached | If 1, return an error instead of evicting.
large_memory_pages | 0 | boolean | 0,1 | ro,reboot | memcached | If 1, try to use large memory pages.
lock_down_paged_memory | 0 | boolean | 0,1 | ro,reboot | memcached | If 1, lock down all paged memory.
max_item_size | 1048576 | integer | 1048576-1073741824 | reboot | memcached | The largest item storable, in bytes.
max_simultaneous_connections | 65000 | integer | 3-65000 | ro,reboot | memcached | Max simultaneous connections.
maxconns_fast | 0 | boolean | 0,1 | reboot | memcached | If 1, close new connections at the maximum.
memcached_connections_overhead | 100 | integer | 0- | | memcached | Memory reserved for connections and overhead.
requests_per_event | 20 | integer | 1- | ro,reboot | memcached | Max requests per event for a connection.
"""


@dataclass(frozen=True)
class Param:
    name: str
    default: str
    data_type: str
    allowed: str
    modifiable: bool
    change_type: str
    families: tuple[str, ...]
    description: str

    def accepts(self, value: str) -> bool:
        if self.data_type not in ("integer", "numeric"):
            return not self.allowed or value in self.allowed.split(",")
        try:
            number = float(value) if self.data_type == "numeric" else int(value)
        except ValueError:
            return False
        for part in self.allowed.split(","):
            low, sep, high = part.partition("-")
            if (not sep and number == float(low)) or (sep and float(low) <= number <= float(high or "inf")):
                return True
        return False


def _parse_table(table: str) -> tuple[Param, ...]:
    params = []
    for line in table.strip().splitlines():
        name, default, data_type, allowed, flags, scope, description = (c.strip() for c in line.split("|"))
        if scope == "memcached":
            families: tuple[str, ...] = MEMCACHED_FAMILIES
        elif scope.startswith("-"):
            families = REDIS_FAMILIES[: REDIS_FAMILIES.index(scope[1:]) + 1]
        else:
            families = REDIS_FAMILIES[REDIS_FAMILIES.index(scope.rstrip("+")) :]
        modifiable = "ro" not in flags.split(",")
        change_type = "requires-reboot" if "reboot" in flags.split(",") else "immediate"
        params.append(Param(name, default, data_type, allowed, modifiable, change_type, families, description))
    return tuple(params)


PARAMETERS = _parse_table(PARAMETER_TABLE)
FAMILIES: dict[str, tuple[Param, ...]] = {
    family: tuple(p for p in PARAMETERS if family in p.families) for family in REDIS_FAMILIES + MEMCACHED_FAMILIES
}


def family_has_cluster_mode(family: str) -> bool:
    return any(p.name == "cluster-enabled" for p in FAMILIES[family])


def family_of(engine: str | None, version: str | None) -> str | None:
    """The parameter group family of an engine version, as AWS pairs them (None: not known here)."""
    engine = (engine or "redis").lower()
    parts = (version or "").split(".")
    if engine == "memcached":
        family = f"memcached{'.'.join(parts[:2])}" if version else "memcached1.6"
    elif engine == "valkey":
        family = f"valkey{parts[0]}" if version else "valkey8"
    elif not version:
        family = "redis7"
    else:
        by_major = {"7": "redis7", "6": "redis6.x", "5": "redis5.0", "4": "redis4.0", "3": "redis3.2"}
        family = by_major.get(parts[0], f"redis{'.'.join(parts[:2])}")
    return family if family in FAMILIES else None
