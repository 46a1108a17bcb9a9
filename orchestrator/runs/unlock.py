"""`orch unlock`: release what a killed run left locked (the engines' state locks, then the run lock)."""

from __future__ import annotations

import re
from pathlib import Path

from pydantic import BaseModel, Field

from orchestrator.errors import OrchError
from orchestrator.runs import store as runs
from orchestrator.runs.runlock import LockHeldError, LockInfo, RunLock, started_units
from orchestrator.runs.workspace import Workspace
from orchestrator.terragrunt import Terragrunt

_LOCK_ID = re.compile(r"^\s*ID:\s+(\S+)", re.MULTILINE)


class UnlockResult(BaseModel):
    run_lock: str | None = None  # the run lock released (its holder's description), if any
    state_locks: dict[str, str | None] = Field(default_factory=dict)  # unit -> lock id released (None: none held)
    log_dir: str | None = None


def unlock(ws: Workspace, units: list[str] | None = None, *, force: bool = False) -> UnlockResult:
    """Release what a killed run left locked: the engines' state locks of `units`, then the run lock.

    Refuses while the run holding the lock is alive on this machine (stop it instead), and for a
    holder on another host unless `force`. Without `units`, the units the holder's journal says
    it started and never finished. A unit's state lock is found the engine's own way (a plan
    that does not wait for the lock prints the holder's lock ID) and released with
    `terragrunt force-unlock -force ID`, so every backend (S3 lockfile, DynamoDB, local) works.
    """
    lock = ws.run_lock()
    holder = lock.store.read()
    if holder is not None:
        _refuse_while_held(ws, lock, holder, force=force)
    wanted = list(units) if units else (started_units(holder) if holder is not None else [])
    unknown = [u for u in wanted if u not in ws.graph.paths]
    if unknown:
        raise OrchError(f"unknown unit {', '.join(unknown)} in {ws.where}; units: {', '.join(ws.graph.paths)}")
    result = UnlockResult()
    if wanted:
        run_dir = ws.runs_root / f"{runs.new_run_id()}-unlock"
        runs.ensure_writable(ws.runs_root)
        result.log_dir = str(run_dir)
        tg = Terragrunt(ws.terragrunt, ws.env, secrets=ws.session.secrets)
        for unit in wanted:
            log = run_dir / runs.unit_slug(unit) / "terragrunt.log"
            result.state_locks[unit] = _release_state_lock(tg, ws.stack_dir / unit, unit, log)
    if holder is not None:
        lock.store.delete()
        result.run_lock = f"{holder.describe()} at {lock.store.where}"
    return result


def _refuse_while_held(ws: Workspace, lock: RunLock, holder: LockInfo, *, force: bool) -> None:
    state = holder.holder_state()
    if state == "alive":
        raise LockHeldError(
            f"{holder.describe()} is still running on this machine; nothing unlocked",
            hint=f"stop it with Ctrl-C (kill -INT {holder.pid}): it releases its locks itself",
        )
    if state == "unknown" and not force:
        raise LockHeldError(
            f"{ws.where} is locked by {holder.describe()} on another host; nothing unlocked",
            hint=f"make sure that run is gone, then: {lock.unlock_command} --force",
        )


def _release_state_lock(tg: Terragrunt, unit_dir: Path, unit: str, log: Path) -> str | None:
    """The id of the unit's state lock, released; None when its state is not locked."""
    probe = tg.run(unit_dir, ["plan", "-input=false", "-refresh=false", "-lock-timeout=0s"], log, label=unit)
    text = log.read_text(errors="replace")
    found = _LOCK_ID.findall(text) if "acquiring the state lock" in text else []
    if probe.ok or not found:
        if not probe.ok:
            raise OrchError(
                f"{unit}: could not tell whether its state is locked (plan failed, see {log}); run lock left in place"
            )
        return None
    lock_id: str = found[-1]
    released = tg.run(unit_dir, ["force-unlock", "-force", lock_id], log, label=unit)
    if not released.ok:
        raise OrchError(f"{unit}: force-unlock {lock_id} failed (see {log}); run lock left in place")
    return lock_id
