"""Run directories: `.orch/runs/<run-id>/<unit>/` with plan files, plan JSON and logs.

Run ids sort by time: `20261126T041502Z-3f9a1c`. Each plan run records its selection and a
fingerprint of the units' files so `orch apply` can reuse the latest plan run of the same
selection when nothing changed since.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
from datetime import UTC, datetime
from pathlib import Path

from orchestrator.errors import OrchError
from orchestrator.report import RunReport

#: Never part of a fingerprint: caches, state, VCS and orch's own files.
_IGNORED_DIRS = {".terragrunt-cache", ".terraform", ".orch", ".git", "__pycache__"}
_IGNORED_SUFFIXES = (".tfstate", ".tfstate.backup", ".lock.info", ".pyc")


def new_run_id(now: datetime | None = None) -> str:
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%S%fZ")
    return f"{stamp}-{secrets.token_hex(3)}"


def default_runs_root(stack_dir: Path, env_name: str | None, repo_root: Path) -> Path:
    """ORCH_RUNS_DIR, else `<repo>/.orch/runs` for --env, else `<dir>/.orch/runs` for --dir."""
    if os.environ.get("ORCH_RUNS_DIR"):
        return Path(os.environ["ORCH_RUNS_DIR"])
    if env_name is not None:
        return repo_root / ".orch" / "runs"
    return stack_dir / ".orch" / "runs"


def unit_slug(path: str) -> str:
    """A unit path as one directory name: `apps/api` → `apps__api`."""
    return "_root_" if path in ("", ".") else path.replace("/", "__")


def _files_under(directory: Path) -> list[Path]:
    found = []
    for base, dirs, names in os.walk(directory):
        dirs[:] = sorted(d for d in dirs if d not in _IGNORED_DIRS and not d.startswith("."))
        for name in sorted(names):
            if name.endswith(_IGNORED_SUFFIXES) or name.startswith(".terraform"):
                continue
            found.append(Path(base) / name)
    return found


def fingerprint(stack_dir: Path, extra_dirs: list[Path] | None = None) -> str:
    """A hash of every configuration file under the stack directory and the local module dirs."""
    digest = hashlib.sha256()
    roots = [stack_dir.resolve(), *sorted({d.resolve() for d in extra_dirs or [] if d.is_dir()})]
    for root in roots:
        for path in _files_under(root):
            digest.update(str(path).encode())
            digest.update(b"\0")
            try:
                digest.update(path.read_bytes())
            except OSError:
                continue
            digest.update(b"\0")
    return digest.hexdigest()[:20]


def list_runs(runs_root: Path) -> list[str]:
    if not runs_root.is_dir():
        return []
    return sorted(p.name for p in runs_root.iterdir() if (p / "report.json").is_file())


def load_report(runs_root: Path, run_id: str) -> RunReport:
    path = runs_root / run_id / "report.json"
    if not path.is_file():
        known = ", ".join(list_runs(runs_root)[-5:]) or "none"
        raise OrchError(f"run {run_id!r} not found under {runs_root} (latest: {known})")
    return RunReport.model_validate(json.loads(path.read_text()))


def latest_plan_run(runs_root: Path, units: list[str], fp: str, stack_dir: Path) -> RunReport | None:
    """The newest complete plan run of exactly these units with the same fingerprint, not yet applied."""
    reports = []
    for run_id in list_runs(runs_root):
        try:
            reports.append(load_report(runs_root, run_id))
        except (OrchError, ValueError):
            continue
    applied = {r.from_run for r in reports if r.command == "apply" and r.from_run}
    for report in reversed(reports):
        if report.command != "plan":
            continue
        if report.stack_dir != str(stack_dir.resolve()):
            continue
        if [u.path for u in report.units] != units:
            continue
        if (
            report.run_id in applied
            or report.fingerprint != fp
            or report.interrupted
            or any(u.failed for u in report.units)
        ):
            return None  # the newest plan of this selection is stale or broken: plan again
        return report
    return None
