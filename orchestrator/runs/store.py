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
import shutil
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from pydantic import BaseModel, Field

from orchestrator import settings
from orchestrator.errors import OrchError
from orchestrator.runs.results import RunReport

#: Never part of a fingerprint: caches, state, VCS and orch's own files.
_IGNORED_DIRS = {".terragrunt-cache", ".terraform", ".orch", ".git", "__pycache__"}
_IGNORED_SUFFIXES = (".tfstate", ".tfstate.backup", ".lock.info", ".pyc")


def new_run_id(now: datetime | None = None) -> str:
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%S%fZ")
    return f"{stamp}-{secrets.token_hex(3)}"


def default_runs_root(stack_dir: Path, env_name: str | None, repo_root: Path) -> Path:
    """ORCH_RUNS_DIR, else `<repo>/.orch/runs` for --env, else `<dir>/.orch/runs` for --dir."""
    configured = settings.runs_dir()
    if configured is not None:
        return configured
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


def file_hashes(stack_dir: Path, extra_dirs: list[Path] | None = None) -> dict[str, str]:
    """sha256 of every configuration file under the stack directory and the local module dirs."""
    hashes: dict[str, str] = {}
    roots = [stack_dir.resolve(), *sorted({d.resolve() for d in extra_dirs or [] if d.is_dir()})]
    for root in roots:
        for path in _files_under(root):
            try:
                hashes[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
            except OSError:
                hashes[str(path)] = "-"
    return hashes


def fingerprint_of(hashes: dict[str, str]) -> str:
    digest = hashlib.sha256()
    for path in sorted(hashes):
        digest.update(f"{path}\0{hashes[path]}\0".encode())
    return digest.hexdigest()[:20]


def fingerprint(stack_dir: Path, extra_dirs: list[Path] | None = None) -> str:
    """A hash of every configuration file under the stack directory and the local module dirs."""
    return fingerprint_of(file_hashes(stack_dir, extra_dirs))


def changed_paths(before: dict[str, str], after: dict[str, str]) -> list[str]:
    """Files added, removed or edited between two `file_hashes` (sorted)."""
    return sorted(p for p in before.keys() | after.keys() if before.get(p) != after.get(p))


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def ensure_writable(runs_root: Path) -> None:
    """Refuse a run before any engine starts when its records cannot be written.

    An engine that cannot write its plan, or an orch that cannot write the report of an apply
    it ran, loses the one record of what changed; so the directory must be creatable and
    writable and have ORCH_MIN_FREE_MB (default 64) free.
    """
    try:
        runs_root.mkdir(parents=True, exist_ok=True)
        probe = runs_root / f".write-test-{os.getpid()}-{threading.get_ident()}"
        probe.write_bytes(b"orch")
        probe.unlink()
    except OSError as exc:
        raise OrchError(
            f"cannot write run records under {runs_root}: {exc.strerror or exc}; nothing started",
            hint="free or fix that directory, or point ORCH_RUNS_DIR / --runs-dir at a writable one",
        ) from None
    # Less free space than this where runs are kept refuses the run: plans of a big stack take
    # tens of MB, and an engine that cannot write its plan fails half-way.
    minimum = settings.min_free_mb()
    free_mb = shutil.disk_usage(runs_root).free // (1024 * 1024)
    if free_mb < minimum:
        raise OrchError(
            f"only {free_mb} MB free under {runs_root} (orch needs {minimum} MB for plans and logs); nothing started",
            hint="free disk space, or point ORCH_RUNS_DIR / --runs-dir at another disk",
        )


class JournalState(BaseModel):
    command: str | None = None
    from_run: str | None = None  # apply: the plan run whose saved plans it applied
    started: list[str] = Field(default_factory=list)
    finished: dict[str, str] = Field(default_factory=dict)

    @property
    def unfinished(self) -> list[str]:
        return [u for u in self.started if u not in self.finished]


class Journal:
    """`<run>/journal.jsonl`: one line per unit started and finished, flushed as it happens.

    The report is written when a run ends; the journal is what is left when it never ends
    (SIGKILL, a lost machine): the run lock's refusal names the units it was running from it.
    """

    def __init__(self, run_dir: Path) -> None:
        self.path = run_dir / "journal.jsonl"
        self._lock = threading.Lock()

    def _write(self, entry: dict[str, str]) -> None:
        entry = {"at": datetime.now(UTC).isoformat(), **entry}
        with self._lock, self.path.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(entry) + "\n")
            handle.flush()
            os.fsync(handle.fileno())

    def run(self, command: str, from_run: str | None = None) -> None:
        self._write({"event": "run", "command": command, **({"from_run": from_run} if from_run else {})})

    def started(self, unit: str) -> None:
        self._write({"event": "start", "unit": unit})

    def finished(self, unit: str, result: str) -> None:
        self._write({"event": "finish", "unit": unit, "result": result})


def read_journal(run_dir: Path) -> JournalState:
    state = JournalState()
    try:
        lines = (run_dir / "journal.jsonl").read_text().splitlines()
    except OSError:
        return state
    for line in lines:
        try:
            entry = json.loads(line)
        except ValueError:
            continue  # the last line of a killed run may be cut short
        if entry.get("event") == "run":
            state.command = entry.get("command")
            state.from_run = entry.get("from_run") or state.from_run
        elif entry.get("event") == "start" and entry.get("unit") not in state.started:
            state.started.append(entry["unit"])
        elif entry.get("event") == "finish":
            state.finished[entry.get("unit", "")] = entry.get("result", "")
    return state


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


def _killed_applies_sources(runs_root: Path) -> set[str]:
    """Plan runs used by an apply that never wrote its report (killed): their plans are spent."""
    if not runs_root.is_dir():
        return set()
    found = set()
    for run_dir in runs_root.iterdir():
        if (run_dir / "journal.jsonl").is_file() and not (run_dir / "report.json").is_file():
            journal = read_journal(run_dir)
            if journal.command == "apply" and journal.from_run:
                found.add(journal.from_run)
    return found


def latest_plan_run(
    runs_root: Path, units: list[str], fingerprint: Callable[[], str], stack_dir: Path
) -> RunReport | None:
    """The newest complete plan run of exactly these units with the same fingerprint, not yet applied.

    Reads the runs newest first and stops at the first plan run of this stack and selection (an
    apply of it is newer than it, so already read); `fingerprint()` (hashing every file of the
    stack and its modules) is computed only when there is such a run. A runs directory that keeps
    months of nightly drift runs costs only the reports newer than that plan run.
    """
    applied = _killed_applies_sources(runs_root)
    for run_id in reversed(list_runs(runs_root)):
        try:
            report = load_report(runs_root, run_id)
        except (OrchError, ValueError):
            continue
        if report.command == "apply" and report.from_run:
            applied.add(report.from_run)
        if report.command != "plan" or report.stack_dir != str(stack_dir.resolve()):
            continue
        if [u.path for u in report.units] != units:
            continue
        if (
            report.run_id in applied
            or report.interrupted
            or any(u.failed for u in report.units)
            or report.fingerprint != fingerprint()
        ):
            return None  # the newest plan of this selection is stale or broken: plan again
        return report
    return None
