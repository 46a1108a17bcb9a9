"""What a run found, unit by unit: the models of report.json (written at the end of a run, read back by apply)."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field

from orchestrator.errors import EXIT_CHANGES, EXIT_ERROR, EXIT_INTERRUPTED, EXIT_OK
from orchestrator.planfile import PlanSummary


class Result(StrEnum):
    NO_CHANGES = "no-changes"  # plan: nothing to do
    CHANGES = "changes"  # plan: changes planned
    APPLIED = "applied"
    DESTROYED = "destroyed"
    IN_SYNC = "in-sync"  # drift
    DRIFTED = "drifted"  # drift: changed outside Terraform
    PENDING = "pending-changes"  # drift: code differs from state
    VALID = "valid"
    INVALID = "invalid"
    FAILED = "failed"
    REFUSED = "refused"  # apply: destroy protection, or a re-plan that needs a new review
    SKIPPED = "skipped"  # a dependency failed
    NOT_RUN = "not-run"  # interrupted or --fail-fast stopped scheduling
    INTERRUPTED = "interrupted"  # was running when interrupted


FAILURES = {Result.FAILED, Result.INVALID, Result.REFUSED, Result.INTERRUPTED}
NOT_DONE = {Result.SKIPPED, Result.NOT_RUN}


class UnitResult(BaseModel):
    path: str
    result: Result = Result.NOT_RUN
    summary: PlanSummary | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None
    duration: float = 0.0
    error: str | None = None
    reason: str | None = None  # why skipped / not run / refused
    log: str | None = None  # relative to the run directory
    plan_file: str | None = None
    plan_json: str | None = None
    #: sha256 of the saved plan file: apply refuses a plan file that is not the one planned and shown.
    plan_sha256: str | None = None
    used_mocks: bool = False
    #: apply --auto-approve: not planned up front because a dependency's outputs change in this
    #: apply (that plan would be thrown away); planned right before the unit applies.
    deferred: bool = False
    replanned: bool = False
    diagnostics: list[dict[str, Any]] = Field(default_factory=list)

    @property
    def failed(self) -> bool:
        return self.result in FAILURES

    @property
    def ok(self) -> bool:
        return not self.failed and self.result not in NOT_DONE


class RunReport(BaseModel):
    run_id: str
    command: str
    stack_dir: str
    env: str | None = None
    selection: dict[str, Any] = Field(default_factory=dict)
    units: list[UnitResult] = Field(default_factory=list)
    fingerprint: str | None = None
    started_at: datetime
    finished_at: datetime | None = None
    interrupted: bool = False
    from_run: str | None = None  # apply: the plan run whose saved plans were applied
    engine: str | None = None
    exit_code: int = 0
    resume: str | None = None
    detailed_exitcode: bool = False
    #: apply: units whose state was refreshed after the apply (orchestrator.runs.refresh.StateRecorder).
    refreshed: list[str] = Field(default_factory=list)
    #: The orch run lock this run held (apply/destroy): where, and whether it was released.
    run_lock: str | None = None
    #: Things that did not fail the run but need a look (e.g. a refresh that did not finish).
    warnings: list[str] = Field(default_factory=list)

    def unit(self, path: str) -> UnitResult:
        for result in self.units:
            if result.path == path:
                return result
        raise KeyError(path)

    def counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for unit in self.units:
            counts[unit.result.value] = counts.get(unit.result.value, 0) + 1
        return counts

    def compute_exit_code(self) -> int:
        if self.interrupted:
            return EXIT_INTERRUPTED
        if any(u.failed for u in self.units):
            return EXIT_ERROR
        if self.command == "drift":
            changed = any(u.result in (Result.DRIFTED, Result.PENDING) for u in self.units)
            return EXIT_CHANGES if changed else EXIT_OK
        if self.command == "plan" and self.detailed_exitcode:
            changed = any(u.result == Result.CHANGES for u in self.units)
            return EXIT_CHANGES if changed else EXIT_OK
        if any(u.result in NOT_DONE for u in self.units):
            return EXIT_ERROR
        return EXIT_OK

    def to_json(self) -> dict[str, Any]:
        data = self.model_dump(mode="json")
        for unit, raw in zip(self.units, data["units"], strict=True):
            if unit.summary is not None:
                raw["summary"]["has_changes"] = unit.summary.has_changes
        return data


def now() -> datetime:
    return datetime.now(UTC)


def finished(result: UnitResult) -> UnitResult:
    """`result` with its finish time and its duration since it started."""
    result.finished_at = now()
    if result.started_at is not None:
        result.duration = (result.finished_at - result.started_at).total_seconds()
    return result
