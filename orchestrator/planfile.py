"""Reading OpenTofu/Terraform plan JSON (`show -json PLANFILE`): pure functions, no I/O.

Every decision orch makes about a plan (changes, destroy protection, drift, exit codes)
comes from here, per unit, and never from an engine's aggregated exit code.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

NO_OP = ("no-op",)
READ = ("read",)


class PlanSummary(BaseModel):
    """What one unit's plan would do."""

    add: int = 0
    change: int = 0
    destroy: int = 0
    replace: int = 0
    #: Addresses of resources the plan deletes (without re-creating).
    deletes: list[str] = Field(default_factory=list)
    #: Addresses of resources the plan replaces (delete + create in either order).
    replaces: list[str] = Field(default_factory=list)
    #: Addresses of resources that changed outside Terraform (refresh found differences).
    drift: list[str] = Field(default_factory=list)
    #: Names of root outputs whose value changes.
    output_changes: list[str] = Field(default_factory=list)
    #: Whether the prior state had any root outputs (Terragrunt mocks dependencies without them).
    prior_outputs: bool = False

    @property
    def resource_changes(self) -> int:
        return self.add + self.change + self.destroy + self.replace

    @property
    def has_changes(self) -> bool:
        """Anything an apply would do (resources or outputs), as `-detailed-exitcode` counts it."""
        return self.resource_changes > 0 or bool(self.output_changes)

    @property
    def destructive(self) -> bool:
        return bool(self.deletes or self.replaces)

    def counts(self) -> str:
        return f"+{self.add} ~{self.change} -{self.destroy} ±{self.replace}"


def _actions(change: dict[str, Any]) -> tuple[str, ...]:
    return tuple((change.get("change") or {}).get("actions") or ())


def is_replace(actions: tuple[str, ...] | list[str]) -> bool:
    return sorted(actions) == ["create", "delete"]


def is_delete(actions: tuple[str, ...] | list[str]) -> bool:
    return tuple(actions) == ("delete",)


def _normalized(value: Any) -> Any:
    """A value with null, "", [] and {} made equal, recursively (providers flip between them)."""
    if isinstance(value, dict):
        items = {k: _normalized(v) for k, v in value.items()}
        items = {k: v for k, v in items.items() if v is not None}
        return items or None
    if isinstance(value, list):
        items = [_normalized(v) for v in value]
        return items or None
    if value == "":
        return None
    return value


def summarize(plan: dict[str, Any]) -> PlanSummary:
    """Counts and addresses from a plan's JSON representation."""
    summary = PlanSummary()
    for rc in plan.get("resource_changes") or []:
        # Data sources are read, not changed; they never count as changes.
        if rc.get("mode") == "data":
            continue
        actions = _actions(rc)
        address = rc.get("address", "?")
        if not actions or actions in (NO_OP, READ):
            continue
        if is_replace(actions):
            summary.replace += 1
            summary.replaces.append(address)
        elif is_delete(actions):
            summary.destroy += 1
            summary.deletes.append(address)
        elif actions == ("create",):
            summary.add += 1
        elif actions == ("update",):
            summary.change += 1
        else:  # forget / unknown future actions: count as a change so nothing is hidden
            summary.change += 1
    for rc in plan.get("resource_drift") or []:
        actions = _actions(rc)
        if not actions or actions == NO_OP:
            continue
        change = rc.get("change") or {}
        if actions == ("update",) and _normalized(change.get("before")) == _normalized(change.get("after")):
            continue  # provider normalisation only (tags null -> {}): not a change made outside
        summary.drift.append(rc.get("address", "?"))
    for name, oc in sorted((plan.get("output_changes") or {}).items()):
        actions = tuple((oc or {}).get("actions") or ())
        if actions and actions != NO_OP:
            summary.output_changes.append(name)
    prior = ((plan.get("prior_state") or {}).get("values") or {}).get("outputs") or {}
    summary.prior_outputs = bool(prior)
    return summary


def state_outputs(state_or_outputs: dict[str, Any]) -> dict[str, Any]:
    """Root outputs from `output -json` (a name → {value,…} map) or `show -json` of a state."""
    if "values" in state_or_outputs:
        return (state_or_outputs.get("values") or {}).get("outputs") or {}
    return state_or_outputs
