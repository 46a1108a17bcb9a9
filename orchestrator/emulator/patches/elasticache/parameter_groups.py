"""Cache parameter groups: Create/Describe/Modify/Reset/DeleteCacheParameterGroup,
DescribeCacheParameters and DescribeEngineDefaultParameters, which moto lacks entirely.

Why: elasticache-redis gives its replication group its own redis7 group (cluster-enabled yes plus
its `parameters`). As on AWS: every family has a default group (`default.redis7`, and
`default.redis7.cluster.on` from redis3.2 on) that cannot be modified or deleted; a new group
starts from its family's engine defaults (parameter_table.FAMILIES: a realistic subset of AWS's
parameters, with their types, allowed values and change types); a parameter set by the user has
Source `user` until it is reset; a group used by a cache cluster cannot be deleted. A change to a
`requires-reboot` parameter leaves the clusters that use the group `pending-reboot`. How clusters
and replication groups choose and show their group: cluster_parameter_groups.
"""

from __future__ import annotations

from typing import Any, cast

from moto.core.responses import ActionResult, EmptyResult
from moto.elasticache.exceptions import (
    ElastiCacheException,
    InvalidParameterCombinationException,
    InvalidParameterValueException,
)
from moto.elasticache.responses import ElastiCacheResponse

from orchestrator.emulator.patches.elasticache.parameter_table import (
    FAMILIES,
    FAMILY_MINIMUM_VERSION,
    Param,
    family_has_cluster_mode,
)


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
            _new_group(backend, f"default.{family}", family, f"Default parameter group for {family}")
            if family_has_cluster_mode(family):
                group = _new_group(
                    backend,
                    f"default.{family}.cluster.on",
                    family,
                    f"Customized default parameter group for {family} with cluster mode on",
                )
                group["Values"]["cluster-enabled"] = "yes"  # the group's own default, not a user change
    return cast("dict[str, dict[str, Any]]", backend.orch_cache_parameter_groups)


def _new_group(backend: Any, name: str, family: str, description: str) -> dict[str, Any]:
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


def _shown(group: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in group.items() if k not in ("Values", "User")}


def _is_default(group: dict[str, Any]) -> bool:
    return str(group["CacheParameterGroupName"]).startswith("default.")


def _parameter_view(param: Param, family: str, value: str | None, source: str) -> dict[str, Any]:
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


def _parameters_of(group: dict[str, Any]) -> list[dict[str, Any]]:
    family = group["CacheParameterGroupFamily"]
    return [
        _parameter_view(p, family, group["Values"][p.name], "user" if p.name in group["User"] else "system")
        for p in FAMILIES[family]
    ]


def _page(items: list[dict[str, Any]], key: str, params: Any) -> tuple[list[dict[str, Any]], str | None]:
    """Marker pagination as AWS does it: MaxRecords 20-100 (default 100), the Marker an opaque token."""
    limit = params.get("MaxRecords")
    if limit is not None:
        limit = int(limit)
        if not 20 <= limit <= 100:
            raise InvalidParameterValueException(f"Invalid value {limit} for MaxRecords. Must be between 20 and 100.")
    limit = limit or 100
    marker = params.get("Marker")
    ordered = sorted(items, key=lambda i: str(i[key]))
    if marker:
        ordered = [i for i in ordered if str(i[key]) > marker]
    shown_items = ordered[:limit]
    return shown_items, (str(shown_items[-1][key]) if len(ordered) > limit else None)


def _with_marker(result: dict[str, Any], marker: str | None) -> dict[str, Any]:
    return {**result, "Marker": marker} if marker else result


def _name_values(params: Any) -> list[tuple[str, str | None]]:
    return [
        (str(p.get("ParameterName") or ""), p.get("ParameterValue")) for p in params.get("ParameterNameValues") or []
    ]


def _using(backend: Any, name: str) -> list[str]:
    """Cache clusters (member clusters too) that use the group and are not being deleted."""
    groups = backend.replication_groups
    return sorted(
        c.cache_cluster_id
        for c in backend.cache_clusters.values()
        if (c.cache_parameter_group_name or "").lower() == name
        and c.cache_cluster_status != "deleting"
        and not (c.replication_group_id in groups and groups[c.replication_group_id].status == "deleting")
    )


def _mark_pending_reboot(backend: Any, group: dict[str, Any]) -> None:
    for cluster_id in _using(backend, group["CacheParameterGroupName"]):
        cluster = backend.cache_clusters[cluster_id]
        cluster.orch_parameter_apply_status = "pending-reboot"


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
    group = _new_group(backend, name, family, params.get("Description") or "")
    if params.get("Tags"):
        backend.tagging_service.tag_resource(group["ARN"], params["Tags"])
    return ActionResult({"CacheParameterGroup": _shown(group)})


def describe_cache_parameter_groups(self: ElastiCacheResponse) -> ActionResult:
    params = self._get_params()
    backend = self.elasticache_backend
    name = params.get("CacheParameterGroupName")
    groups = [find(backend, name)] if name else list(store(backend).values())
    found, marker = _page([_shown(g) for g in groups], "CacheParameterGroupName", params)
    return ActionResult(_with_marker({"CacheParameterGroups": found}, marker))


def describe_cache_parameters(self: ElastiCacheResponse) -> ActionResult:
    params = self._get_params()
    group = find(self.elasticache_backend, params.get("CacheParameterGroupName"))
    source = params.get("Source")
    if source not in (None, "user", "system", "engine-default"):
        raise InvalidParameterValueException(
            f"Invalid source: {source}. Valid values are: user, system, engine-default."
        )
    parameters = _parameters_of(group)
    if source == "user":
        parameters = [p for p in parameters if p["Source"] == "user"]
    elif source:  # system and engine-default: what still holds the family's value
        parameters = [p for p in parameters if p["Source"] != "user"]
    found, marker = _page(parameters, "ParameterName", params)
    return ActionResult(_with_marker({"Parameters": found, "CacheNodeTypeSpecificParameters": []}, marker))


def describe_engine_default_parameters(self: ElastiCacheResponse) -> ActionResult:
    params = self._get_params()
    family = params.get("CacheParameterGroupFamily") or ""
    if family not in FAMILIES:
        raise InvalidParameterValueException(f"The parameter CacheParameterGroupFamily has an invalid value: {family}.")
    parameters = [_parameter_view(p, family, p.default, "system") for p in FAMILIES[family]]
    found, marker = _page(parameters, "ParameterName", params)
    defaults = {"CacheParameterGroupFamily": family, "Parameters": found, "CacheNodeTypeSpecificParameters": []}
    return ActionResult({"EngineDefaults": _with_marker(defaults, marker)})


def _checked_changes(group: dict[str, Any], changes: list[tuple[str, str | None]]) -> list[tuple[Param, str]]:
    """ModifyCacheParameterGroup's changes, each refused as AWS does before any is applied."""
    if _is_default(group):
        raise InvalidParameterValueException("Cannot modify a default parameter group.")
    if not changes:
        raise InvalidParameterValueException("At least one parameter name and value must be given.")
    if len(changes) > 20:
        raise InvalidParameterCombinationException("Cannot modify more than 20 parameters in a single request")
    by_name = {p.name: p for p in FAMILIES[group["CacheParameterGroupFamily"]]}
    checked = []
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
        checked.append((param, str(value)))
    return checked


def modify_cache_parameter_group(self: ElastiCacheResponse) -> ActionResult:
    params = self._get_params()
    backend = self.elasticache_backend
    group = find(backend, params.get("CacheParameterGroupName"))
    for param, value in _checked_changes(group, _name_values(params)):
        group["Values"][param.name] = value
        group["User"].add(param.name)
        if param.change_type == "requires-reboot":
            _mark_pending_reboot(backend, group)
    return ActionResult({"CacheParameterGroupName": group["CacheParameterGroupName"]})


def _reset_targets(group: dict[str, Any], reset_all: bool, names: list[str]) -> list[str]:
    """The parameters ResetCacheParameterGroup resets, refused as AWS does."""
    if _is_default(group):
        raise InvalidParameterValueException("Cannot reset a default parameter group.")
    if reset_all and names:
        raise InvalidParameterCombinationException(
            "ResetAllParameters and ParameterNameValues cannot be used together."
        )
    if not reset_all and not names:
        raise InvalidParameterValueException("Give ResetAllParameters or at least one parameter name.")
    family_names = [p.name for p in FAMILIES[group["CacheParameterGroupFamily"]]]
    for name in names:
        if name.lower() not in family_names:
            raise InvalidParameterValueException(f"Parameter {name} doesn't exist")
    return family_names if reset_all else [n.lower() for n in names]


def reset_cache_parameter_group(self: ElastiCacheResponse) -> ActionResult:
    params = self._get_params()
    backend = self.elasticache_backend
    group = find(backend, params.get("CacheParameterGroupName"))
    reset_all = str(params.get("ResetAllParameters", "")).lower() == "true"
    targets = _reset_targets(group, reset_all, [n for n, _ in _name_values(params)])
    by_name = {p.name: p for p in FAMILIES[group["CacheParameterGroupFamily"]]}
    for name in targets:
        param = by_name[name]
        if name in group["User"] and param.change_type == "requires-reboot":
            _mark_pending_reboot(backend, group)
        group["Values"][name] = param.default
        group["User"].discard(name)
    return ActionResult({"CacheParameterGroupName": group["CacheParameterGroupName"]})


def delete_cache_parameter_group(self: ElastiCacheResponse) -> ActionResult:
    params = self._get_params()
    backend = self.elasticache_backend
    group = find(backend, params.get("CacheParameterGroupName"))
    name = group["CacheParameterGroupName"]
    if _is_default(group):
        raise InvalidCacheParameterGroupState(f"Default parameter group {name} cannot be deleted.")
    clusters = _using(backend, name)
    if clusters:
        raise InvalidCacheParameterGroupState(
            f"Parameter group {name} is in use by cache cluster(s): {', '.join(clusters)}."
        )
    del store(backend)[name]
    backend.tagging_service.delete_all_tags_for_resource(group["ARN"])
    return EmptyResult()


def install() -> None:
    for function in (
        create_cache_parameter_group,
        describe_cache_parameter_groups,
        describe_cache_parameters,
        describe_engine_default_parameters,
        modify_cache_parameter_group,
        reset_cache_parameter_group,
        delete_cache_parameter_group,
    ):
        setattr(ElastiCacheResponse, function.__name__, function)
