"""Reading OpenTofu/Terraform plan JSON (`show -json PLANFILE`): pure functions, no I/O.

Every decision orch makes about a plan (changes, destroy protection, drift, exit codes)
comes from here, per unit, and never from an engine's aggregated exit code.

Drift classification (resource_drift → drift or notes) is in orchestrator.planfile.drift.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from orchestrator.planfile.actions import NO_OP, READ, actions_of, is_delete, is_replace
from orchestrator.planfile.drift import GUARDED_ATTRIBUTES, AttributeChange, DriftFinding, classify_drift

__all__ = ["GUARDED_ATTRIBUTES", "AttributeChange", "DriftFinding", "PlanSummary", "state_outputs", "summarize"]


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
    #: Addresses of resources with drift that matters (see orchestrator.planfile.drift).
    drift: list[str] = Field(default_factory=list)
    #: The drift with its attribute paths (what `drift` names).
    drift_details: list[DriftFinding] = Field(default_factory=list)
    #: Differences the refresh found that are not drift (computed attributes filled in by other
    #: resources, ignored attributes): informational only.
    notes: list[DriftFinding] = Field(default_factory=list)
    #: Names of root outputs whose value changes.
    output_changes: list[str] = Field(default_factory=list)
    #: Addresses of the resources with guarded attributes (GUARDED_ATTRIBUTES) the state holds once
    #: the plan is applied: whether a refresh after the apply must record (orchestrator.runs.refresh).
    #: None: not known (a report written before orch recorded it), so the unit is refreshed.
    guarded: list[str] | None = None

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


def summarize(plan: dict[str, Any]) -> PlanSummary:
    """Counts and addresses from a plan's JSON representation."""
    summary = PlanSummary()
    guarded: list[str] = []
    for rc in plan.get("resource_changes") or []:
        # Data sources are read, not changed; they never count as changes.
        if rc.get("mode") == "data":
            continue
        actions = actions_of(rc)
        address = rc.get("address", "?")
        if rc.get("type") in GUARDED_ATTRIBUTES and actions not in (("delete",), ("forget",)):
            guarded.append(address)
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
    summary.guarded = sorted(guarded)
    summary.drift_details, summary.notes = classify_drift(plan)
    summary.drift = sorted({finding.address for finding in summary.drift_details})
    for name, oc in sorted((plan.get("output_changes") or {}).items()):
        actions = tuple((oc or {}).get("actions") or ())
        if actions and actions != NO_OP:
            summary.output_changes.append(name)
    return summary


def state_outputs(state_or_outputs: dict[str, Any]) -> dict[str, Any]:
    """Root outputs from `output -json` (a name → {value,…} map) or `show -json` of a state."""
    if "values" in state_or_outputs:
        return (state_or_outputs.get("values") or {}).get("outputs") or {}
    return state_or_outputs
