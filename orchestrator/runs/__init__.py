"""Running a stack: the commands as a library (plan, apply, drift, destroy, validate),
the scheduler, run records, reports and progress."""

from orchestrator.runs.operations import (
    RefusedError,
    RunOptions,
    UnlockResult,
    Workspace,
    apply,
    destroy,
    destroy_refusal,
    destructive_units,
    drift,
    open_workspace,
    plan,
    resolve_stack_dir,
    unlock,
    validate,
    validate_json,
)
from orchestrator.runs.report import RunReport, UnitResult, render_table

__all__ = [
    "RefusedError",
    "RunOptions",
    "RunReport",
    "UnitResult",
    "UnlockResult",
    "Workspace",
    "apply",
    "destroy",
    "destroy_refusal",
    "destructive_units",
    "drift",
    "open_workspace",
    "plan",
    "render_table",
    "resolve_stack_dir",
    "unlock",
    "validate",
    "validate_json",
]
