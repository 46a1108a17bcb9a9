"""Drift: which of the differences a refreshed plan found anyone must act on.

A refreshed plan lists in `resource_drift` every object whose remote value differs
from the state. Most of those differences are not drift anyone must act on: a computed
attribute filled in by another resource of the configuration (a security group's `ingress`
by separate rule resources, a role's `inline_policy`, an EIP's `association_id`, an Aurora
cluster's `cluster_members`), or an attribute the configuration deliberately ignores. The
engines themselves show only the "changed outside" notes that touch `relevant_attributes`.
orch classifies each changed attribute path (see `classify_drift`):

* drift — the plan would revert it (the refreshed value differs from the planned one), the
  object was deleted outside, the path is one of the plan's `relevant_attributes`, or it is
  a guarded attribute (`GUARDED_ATTRIBUTES`: network openings and permissions that no resource
  of the configuration would remove, e.g. an ingress rule added by hand);
* note — everything else: informational, never a reason to exit 2.

Guarded attributes are exact only when the state already holds what the configuration's own
resources filled in; `orch apply` records that with a refresh-only apply after every apply
(orchestrator.runs.apply, docs/run-commands.md).
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel, Field

from orchestrator.planfile.actions import NO_OP, READ, actions_of, is_delete, is_replace, normalized

#: Attributes whose out-of-band change is drift even though no resource of the configuration
#: manages them directly: extra network openings, routes and permissions are exactly what an
#: unreviewed hand edit adds, and nothing in the configuration would take them away again.
GUARDED_ATTRIBUTES: dict[str, frozenset[str]] = {
    "aws_security_group": frozenset({"ingress", "egress"}),
    "aws_default_security_group": frozenset({"ingress", "egress"}),
    "aws_network_acl": frozenset({"ingress", "egress"}),
    "aws_default_network_acl": frozenset({"ingress", "egress"}),
    "aws_route_table": frozenset({"route"}),
    "aws_default_route_table": frozenset({"route"}),
    "aws_iam_role": frozenset({"inline_policy", "managed_policy_arns", "assume_role_policy"}),
    "aws_iam_user": frozenset({"permissions_boundary"}),
}

SENSITIVE = "(sensitive)"
_VALUE_WIDTH = 200


class AttributeChange(BaseModel):
    """One attribute path whose refreshed value differs from the state (values as compact JSON)."""

    path: str
    before: str | None = None
    after: str | None = None
    #: A set-like list (rules, routes) whose elements came or went: `before` holds the removed
    #: elements, `after` the added ones.
    elements: bool = False

    def describe(self) -> str:
        if self.elements:
            parts = [f"-{self.before}" if self.before else "", f"+{self.after}" if self.after else ""]
            return f"{self.path} " + " ".join(p for p in parts if p)
        return f"{self.path} {self.before if self.before is not None else 'null'} -> " + (
            self.after if self.after is not None else "null"
        )


class DriftFinding(BaseModel):
    """A resource changed outside the engine, with the attribute paths that changed and why they count."""

    address: str
    type: str = ""
    #: What the refresh found: `update` (changed) or `delete` (gone).
    action: str = "update"
    attributes: list[AttributeChange] = Field(default_factory=list)
    #: Why this is drift, or why it is only a note.
    reason: str = ""

    def describe(self) -> str:
        if self.action == "delete":
            return f"{self.address}: deleted outside ({self.reason})"
        changes = "; ".join(a.describe() for a in self.attributes) or "(no attribute detail)"
        return f"{self.address}: {changes}"


Path = tuple[str | int, ...]


def _format_path(path: Path) -> str:
    text = ""
    for step in path:
        text += f"[{step}]" if isinstance(step, int) else (f".{step}" if text else str(step))
    return text or "(whole object)"


def _compact(value: Any) -> str:
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)
    return text if len(text) <= _VALUE_WIDTH else text[: _VALUE_WIDTH - 1] + "…"


def _sensitive(mask: Any, path: Path) -> bool:
    """Whether `path` lies in (or contains) a part the engine marks sensitive (`*_sensitive` masks)."""
    node = mask
    for step in path:
        if node is True:
            return True
        if isinstance(node, dict) and isinstance(step, str):
            node = node.get(step)
        elif isinstance(node, list) and isinstance(step, int) and step < len(node):
            node = node[step]
        else:
            return False
    return _contains_true(node)


def _contains_true(node: Any) -> bool:
    if node is True:
        return True
    if isinstance(node, dict):
        return any(_contains_true(v) for v in node.values())
    if isinstance(node, list):
        return any(_contains_true(v) for v in node)
    return False


def _leaf_changes(before: Any, after: Any, path: Path = ()) -> list[tuple[Path, Any, Any]]:
    """(path, before, after) for each place the two values differ, after _normalized.

    Maps are walked key by key; lists of equal length element by element; lists whose length
    changed (sets of rules, routes) are reported whole at their path as the removed and the
    added elements, which is what a reader wants to see ("ingress: + {from_port: 22, ...}").
    """
    if before == after:
        return []
    if isinstance(before, dict) or isinstance(after, dict):
        before = {} if before is None else before
        after = {} if after is None else after
    if isinstance(before, dict) and isinstance(after, dict):
        found = []
        for key in sorted(set(before) | set(after)):
            found += _leaf_changes(before.get(key), after.get(key), (*path, key))
        return found
    if isinstance(before, list) or isinstance(after, list):
        # _normalized made an empty list None: compare it as the empty list it was.
        before = [] if before is None else before
        after = [] if after is None else after
    if isinstance(before, list) and isinstance(after, list):
        if len(before) == len(after) and not all(isinstance(v, dict) for v in before + after):
            found = []
            for index, (old, new) in enumerate(zip(before, after, strict=True)):
                found += _leaf_changes(old, new, (*path, index))
            return found
        removed = [v for v in before if v not in after]
        added = [v for v in after if v not in before]
        if not removed and not added:  # same elements, another order: sets read back unordered
            return []
        return [(path, _Elements(removed), _Elements(added))]
    return [(path, before, after)]


class _Elements(list[Any]):
    """The removed or added elements of a set-like list (see _leaf_changes)."""


def _value_at(value: Any, path: Path) -> Any:
    for step in path:
        if isinstance(value, dict) and isinstance(step, str):
            value = value.get(step)
        elif isinstance(value, list) and isinstance(step, int) and step < len(value):
            value = value[step]
        else:
            return None
    return value


def _relevant(plan: dict[str, Any]) -> dict[str, list[Path]]:
    """`relevant_attributes` by resource address: what contributed to the plan's changes."""
    found: dict[str, list[Path]] = {}
    for item in plan.get("relevant_attributes") or []:
        attribute = tuple(item.get("attribute") or ())
        found.setdefault(item.get("resource", ""), []).append(attribute)
    return found


def _overlaps(a: Path, b: Path) -> bool:
    shorter = min(len(a), len(b))
    return a[:shorter] == b[:shorter]


def classify_drift(plan: dict[str, Any]) -> tuple[list[DriftFinding], list[DriftFinding]]:
    """Split a refreshed plan's `resource_drift` into (drift, notes); see the module docstring."""
    planned = {rc.get("address"): rc for rc in plan.get("resource_changes") or [] if rc.get("mode") != "data"}
    # relevant_attributes also lists what only outputs read (e.g. an `engine_version_actual` output
    # after AWS upgraded a cluster): that changes no resource, so it is a note, not drift.
    changes_resources = any(actions_of(rc) not in ((), NO_OP, READ) for rc in planned.values())
    relevant = _relevant(plan) if changes_resources else {}
    drift: list[DriftFinding] = []
    notes: list[DriftFinding] = []
    for rc in plan.get("resource_drift") or []:
        if rc.get("mode") == "data":
            continue
        actions = actions_of(rc)
        if not actions or actions == NO_OP:
            continue
        address = rc.get("address", "?")
        rtype = rc.get("type") or ""
        change = rc.get("change") or {}
        if "delete" in actions:
            drift.append(DriftFinding(address=address, type=rtype, action="delete", reason="the plan re-creates it"))
            continue
        before, after = normalized(change.get("before")), normalized(change.get("after"))
        masks = (change.get("before_sensitive"), change.get("after_sensitive"))
        plan_change = (planned.get(address) or {}).get("change") or {}
        plan_actions = tuple(plan_change.get("actions") or ())
        guarded = GUARDED_ATTRIBUTES.get(rtype, frozenset())
        mine: list[AttributeChange] = []
        mine_reasons: set[str] = set()
        other: list[AttributeChange] = []
        for path, old, new in _leaf_changes(before, after):
            secret = any(_sensitive(mask, path) for mask in masks)
            elements = isinstance(old, _Elements)
            if elements:
                old, new = old or None, new or None
            item = AttributeChange(
                path=_format_path(path),
                before=SENSITIVE if secret else (None if old is None else _compact(old)),
                after=SENSITIVE if secret else (None if new is None else _compact(new)),
                elements=elements,
            )
            reason = _drift_reason(path, address, plan_actions, plan_change, after, relevant, guarded)
            if reason:
                mine.append(item)
                mine_reasons.add(reason)
            else:
                other.append(item)
        if mine:
            drift.append(
                DriftFinding(address=address, type=rtype, attributes=mine, reason="; ".join(sorted(mine_reasons)))
            )
        if other:
            notes.append(
                DriftFinding(
                    address=address,
                    type=rtype,
                    attributes=other,
                    reason="computed or ignored attributes the plan does not change",
                )
            )
    return drift, notes


def _drift_reason(
    path: Path,
    address: str,
    plan_actions: tuple[str, ...],
    plan_change: dict[str, Any],
    refreshed: Any,
    relevant: dict[str, list[Path]],
    guarded: frozenset[str],
) -> str | None:
    """Why a changed attribute path is drift, or None when it is only a note."""
    if plan_actions and plan_actions not in (NO_OP, READ):
        if is_replace(plan_actions) or is_delete(plan_actions):
            return "the plan replaces or deletes the resource"
        unknown = _value_at(plan_change.get("after_unknown"), path)
        if _contains_true(unknown) or normalized(_value_at(plan_change.get("after"), path)) != _value_at(
            refreshed, path
        ):
            return "the plan reverts it"
    if any(_overlaps(path, attribute) for attribute in relevant.get(address, ())):
        return "the plan depends on it (relevant_attributes)"
    if path and path[0] in guarded:
        return "guarded attribute: no resource of the configuration would undo it"
    return None
