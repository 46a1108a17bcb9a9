"""Plan JSON's vocabulary: a change's actions, and values compared the way providers write them."""

from __future__ import annotations

from typing import Any

NO_OP = ("no-op",)
READ = ("read",)


def actions_of(change: dict[str, Any]) -> tuple[str, ...]:
    return tuple((change.get("change") or {}).get("actions") or ())


def is_replace(actions: tuple[str, ...] | list[str]) -> bool:
    return sorted(actions) == ["create", "delete"]


def is_delete(actions: tuple[str, ...] | list[str]) -> bool:
    return tuple(actions) == ("delete",)


def normalized(value: Any) -> Any:
    """A value with null, "", [] and {} made equal, recursively (providers flip between them)."""
    if isinstance(value, dict):
        items = {k: normalized(v) for k, v in value.items()}
        items = {k: v for k, v in items.items() if v is not None}
        return items or None
    if isinstance(value, list):
        elements = [normalized(v) for v in value]
        return elements or None
    if value == "":
        return None
    return value
