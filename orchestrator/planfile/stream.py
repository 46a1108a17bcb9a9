"""A plan's summary from OpenTofu's machine-readable UI stream (`plan -json-into=FILE`): pure functions.

Why: `show -json PLANFILE` is a second engine process per unit that loads every provider's
schema (3-4 s a unit with the AWS provider), and most plans of a steady platform change
nothing. The stream OpenTofu writes while planning already names each planned change with
its action, each output's action, and each object the refresh found changed outside
(`resource_drift`, the same set as the plan JSON's: internal/command/views/operation.go and
jsonplan/plan.go of OpenTofu 1.12 both skip no-op drift outside refresh-only mode).

So when the stream shows no drift, the counts, the deleted and replaced addresses and the
changed outputs below are exactly what orchestrator.planfile.summarize would read from the
plan JSON. Drift needs the attribute values (orchestrator.planfile.drift), which the stream
does not carry: with drift, orch still runs `show -json`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

from orchestrator.planfile import GUARDED_ATTRIBUTES, PlanSummary

#: Stream actions that change nothing (moves and imports without changes are applied with the plan
#: but, as in summarize(), not counted; `read` is a data source).
_UNCOUNTED = {"noop", "move", "import", "read"}


@dataclass
class StreamedPlan:
    """What a plan's UI stream says: the summary, and whether the refresh found objects changed outside."""

    summary: PlanSummary
    drifted: bool


def read_stream(lines: Iterable[str]) -> StreamedPlan | None:
    """The plan summary from a `-json-into` stream; None when it is not a finished plan's, or does not
    account for every change its own totals count."""
    summary = PlanSummary()
    drifted = False
    totals: dict[str, int] | None = None
    #: Managed resources the state holds after the plan is applied, by address: their types.
    held: dict[str, str] = {}
    for line in lines:
        try:
            message = json.loads(line)
        except ValueError:
            continue
        kind = message.get("type") if isinstance(message, dict) else None
        if kind == "resource_drift":
            drifted = True
        elif kind == "refresh_start":
            _hold(held, (message.get("hook") or {}).get("resource") or {}, "noop")
        elif kind == "planned_change":
            change = message.get("change") or {}
            _count(summary, change)
            _hold(held, change.get("resource") or {}, str(change.get("action", "")))
        elif kind == "change_summary" and (message.get("changes") or {}).get("operation") == "plan":
            totals = message["changes"]
        elif kind == "outputs":
            _outputs(summary, message.get("outputs") or {})
    if totals is None or not _agrees(summary, totals):
        return None
    summary.guarded = sorted(address for address, kind in held.items() if kind in GUARDED_ATTRIBUTES)
    return StreamedPlan(summary=summary, drifted=drifted)


def _agrees(summary: PlanSummary, totals: dict[str, int]) -> bool:
    """Whether the changes read one by one add up to the engine's own totals (`change_summary`).

    A change the stream cannot name exactly (forget-then-create is streamed as "noop") makes
    them differ; then the caller reads the plan JSON instead.
    """
    return (
        summary.add + summary.replace == totals.get("add", 0)
        and summary.destroy + summary.replace == totals.get("remove", 0)
        and summary.change == totals.get("change", 0) + totals.get("forget", 0)
    )


def _count(summary: PlanSummary, change: dict[str, object]) -> None:
    resource = change.get("resource") or {}
    address = str(resource.get("addr", "?")) if isinstance(resource, dict) else "?"
    action = str(change.get("action", ""))
    in_module = str(resource.get("resource", "")) if isinstance(resource, dict) else ""
    if action in _UNCOUNTED or in_module.startswith("data."):  # data sources are read, never changed
        return
    if action == "replace":
        summary.replace += 1
        summary.replaces.append(address)
    elif action == "delete":
        summary.destroy += 1
        summary.deletes.append(address)
    elif action == "create":
        summary.add += 1
    else:  # update, remove (forget) and unknown future actions: a change, so nothing is hidden
        summary.change += 1


def _hold(held: dict[str, str], resource: dict[str, object], action: str) -> None:
    """Keep track of the managed resources the state holds once the plan is applied."""
    address, in_module = str(resource.get("addr", "")), str(resource.get("resource", ""))
    if not address or in_module.startswith("data."):
        return
    if action in ("delete", "remove"):
        held.pop(address, None)
    else:
        held[address] = str(resource.get("resource_type", ""))


def _outputs(summary: PlanSummary, outputs: dict[str, dict[str, object]]) -> None:
    for name, output in sorted(outputs.items()):
        action = str((output or {}).get("action", ""))
        if action and action != "noop":
            summary.output_changes.append(name)
