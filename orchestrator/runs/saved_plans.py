"""Which plan run an apply uses, and that its saved plans are still the ones planned and shown."""

from __future__ import annotations

import json
from pathlib import Path

from orchestrator.errors import OrchError
from orchestrator.runs import store as runs
from orchestrator.runs.plan import PLANNED_FILES
from orchestrator.runs.results import Result, RunReport
from orchestrator.runs.workspace import Workspace
from orchestrator.settings import REPO_ROOT


def plan_run_for_apply(ws: Workspace, run_id: str | None) -> RunReport | None:
    """The plan run whose saved plans apply would use: --run-id, or the latest unchanged one."""
    if run_id is None:
        return runs.latest_plan_run(ws.runs_root, ws.selected, ws.fingerprint, ws.stack_dir)
    report = runs.load_report(ws.runs_root, run_id)
    if report.command != "plan":
        raise OrchError(f"run {run_id} is a {report.command} run, not a plan run")
    broken = [u.path for u in report.units if u.result not in (Result.CHANGES, Result.NO_CHANGES)]
    if broken:
        raise OrchError(f"run {run_id} has units without a usable plan: {', '.join(broken)}")
    if Path(report.stack_dir).resolve() != ws.stack_dir.resolve():
        raise OrchError(
            f"run {run_id} planned {report.stack_dir}, not {ws.stack_dir}: its plans belong to another stack",
            hint="pass the --env/--dir that made the run, or plan this one",
        )
    current = ws.file_hashes()
    if report.fingerprint and report.fingerprint != runs.fingerprint_of(current):
        raise OrchError(
            f"run {run_id}: {_changed_files_text(ws, run_id, current)} changed since it planned; nothing applied",
            hint=f"review the change and plan again: orch plan {ws.where}",
        )
    return report


def _changed_files_text(ws: Workspace, run_id: str, current: dict[str, str]) -> str:
    """'10-a/terragrunt.hcl' / 'modules/x/main.tf and 2 more files', or a general phrase for old runs."""
    try:
        before = json.loads((ws.runs_root / run_id / PLANNED_FILES).read_text())
    except (OSError, ValueError):
        return "the units' files or modules"
    changed = runs.changed_paths(before, current)
    if not changed:
        return "the units' files or modules"

    def shown(path: str) -> str:
        for base in (ws.stack_dir, REPO_ROOT):
            try:
                return Path(path).relative_to(base).as_posix()
            except ValueError:
                continue
        return path

    names = ", ".join(shown(p) for p in changed[:3])
    more = f" and {len(changed) - 3} more files" if len(changed) > 3 else ""
    return names + more


def check_plan_files(source: RunReport, source_dir: Path) -> None:
    """Refuse before anything applies when a saved plan file is not the one that was planned and shown."""
    for unit in source.units:
        if unit.plan_file is None or unit.plan_sha256 is None:
            continue
        planfile = source_dir / unit.plan_file
        try:
            actual = runs.file_sha256(planfile)
        except OSError as exc:
            raise OrchError(
                f"run {source.run_id}: {unit.path}'s saved plan {planfile} cannot be read ({exc.strerror}); "
                "nothing applied",
                hint="plan again",
            ) from None
        if actual != unit.plan_sha256:
            raise OrchError(
                f"run {source.run_id}: {unit.path}'s saved plan {planfile} is not the plan that was made and shown "
                "(its sha256 changed); nothing applied",
                hint="plan again, and keep .orch/runs out of reach of other jobs",
            )
