"""The orch run lock: one apply or destroy per environment (or stack directory) at a time.

Engines lock each unit's state, but two `orch apply` runs on one environment would still
interleave: the second plans against state the first is about to change, and the first
user's apply then fails half-way on a state lock. So apply and destroy take one lock for the
whole run before any engine starts, and release it on every exit path (finish, failure,
Ctrl-C; a `finally`). Only SIGKILL (or a lost machine) leaves it behind; the next run then
tells an orphaned lock (its holder's process is gone from this machine) from a live one.

Where it lives: an environment's lock is an object in its state bucket
(`<key_prefix>/.orch/run.lock.json`), created with `If-None-Match: *` so that S3 itself
decides who wins (the same conditional write OpenTofu's `use_lockfile` uses); a `--dir`
stack's lock is a file created with O_EXCL under its `.orch/`.

The lock names its holder: run id, command, host, pid (and the pid's start time, so a
recycled pid is not mistaken for the holder), user and start time. The holder's run
directory holds `journal.jsonl` (orchestrator.runs.store): which units started and finished, so a
lock left by a killed run can name the units it was applying.
"""

from __future__ import annotations

import contextlib
import getpass
import json
import os
import socket
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from pydantic import BaseModel, ValidationError

from orchestrator.errors import OrchError
from orchestrator.pids import pid_alive, process_start

#: Where an environment's lock lives under its state key prefix (and a --dir stack's under the stack).
LOCK_KEY = ".orch/run.lock.json"


class LockHeldError(OrchError):
    """Another orch run holds (or a killed one left) the environment's run lock."""


class LockInfo(BaseModel):
    run_id: str
    command: str
    target: str  # "--env eks-prod" or "--dir /path"
    host: str
    pid: int
    pid_started: str | None = None  # /proc/<pid>/stat start time: tells a recycled pid apart
    user: str
    started_at: datetime
    runs_root: str | None = None
    #: Runs this holder makes under the lock besides run_id (the plan an apply makes first).
    related_runs: list[str] = []

    def describe(self) -> str:
        since = self.started_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%SZ")
        return (
            f"run {self.run_id} (orch {self.command}, host {self.host}, pid {self.pid}, "
            f"user {self.user}, since {since})"
        )

    def holder_state(self) -> str:
        """'alive', 'dead' (its process is gone from this machine) or 'unknown' (another host)."""
        if self.host != socket.gethostname():
            return "unknown"
        if not pid_alive(self.pid):
            return "dead"
        if self.pid_started is not None and process_start(self.pid) not in (None, self.pid_started):
            return "dead"  # the pid was recycled by another process
        return "alive"


def holder_info(
    run_id: str, command: str, target: str, runs_root: Path | None, related_runs: list[str] | None = None
) -> LockInfo:
    """A LockInfo describing this process."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = str(os.getuid())
    return LockInfo(
        run_id=run_id,
        command=command,
        target=target,
        host=socket.gethostname(),
        pid=os.getpid(),
        pid_started=process_start(os.getpid()),
        user=user,
        started_at=datetime.now(UTC),
        runs_root=str(runs_root) if runs_root else None,
        related_runs=list(related_runs or []),
    )


class LockStore(Protocol):
    where: str

    def create(self, info: LockInfo) -> LockInfo | None:
        """Write the lock unless one exists; return the existing holder, or None when created."""

    def read(self) -> LockInfo | None: ...

    def delete(self) -> None: ...


def _parse(raw: bytes | str, where: str) -> LockInfo:
    try:
        return LockInfo.model_validate(json.loads(raw))
    except (ValueError, ValidationError):
        # An unreadable lock still locks: nobody can tell whose it is.
        return LockInfo(
            run_id="unknown",
            command="unknown",
            target=where,
            host="unknown",
            pid=0,
            user="unknown",
            started_at=datetime.fromtimestamp(0, UTC),
        )


class FileLockStore:
    """The lock of a `--dir` stack: `<stack>/.orch/run.lock.json`, created with O_EXCL."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.where = str(path)

    def create(self, info: LockInfo) -> LockInfo | None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return self.read() or self.create(info)  # released meanwhile: try again
        with os.fdopen(fd, "w") as handle:
            handle.write(info.model_dump_json(indent=1))
        return None

    def read(self) -> LockInfo | None:
        try:
            return _parse(self.path.read_text(), self.where)
        except FileNotFoundError:
            return None

    def delete(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()


class S3LockStore:
    """An environment's lock: an object in its state bucket, created only if absent (If-None-Match)."""

    def __init__(self, client: Any, bucket: str, key: str, kms_key: str | None = None) -> None:
        self.client = client
        self.bucket = bucket
        self.key = key
        self.kms_key = kms_key
        self.where = f"s3://{bucket}/{key}"

    def create(self, info: LockInfo) -> LockInfo | None:
        from botocore.exceptions import ClientError

        extra: dict[str, str] = {"ServerSideEncryption": "aws:kms"}
        if self.kms_key:
            extra["SSEKMSKeyId"] = self.kms_key
        try:
            self.client.put_object(
                Bucket=self.bucket,
                Key=self.key,
                Body=info.model_dump_json(indent=1).encode(),
                ContentType="application/json",
                IfNoneMatch="*",
                **extra,
            )
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code", "")
            if code in ("PreconditionFailed", "ConditionalRequestConflict", "412", "409"):
                return self.read() or self.create(info)
            raise OrchError(f"cannot write the run lock {self.where}: {code or exc}") from None
        return None

    def read(self) -> LockInfo | None:
        from botocore.exceptions import ClientError

        try:
            body = self.client.get_object(Bucket=self.bucket, Key=self.key)["Body"].read()
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code", "") in ("NoSuchKey", "404", "NotFound"):
                return None
            raise OrchError(f"cannot read the run lock {self.where}: {exc}") from None
        return _parse(body, self.where)

    def delete(self) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self.key)


class RunLock:
    """Acquire with `hold()`; the lock is released when the block exits, however it exits."""

    def __init__(self, store: LockStore, unlock_command: str) -> None:
        self.store = store
        self.unlock_command = unlock_command

    def acquire(self, info: LockInfo, force: bool = False) -> None:
        holder = self.store.create(info)
        if holder is None:
            return
        if force:
            self.store.delete()
            if self.store.create(info) is None:
                return
            holder = self.store.read() or holder
        raise self.refusal(holder)

    def refusal(self, holder: LockInfo) -> LockHeldError:
        state = holder.holder_state()
        if state == "dead":
            units = started_units(holder)
            doing = f"; it was running {', '.join(units)}" if units else ""
            command = self.unlock_command + (f" --unit {units[0]}" if len(units) == 1 else "")
            return LockHeldError(
                f"{holder.describe()} was killed without releasing the run lock {self.store.where}{doing}; "
                "nothing started",
                hint=f"check its units' state, then release its locks: {command}",
            )
        if state == "alive":
            return LockHeldError(
                f"{holder.target} is locked by {holder.describe()}, still running; nothing started",
                hint="wait for it to finish (or stop it with Ctrl-C), then run again",
            )
        return LockHeldError(
            f"{holder.target} is locked by {holder.describe()}; nothing started",
            hint=f"if that run is gone, release its lock: {self.unlock_command} --force "
            "(or re-run with --force-unlock)",
        )

    def release(self, run_id: str) -> None:
        """Delete the lock if it is still this run's (a forced steal must not be undone)."""
        try:
            holder = self.store.read()
            if holder is not None and holder.run_id == run_id:
                self.store.delete()
        except Exception as exc:  # release runs in `finally`: never mask the run's own outcome
            sys.stderr.write(
                f"warning: could not release the run lock {self.store.where} ({exc}); "
                f"release it with: {self.unlock_command}\n"
            )

    @contextlib.contextmanager
    def hold(self, info: LockInfo, force: bool = False) -> Iterator[LockInfo]:
        self.acquire(info, force=force)
        try:
            yield info
        finally:
            self.release(info.run_id)


def started_units(holder: LockInfo) -> list[str]:
    """Units the holder's run started and did not finish, from its journal (this machine only)."""
    if not holder.runs_root:
        return []
    from orchestrator.runs.store import read_journal

    unfinished: list[str] = []
    for run_id in [*holder.related_runs, holder.run_id]:
        for unit in read_journal(Path(holder.runs_root) / run_id).unfinished:
            if unit not in unfinished:
                unfinished.append(unit)
    return unfinished


__all__ = [
    "LOCK_KEY",
    "FileLockStore",
    "LockHeldError",
    "LockInfo",
    "RunLock",
    "S3LockStore",
    "holder_info",
    "started_units",
]
