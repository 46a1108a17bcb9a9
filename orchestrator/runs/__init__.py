"""Running a stack: the commands as a library (plan, apply, drift, destroy, validate, unlock),
the scheduler, run records, reports and progress.

    ws = open_workspace(stack_dir=Path("live/dev"), selection=Selection(all=True))
    report = plan(ws, RunOptions(parallelism=4))
    report = apply(ws, RunOptions(), auto_approve=True)
"""

from orchestrator.runs.apply import RefusedError, apply, destroy_refusal, destructive_units
from orchestrator.runs.destroy import destroy
from orchestrator.runs.drift import drift
from orchestrator.runs.options import RunOptions
from orchestrator.runs.plan import plan
from orchestrator.runs.report import render_table
from orchestrator.runs.results import Result, RunReport, UnitResult
from orchestrator.runs.saved_plans import plan_run_for_apply
from orchestrator.runs.unlock import UnlockResult, unlock
from orchestrator.runs.validate import validate, validate_json
from orchestrator.runs.workspace import Workspace, build_env, open_workspace, resolve_stack_dir

__all__ = [
    "RefusedError",
    "Result",
    "RunOptions",
    "RunReport",
    "UnitResult",
    "UnlockResult",
    "Workspace",
    "apply",
    "build_env",
    "destroy",
    "destroy_refusal",
    "destructive_units",
    "drift",
    "open_workspace",
    "plan",
    "plan_run_for_apply",
    "render_table",
    "resolve_stack_dir",
    "unlock",
    "validate",
    "validate_json",
]
