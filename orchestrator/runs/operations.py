"""The library API behind `orch graph|plan|apply|drift|destroy|validate`.

    ws = open_workspace(stack_dir=Path("live/dev"), selection=Selection(all=True))
    report = plan(ws, RunOptions(parallelism=4))
    report = apply(ws, RunOptions(), auto_approve=True)

Each run writes `.orch/runs/<run-id>/{report.json,junit.xml,summary.md}` and per unit
`<unit>/{terragrunt.log,tfplan,plan.json}`. Results come from each unit's plan JSON, never
from an engine's aggregated exit code.
"""

from __future__ import annotations

import json
import os
import re
import signal
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path
from types import FrameType
from typing import Any, TextIO, cast

from pydantic import BaseModel, ConfigDict, Field

from orchestrator import provider_locks
from orchestrator.aws.cluster_access import access_entry_hint
from orchestrator.aws.session import RunSession
from orchestrator.discovery import Discovered, discover
from orchestrator.errors import OrchError
from orchestrator.graph import Graph
from orchestrator.planfile import PlanSummary, summarize
from orchestrator.redact import redact
from orchestrator.runs import store as runs
from orchestrator.runs.delegate import Delegation, Request, can_watch_units
from orchestrator.runs.progress import Progress
from orchestrator.runs.report import Result, RunReport, UnitResult, now, write_all
from orchestrator.runs.runlock import LOCK_KEY, FileLockStore, RunLock, S3LockStore, holder_info
from orchestrator.runs.scheduler import run_dag, run_unit
from orchestrator.selection import Selection, changed_files, select_units, units_for_files
from orchestrator.settings import REPO_ROOT
from orchestrator.terragrunt import CallResult, Interrupted, Terragrunt
from orchestrator.tools import engine_env, find_tool, require_engine, require_tool

#: Terragrunt's own words when it hands mock outputs to a unit (WARN level, always logged).
MOCK_MARKER = "mock outputs provided and returning those"

#: How a delegated unit's timeout error says it came before any engine step (no state lock held).
PREPARING = "while Terragrunt prepared it (dependency outputs, init, hooks; before its engine step)"

#: Transient engine errors Terragrunt retries by default (internal/retry/defaults.go, 1.1.2):
#: delegated runs retry their plan and refresh-only steps on these, like `terragrunt plan` did.
RETRYABLE = [
    re.compile(p, re.S)
    for p in (
        r"Failed to load state.*tcp.*timeout",
        r"Failed to load backend.*TLS handshake timeout",
        r"Creating metric alarm failed.*request to update this alarm is in progress",
        r"Error installing provider.*TLS handshake timeout",
        r"Error configuring the backend.*TLS handshake timeout",
        r"Error installing provider.*tcp.*timeout",
        r"Error installing provider.*tcp.*connection reset by peer",
        r"NoSuchBucket: The specified bucket does not exist",
        r"Error creating SSM parameter: TooManyUpdates:",
        r"app.terraform.io.*: 429 Too Many Requests",
        r"ssh_exchange_identification.*Connection closed by remote host",
        r"Client\.Timeout exceeded while awaiting headers",
        r"Could not download module.*The requested URL returned error: 429",
        r"net/http: TLS.*handshake timeout",
        r"could not query provider registry.*context deadline exceeded",
        r"provider.*TLS handshake timeout",
        r"provider.*tcp.*timeout",
        r"provider.*tcp.*connection reset by peer",
        r"provider.*context deadline exceeded",
        r"registry.*context deadline exceeded",
        r"Failed to resolve provider.*timeout",
        r"Failed to resolve provider.*connection reset by peer",
        r"Failed to resolve provider.*context deadline exceeded",
        r"could not connect to registry.*timeout",
        r"could not connect to registry.*connection reset by peer",
        r"could not connect to registry.*context deadline exceeded",
        r"failed to request discovery document.*context deadline exceeded",
        r"Failed to query available provider packages.*timeout",
        r"Failed to query available provider packages.*connection reset by peer",
        r"Failed to query available provider packages.*context deadline exceeded",
    )
]
RETRY_ATTEMPTS = 3
RETRY_SLEEP = 5.0


class RefusedError(OrchError):
    """Apply/destroy refused: destroy protection, or the confirmation was not given."""


class RunOptions(BaseModel):
    model_config = ConfigDict(arbitrary_types_allowed=True)

    parallelism: int = Field(4, ge=1)
    fail_fast: bool = False
    verbose: bool = False
    engine: str | None = None  # "tofu" | "terraform" | a path; default tofu (or TG_TF_PATH)
    detailed_exitcode: bool = False
    live: bool | None = None  # live view: None = when stderr is a TTY
    quiet: bool = False  # no progress at all (library use)
    progress_stream: object | None = None
    #: Seconds a unit may run (all its engine calls together) before it is stopped; None = no limit.
    unit_timeout: float | None = Field(None, gt=0)
    #: apply/destroy: take the run lock even when another run holds it (a dead run on another host).
    force_unlock: bool = False
    # plan/drift/apply: one `terragrunt run --all` serving each unit's engine steps from orch
    # (orchestrator/runs/delegate.py); False: a Terragrunt process per unit. Default: on, unless
    # ORCH_RUN_MODE=per-unit.
    delegate: bool | None = None

    def delegating(self) -> bool:
        """Whether plan/drift/apply run delegated (one `terragrunt run --all`).

        Per unit instead when asked (delegate=False, ORCH_RUN_MODE=per-unit), and with --timeout
        where a delegated run cannot find the processes Terragrunt runs for a unit (no /proc:
        not Linux), since it could not stop a unit that hangs before its engine step.
        """
        if self.delegate is not None:
            wanted = self.delegate
        else:
            wanted = os.environ.get("ORCH_RUN_MODE", "").strip().lower() != "per-unit"
        return wanted and (self.unit_timeout is None or can_watch_units())


class Workspace(BaseModel):
    """A stack directory, its graph, the selected units and where runs are kept."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    stack_dir: Path
    env_name: str | None = None
    selection: Selection
    discovered: Discovered
    selected: list[str]
    runs_root: Path
    session: RunSession = Field(default_factory=RunSession)
    terragrunt: str
    env: dict[str, str] = Field(default_factory=dict, repr=False)
    _sources: dict[str, list[Path]] | None = None

    @property
    def graph(self) -> Graph:
        return self.discovered.graph

    @property
    def name(self) -> str:
        return self.env_name or self.stack_dir.name

    def waits_for(self) -> dict[str, set[str]]:
        return {u.path: set(u.dependencies) for u in self.graph.units}

    def dependents(self) -> dict[str, set[str]]:
        found: dict[str, set[str]] = {u.path: set() for u in self.graph.units}
        for unit in self.graph.units:
            for dep in unit.dependencies:
                found.setdefault(dep, set()).add(unit.path)
        return found

    def sources(self) -> dict[str, list[Path]]:
        """Local module directories (terraform.source) of every unit, from `terragrunt render`."""
        if self._sources is None:
            self._sources = unit_sources(self)
        return self._sources

    def file_hashes(self) -> dict[str, str]:
        """sha256 of every file that decides what a saved plan means: the stack and its local modules."""
        extra = [p for paths in self.sources().values() for p in paths]
        # Generated stack units: their catalog directories decide what a saved plan means too.
        extra += [self.stack_dir / origin for unit in self.graph.units for origin in unit.generated_from]
        return runs.file_hashes(self.stack_dir, extra)

    def fingerprint(self) -> str:
        return runs.fingerprint_of(self.file_hashes())

    @property
    def where(self) -> str:
        """The command-line words that name this stack: `--env NAME` or `--dir PATH`."""
        return f"--env {self.env_name}" if self.env_name else f"--dir {self.stack_dir}"

    def run_lock(self) -> RunLock:
        """The orch run lock of this environment (state bucket) or stack directory (a file)."""
        command = f"orch{' --local' if self.session.local else ''} unlock {self.where}"
        if self.env_name and self.session.has_aws():
            from orchestrator.config import load_env

            state = load_env(self.env_name).state
            client = self.session.client("s3")
            key = f"{state.key_prefix.strip('/')}/{LOCK_KEY}" if state.key_prefix else LOCK_KEY
            return RunLock(S3LockStore(client, state.bucket, key, state.kms_alias), command)
        return RunLock(FileLockStore(self.stack_dir / LOCK_KEY), command)


# ------------------------------------------------------------------ workspace


def _session_for(env_name: str | None, local: bool, profile: str | None, guard: bool = True) -> RunSession:
    """The RunSession from orchestrator.aws.session.open_session, or an empty one for --dir runs."""
    env_cfg = None
    if env_name is not None:
        from orchestrator.config import load_env

        env_cfg = load_env(env_name)
    from orchestrator.aws.session import open_session

    if env_cfg is None and not local:
        return RunSession()
    return open_session(env_cfg, local=local, profile=profile, guard=guard and env_cfg is not None)


def build_env(session: RunSession, engine: str | None = None) -> dict[str, str]:
    env = engine_env(dict(os.environ))
    if engine:  # --engine wins over ORCH_ENGINE / TG_TF_PATH from the environment
        env["ORCH_ENGINE"] = engine
        env["TG_TF_PATH"] = engine if os.sep in engine else str(find_tool(engine) or engine)
    env.update(session.env)
    env.setdefault("TG_LOG_FORMAT", "pretty")
    return env


def resolve_stack_dir(stack_dir: Path | None, env_name: str | None, repo_root: Path = REPO_ROOT) -> Path:
    if (stack_dir is None) == (env_name is None):
        raise OrchError("give exactly one of --dir DIR or --env NAME")
    if env_name is not None:
        from orchestrator.config import env_dir

        path = env_dir(env_name, repo_root)
        if not path.is_dir():
            from orchestrator.config import available_envs

            raise OrchError(
                f"unknown environment {env_name!r} (known: {', '.join(available_envs(repo_root)) or 'none'})"
            )
        return path.resolve()
    assert stack_dir is not None
    if not stack_dir.is_dir():
        raise OrchError(f"{stack_dir}: no such directory")
    return stack_dir.resolve()


def open_workspace(
    *,
    stack_dir: Path | None = None,
    env_name: str | None = None,
    selection: Selection | None = None,
    session: RunSession | None = None,
    local: bool = False,
    profile: str | None = None,
    runs_root: Path | None = None,
    engine: str | None = None,
    repo_root: Path = REPO_ROOT,
    select: bool = True,
    guard: bool = True,
) -> Workspace:
    """Discover the units, apply the selection and prepare the engine environment."""
    directory = resolve_stack_dir(stack_dir, env_name, repo_root)
    terragrunt = require_tool("terragrunt").path
    require_engine(engine)  # --engine, else ORCH_ENGINE / TG_TF_PATH, else tofu; at a supported version
    # Discovery and selection first (cheap, offline): a wrong --layer fails before any AWS call.
    discovered = discover(directory, terragrunt, build_env(session or RunSession(), engine))
    selection = selection or Selection(all=True)
    ws = Workspace(
        stack_dir=directory,
        env_name=env_name,
        selection=selection,
        discovered=discovered,
        selected=[],
        runs_root=runs_root or runs.default_runs_root(directory, env_name, repo_root),
        terragrunt=terragrunt,
        env=build_env(session or RunSession(), engine),
    )
    if select:
        changed: set[str] | None = None
        if selection.changed_since:
            files = changed_files(directory, selection.changed_since)
            sources = {unit: [_relpath(p, directory) for p in paths] for unit, paths in ws.sources().items()}
            reads = {unit: [*f.includes, *f.reading] for unit, f in discovered.files.items()}
            changed = units_for_files(ws.graph, files, sources, reads)
        ws.selected = select_units(ws.graph, selection, changed)
    else:
        ws.selected = ws.graph.paths
    if session is None:
        session = _session_for(env_name, local, profile, guard)
        if env_name is not None and guard:
            from orchestrator.aws.backend import require_state_bucket
            from orchestrator.config import load_env

            env_cfg = load_env(env_name)
            require_state_bucket(env_cfg, session, local=local)
            if _manages_a_cluster(ws):
                from orchestrator.aws.cluster_access import require_cluster_access

                require_cluster_access(
                    env_cfg,
                    caller_arn=session.caller_arn,
                    account_id=session.account_id,
                    units=[directory / path for path in ws.selected],
                    includes=_included_files(ws),
                )
    ws.session = session
    ws.env = build_env(session, engine)
    return ws


def _manages_a_cluster(ws: Workspace) -> bool:
    """The stack has a unit that talks to the Kubernetes API (then env.yaml must grant access)."""
    from orchestrator.aws.cluster_access import talks_to_cluster

    includes = _included_files(ws)
    return any(talks_to_cluster(ws.stack_dir / path, includes.get(ws.stack_dir / path, ())) for path in ws.graph.paths)


def _included_files(ws: Workspace) -> dict[Path, list[Path]]:
    """Each unit directory -> the files its terragrunt.hcl includes (catalog unit, shared deps, root)."""
    return {
        ws.stack_dir / unit: [ws.stack_dir / name for name in files.includes]
        for unit, files in ws.discovered.files.items()
    }


def _relpath(path: Path, start: Path) -> str:
    return Path(os.path.relpath(path, start)).as_posix()


def _local_source(source: str, unit_dir: Path) -> Path | None:
    if not source or "::" in source or source.startswith(("tfr:", "git@", "http://", "https://")):
        return None
    base = source.split("?", 1)[0]
    root = base.split("//", 1)[0] if "//" in base else base
    path = Path(root)
    if not path.is_absolute():
        path = unit_dir / path
    path = Path(os.path.normpath(path))
    return path if path.is_dir() else None


def _config_key(ws: Workspace, path: str) -> str:
    """Hash of the files deciding a unit's terraform.source: terragrunt.hcl, its includes and reads."""
    import hashlib

    digest = hashlib.sha256(str(ws.stack_dir / path).encode())
    files = ws.discovered.files.get(path)
    names = [f"{path}/terragrunt.hcl", *(files.includes if files else []), *(files.reading if files else [])]
    for name in sorted(set(names)):
        digest.update(name.encode())
        try:
            digest.update((ws.stack_dir / name).read_bytes())
        except OSError:
            digest.update(b"-")
    return digest.hexdigest()


def unit_sources(ws: Workspace) -> dict[str, list[Path]]:
    """Local module directories per unit, from `terragrunt render --json`.

    Rendering costs a Terragrunt process per unit (it also reads dependency outputs), so the
    answers are cached in `.orch/sources.json`, keyed by the content of the files that
    decide them; only units whose configuration changed are rendered again.
    """
    import subprocess

    cache_file = ws.runs_root.parent / "sources.json"
    try:
        cache: dict[str, list[str]] = json.loads(cache_file.read_text())
    except (OSError, ValueError):
        cache = {}

    def one(path: str) -> list[Path] | None:
        unit_dir = ws.stack_dir / path
        proc = subprocess.run(
            [ws.terragrunt, "render", "--json", "--non-interactive"],
            cwd=unit_dir,
            env=ws.env,
            capture_output=True,
            text=True,
            check=False,
            stdin=subprocess.DEVNULL,
        )
        if proc.returncode != 0 or "{" not in proc.stdout:
            return None
        try:
            data = json.loads(proc.stdout[proc.stdout.index("{") :])
        except json.JSONDecodeError:
            return None
        source = ((data.get("terraform") or {}).get("source")) or ""
        local = _local_source(source, unit_dir)
        return [local] if local is not None else []

    keys = {path: _config_key(ws, path) for path in ws.graph.paths}
    missing = [path for path, key in keys.items() if key not in cache]
    with ThreadPoolExecutor(max_workers=4) as pool:
        fresh = dict(zip(missing, pool.map(one, missing), strict=True))
    for path, found in fresh.items():
        if found is not None:
            cache[keys[path]] = [str(p) for p in found]
    if fresh:
        try:
            cache_file.parent.mkdir(parents=True, exist_ok=True)
            cache_file.write_text(json.dumps(cache, indent=1))
        except OSError:
            pass
    return {path: [Path(p) for p in cache.get(keys[path], [])] for path in ws.graph.paths}


# ------------------------------------------------------------------- a run


class _Run:
    """State of one orch run: its directory, Terragrunt runner, progress and interruption."""

    def __init__(
        self, ws: Workspace, command: str, opts: RunOptions, units: list[str], run_id: str | None = None
    ) -> None:
        self.ws = ws
        self.opts = opts
        self.command = command
        self.units = units
        self.run_id = run_id or runs.new_run_id()
        self.run_dir = ws.runs_root / self.run_id
        runs.ensure_writable(ws.runs_root)
        self.run_dir.mkdir(parents=True, exist_ok=True)
        self.journal = runs.Journal(self.run_dir)
        self.journal.run(command)
        self._deadlines: dict[str, float] = {}
        self._started: dict[str, datetime] = {}
        self._begin_lock = threading.Lock()
        stream = cast("TextIO | None", opts.progress_stream)  # a TextIO; pydantic cannot check that type
        self._devnull = None
        if opts.quiet:
            stream = self._devnull = open(os.devnull, "w")  # noqa: SIM115 - closed in __exit__
        self.progress = Progress(units, stream=stream, live=opts.live, title=f"orch {command}")
        self.tg = Terragrunt(
            ws.terragrunt,
            ws.env,
            secrets=ws.session.secrets,
            verbose=self.progress.verbose_line if opts.verbose else None,
        )
        self.report = RunReport(
            run_id=self.run_id,
            command=command,
            stack_dir=str(ws.stack_dir),
            env=ws.env_name,
            selection=ws.selection.model_dump(),
            started_at=now(),
            engine=Path(self.tg.engine).name,
            detailed_exitcode=opts.detailed_exitcode,
        )
        self._old_handler: Callable[[int, FrameType | None], Any] | int | None = None
        # Delegated runs: the engine call Terragrunt made for each unit (its directory, its env).
        self.requests: dict[str, Request] = {}
        self.delegation: Delegation | None = None

    # paths
    def unit_dir(self, path: str) -> Path:
        return self.ws.stack_dir / path

    def out_dir(self, path: str) -> Path:
        return self.run_dir / runs.unit_slug(path)

    def log(self, path: str) -> Path:
        return self.out_dir(path) / "terragrunt.log"

    def rel(self, p: Path) -> str:
        return p.relative_to(self.run_dir).as_posix()

    # interruption
    def _on_sigint(self, signum: int, frame: FrameType | None) -> None:
        first = not self.tg.cancelled.is_set()
        self.tg.interrupt()
        if first:
            self.progress.message(
                f"interrupted: no new units start; waiting for {self.tg.running} running engine "
                "process(es) to stop gracefully (Ctrl-C again to force)"
            )
        else:
            self.progress.message("forcing running engine processes to stop")

    def __enter__(self) -> _Run:
        if threading.current_thread() is threading.main_thread():
            self._old_handler = signal.signal(signal.SIGINT, self._on_sigint)
        self.progress.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.__exit__(*exc)
        if self._old_handler is not None:
            # After an interrupt, a late Ctrl-C (the engines stopped before the user pressed it
            # again) must not kill orch while it writes the report: it is already stopping.
            late = signal.SIG_IGN if self.tg.cancelled.is_set() else self._old_handler
            signal.signal(signal.SIGINT, late)
        if self._devnull is not None:
            self._devnull.close()

    def schedule(
        self,
        work: Callable[[str], UnitResult],
        waits_for: dict[str, set[str]],
        order: list[str] | None = None,
        skip_below_failures: bool = True,
        delegate: str | None = None,
    ) -> dict[str, UnitResult]:
        """Run `work` per unit in dependency order: per unit, or inside one `terragrunt run --all`.

        `delegate` names the Terragrunt command whose engine steps `work` serves (plan, apply);
        without it, or with delegation off, each unit gets its own Terragrunt processes. Either
        way each unit's start and finish go to the journal, and its --timeout clock starts
        when it starts (`begin`).
        """
        if delegate is not None and self.opts.delegating():
            return self.delegated(
                work, waits_for, self.units if order is None else order, delegate, skip_below_failures
            )
        self.forget_stale_locks(self.units if order is None else order)

        def journaled(path: str) -> UnitResult:
            self.begin(path)
            return self.end(path, run_unit(work, path))

        return run_dag(
            self.units if order is None else order,
            waits_for,
            journaled,
            parallelism=self.opts.parallelism,
            fail_fast=self.opts.fail_fast,
            cancel=self.tg.cancelled,
            on_event=self.progress.event,
            skip_below_failures=skip_below_failures,
        )

    def delegated(
        self,
        work: Callable[[str], UnitResult],
        waits_for: dict[str, set[str]],
        order: list[str],
        command: str,
        skip_below_failures: bool = True,
    ) -> dict[str, UnitResult]:
        """One `terragrunt run --all -- COMMAND` over `order`; orch serves each unit's engine steps."""
        self.forget_stale_locks(order)
        results: dict[str, UnitResult] = {}
        wanted = set(order)
        if not order:
            return results

        def serve(unit: str, request: Request) -> int:
            if unit not in wanted or unit in results:
                return 1
            self.requests[unit] = request
            self.begin(unit, progress=True)  # already done if Terragrunt's records named the unit
            result = run_unit(work, unit)
            if result.result == Result.NOT_RUN and self.tg.cancelled.is_set():
                # Interrupted after Terragrunt began the unit (init, hooks), before its engine step:
                # as in a per-unit run, where that Terragrunt process is interrupted.
                result.result, result.error, result.reason = Result.INTERRUPTED, "interrupted", None
            self.end(unit, result)
            results[unit] = result
            self.progress.event(unit, "finish", result)
            return 0 if result.ok else 1

        credentials = None
        if self.ws.session.env.get("ORCH_ROLE_ASSUMED"):

            def credentials() -> dict[str, str]:
                self.refresh_credentials()
                return {k: v for k, v in self.ws.session.env.items() if k.startswith("AWS_")}

        download = self.tg.env.get("TG_DOWNLOAD_DIR")
        self.delegation = delegation = Delegation(
            terragrunt=self.ws.terragrunt,
            engine=self.tg.engine,
            stack_dir=self.ws.stack_dir,
            env=self.tg.env,
            unit_dirs={p: self.unit_dir(p) for p in self.ws.graph.paths},
            copies_dir=lambda d: terragrunt_copies_dir(d, download),
            serve=serve,
            log_for=lambda unit: self.log(unit) if unit is not None else self.run_dir / "terragrunt.log",
            redact=lambda text: redact(text, self.tg.secrets),
            register=self.tg.track,
            verbose=self.progress.verbose_line if self.opts.verbose else None,
            credentials=credentials,
            on_begin=lambda unit: self.begin(unit, progress=True),
            unit_timeout=self.opts.unit_timeout,
        )
        rc = delegation.run(
            command,
            order,
            parallelism=self.opts.parallelism,
            fail_fast=self.opts.fail_fast,
            ignore_errors=not skip_below_failures,
        )
        first_failure: str | None = None
        for unit in order:
            if unit in results:
                if results[unit].failed and first_failure is None:
                    first_failure = unit
                continue
            entry = delegation.report.get(unit) or {}
            outcome = str(entry.get("Result", "")).lower()
            bad = [d for d in sorted(waits_for.get(unit, ())) if d in results and not results[d].ok]
            begun = unit in delegation.begun
            if unit in delegation.timed_out:
                stop = delegation.timed_out[unit]
                result = UnitResult(path=unit, result=Result.FAILED, log=self.rel(self.log(unit)))
                # No engine step of the unit had started, so it held no state lock.
                result.error = (
                    f"timed out after {self.opts.unit_timeout:g}s (--timeout) {PREPARING}; stopped with {stop}"
                )
            elif self.tg.cancelled.is_set() and begun:
                # Terragrunt was working on it (a hook, init) when the run was interrupted.
                result = UnitResult(
                    path=unit, result=Result.INTERRUPTED, error="interrupted", log=self.rel(self.log(unit))
                )
            elif self.tg.cancelled.is_set():
                result = UnitResult(path=unit, result=Result.NOT_RUN, reason="interrupted before it started")
            elif bad and skip_below_failures:
                result = UnitResult(path=unit, result=Result.SKIPPED, reason=f"{bad[0]} {results[bad[0]].result.value}")
            elif outcome == "failed" or (not entry and rc != 0 and first_failure is None):
                log = self.log(unit) if self.log(unit).exists() else self.run_dir / "terragrunt.log"
                result = UnitResult(path=unit, result=Result.FAILED, log=self.rel(self.log(unit)))
                cause = redact(str(entry.get("Cause") or ""), self.tg.secrets).strip()
                if cause:
                    # Terragrunt logs a unit's own failure (a missing module source, an HCL error)
                    # without naming the unit; its report does, with the cause.
                    reason = redact(str(entry.get("Reason") or "failed"), self.tg.secrets)
                    result.error = f"terragrunt {reason}: {cause}"
                    self.log(unit).parent.mkdir(parents=True, exist_ok=True)
                    with self.log(unit).open("a", encoding="utf-8") as handle:
                        handle.write(f"ERROR {result.error}\n")
                else:
                    result.error = self._error_in(log, CallResult(args=["terragrunt"], returncode=rc or 1), unit)
            elif self.opts.fail_fast and first_failure is not None:
                result = UnitResult(
                    path=unit, result=Result.NOT_RUN, reason=f"--fail-fast: stopped after {first_failure} failed"
                )
            else:
                result = UnitResult(path=unit, result=Result.NOT_RUN, reason=f"terragrunt: {outcome or 'not started'}")
            if result.failed and first_failure is None:
                first_failure = unit
            if begun:
                result.started_at = result.started_at or self._started.get(unit)
                self.end(unit, result)
            results[unit] = _finish(result)
            self.progress.event(unit, "finish", result)
        return {p: results[p] for p in order if p in results}

    def begin(self, path: str, *, progress: bool = False) -> None:
        """A unit starts (once): journal entry, its --timeout clock, and (delegated runs) the progress line."""
        with self._begin_lock:
            if path in self._started:
                return
            self._started[path] = now()
            if self.opts.unit_timeout is not None:
                self._deadlines[path] = time.monotonic() + self.opts.unit_timeout
        self.journal.started(path)
        if progress:
            self.progress.event(path, "start", None)

    def end(self, path: str, result: UnitResult) -> UnitResult:
        """A unit finished: journal entry (the report holds the rest)."""
        self.journal.finished(path, result.result.value)
        return result

    def finish(self, results: dict[str, UnitResult], resume: str | None = None) -> RunReport:
        report = self.report
        report.units = [results[p] for p in self.units if p in results]
        report.finished_at = now()
        report.interrupted = self.tg.cancelled.is_set()
        if report.interrupted:
            done = [u.path for u in report.units if u.ok]
            report.resume = (
                f"interrupted: {len(done)} of {len(report.units)} units finished; "
                f"no engine process is left running. Resume with: {resume}"
            )
        # Engines stopped with SIGTERM/SIGKILL (a second Ctrl-C, a --timeout past its grace) may
        # have left their state locks.
        hard = [
            u.path
            for u in report.units
            if (u.result == Result.INTERRUPTED and self.tg.forced)
            or (
                "timed out" in (u.error or "")
                and "stopped with SIGINT" not in (u.error or "")
                and PREPARING not in (u.error or "")
            )
        ]
        if hard:
            where = f"orch{' --local' if self.ws.session.local else ''} unlock {self.ws.where}"
            report.resume = (report.resume + "\n" if report.resume else "") + (
                "Engines were forced to stop: if a state lock was left, release it with: "
                + " ".join([where, *(f"--unit {p}" for p in hard)])
            )
        report.exit_code = report.compute_exit_code()
        write_all(report, self.run_dir)
        return report

    def forget_stale_locks(self, units: list[str]) -> None:
        """Forget local lock files recorded for provider versions the mirror does not have (provider_locks.py)."""
        notes = provider_locks.forget_stale_locks(
            {path: self.unit_dir(path) for path in units}, self.tg.env.get("TG_DOWNLOAD_DIR"), env=self.tg.env
        )
        for note in notes:
            self.progress.message(note)

    # engine steps -----------------------------------------------------------

    def refresh_credentials(self) -> None:
        """Long runs: renew assumed-role credentials before an engine call (no-op otherwise)."""
        session = self.ws.session
        session.refresh_if_needed()
        if any(self.tg.env.get(k) != v for k, v in session.env.items()):
            self.tg.env = {**self.tg.env, **session.env}
            self.tg.secrets = sorted({*self.tg.secrets, *session.secrets})

    def time_left(self, path: str) -> float | None:
        """Seconds this unit may still run (--timeout), at least a moment; None without a limit."""
        deadline = self._deadlines.get(path)
        return None if deadline is None else max(0.5, deadline - time.monotonic())

    def call(self, path: str, args: list[str], *, capture: bool = False) -> CallResult:
        """`terragrunt ARGS` in the unit; in a delegated run, the engine itself where Terragrunt prepared it."""
        self.refresh_credentials()
        request = self.requests.get(path)
        if request is None:
            return self.tg.run(
                self.unit_dir(path),
                args,
                self.log(path),
                label=path,
                capture_stdout=capture,
                timeout=self.time_left(path),
            )
        engine_args = [args[0], *(["-no-color"] if self.tg.env.get("TG_NO_COLOR") else []), *args[1:]]
        # The arguments Terragrunt gave the engine for this unit (extra_arguments: -var-file,
        # -lock-timeout, ...) go to every plan/apply step; a saved plan takes no variables.
        if args[0] in ("plan", "apply"):
            saved_plan = args[0] == "apply" and "-refresh-only" not in args
            engine_args[1:1] = terragrunt_extra_args(request.args, drop_vars=saved_plan)
        # Steps that change nothing (plan, refresh-only) are retried on the transient errors
        # Terragrunt itself retries (its defaults), as `terragrunt plan` did per unit.
        retriable = args[0] == "plan" or "-refresh-only" in args
        for attempt in range(1, RETRY_ATTEMPTS + 1):
            log_before = self.log(path).stat().st_size if self.log(path).exists() else 0
            # Terragrunt's environment for this unit (inputs, dependency outputs) + current credentials.
            env = {**request.env, **self.ws.session.env}
            call = self.tg.run_engine(
                request.cwd,
                engine_args,
                self.log(path),
                label=path,
                capture_stdout=capture,
                env=env,
                timeout=self.time_left(path),
            )
            if call.ok or call.interrupted or call.timed_out or not retriable or attempt == RETRY_ATTEMPTS:
                return call
            with self.log(path).open(errors="replace") as handle:
                handle.seek(log_before)
                if not any(p.search(handle.read()) for p in RETRYABLE):
                    return call
            if self.tg.cancelled.wait(RETRY_SLEEP):
                return call
            self.refresh_credentials()
        return call

    def workdir(self, path: str) -> Path:
        """Where Terragrunt ran the engine for this unit: the unit, or its .terragrunt-cache copy.

        Called right after a Terragrunt call in that unit, so the most recently used
        initialised directory is the one (`terragrunt info print` would say the same but
        prints nothing while a dependency has no outputs, and costs a process per unit).
        """
        if path in self.requests:
            return self.requests[path].cwd
        return latest_initialised_dir(self.unit_dir(path), self.tg.env.get("TG_DOWNLOAD_DIR"))

    def error_text(self, path: str, result: CallResult) -> str:
        """The engine's first error with its detail lines (from this call's part of the log)."""
        return self._error_in(self.log(path), result, path)

    def _error_in(self, log: Path, result: CallResult, path: str) -> str:
        if result.interrupted:
            return "interrupted"
        if result.timed_out:
            return (
                f"timed out after {self.opts.unit_timeout:g}s (--timeout) in `{' '.join(result.args[:1])}`; "
                f"stopped with {result.stop}" + ("" if result.stop == "SIGINT" else ", check its state lock")
            )
        try:
            text = log.read_text(errors="replace")
        except OSError:
            text = ""
        if "\n$ " in text:  # this call's part: from the last command header on
            text = text[text.rindex("\n$ ") :]
        lines = [_strip_log_prefix(ln) for ln in text.splitlines()]
        start = next((i for i, ln in enumerate(lines) if ln.startswith(("Error:", "ERROR"))), None)
        if start is None:
            picked = [ln for ln in lines if ln.strip()][-6:]
        else:
            picked = []
            for line in lines[start:]:
                if line.startswith(("TIP", "INFO", "# exit ")) or "error occurred" in line:
                    break
                cleaned = line.strip().lstrip("│├─╷╵ ").strip()
                if cleaned:
                    picked.append(cleaned)
                if len(picked) >= 8:
                    break
        error = f"{result.args[0]} exited {result.returncode}: " + " | ".join(picked)
        hint = provider_locks.checksum_hint(text, path) or access_entry_hint(text)
        return f"{error} (hint: {hint})" if hint else error

    def make_plan(self, path: str, *, name: str = "tfplan", extra: list[str] | None = None) -> UnitResult:
        """`terragrunt plan -out`, then `show -json`; returns CHANGES/NO_CHANGES/FAILED with summary."""
        started = now()
        out = self.out_dir(path)
        out.mkdir(parents=True, exist_ok=True)
        planfile = out / name
        result = UnitResult(path=path, started_at=started, log=self.rel(self.log(path)))
        log_before = self.log(path).stat().st_size if self.log(path).exists() else 0
        if path in self.requests:
            # Delegated: Terragrunt logged its evaluation of this unit (mock outputs) before
            # handing the engine step over; those records are already in the log.
            log_before = 0
        call = self.call(path, ["plan", "-input=false", f"-out={planfile}", *(extra or [])])
        with self.log(path).open(errors="replace") as handle:
            handle.seek(log_before)
            result.used_mocks = MOCK_MARKER in handle.read()
        if not call.ok:
            result.result = Result.INTERRUPTED if call.interrupted else Result.FAILED
            result.error = self.error_text(path, call)
            return result
        request = self.requests.get(path)
        show = self.tg.run_engine(
            self.workdir(path),
            ["show", "-json", str(planfile)],
            self.log(path),
            label=path,
            capture_stdout=True,
            timeout=self.time_left(path),
            env=None if request is None else {**request.env, **self.ws.session.env},
        )
        if not show.ok:
            result.result = Result.INTERRUPTED if show.interrupted else Result.FAILED
            result.error = self.error_text(path, show)
            return result
        try:
            plan_json = json.loads(show.stdout)
        except json.JSONDecodeError as exc:
            result.result = Result.FAILED
            result.error = f"show -json printed invalid JSON: {exc}"
            return result
        json_path = out / f"{name}.json" if name != "tfplan" else out / "plan.json"
        json_path.write_text(redact(json.dumps(plan_json, indent=1), self.tg.secrets))
        result.summary = summarize(plan_json)
        result.plan_file = self.rel(planfile)
        result.plan_sha256 = runs.file_sha256(planfile)
        result.plan_json = self.rel(json_path)
        result.result = Result.CHANGES if result.summary.has_changes else Result.NO_CHANGES
        return result

    def apply_plan(self, path: str, planfile: Path) -> CallResult:
        return self.call(path, ["apply", "-input=false", str(planfile)])


def terragrunt_extra_args(args: list[str], *, drop_vars: bool = False) -> list[str]:
    """The arguments Terragrunt added to a unit's plan/apply call (its extra_arguments), without
    the ones orch sets itself; without -var/-var-file for the apply of a saved plan (as Terragrunt
    leaves them out when a plan file is applied)."""
    own = {"-input=false", "-input=true", "-no-color", "-auto-approve", "-refresh-only"}
    found: list[str] = []
    rest = list(args[1:])
    while rest:
        arg = rest.pop(0)
        if arg in own:
            continue
        if drop_vars and arg in ("-var", "-var-file"):
            if rest:
                rest.pop(0)
            continue
        if drop_vars and arg.startswith(("-var=", "-var-file=")):
            continue
        found.append(arg)
    return found


def terragrunt_copies_dir(unit_dir: Path, download_dir: str | Path | None = None) -> Path:
    """Where Terragrunt keeps a unit's source copies: `<unit>/.terragrunt-cache/<sha1(unit)>`, or
    `<TG_DOWNLOAD_DIR>/<sha1(unit)>` (Terragrunt's own layout: internal/tf/source.go)."""
    import base64
    import hashlib

    canonical = str(unit_dir.resolve())
    encoded = base64.urlsafe_b64encode(hashlib.sha1(canonical.encode()).digest()).decode().rstrip("=")
    return (Path(download_dir) if download_dir else unit_dir / ".terragrunt-cache") / encoded


def latest_initialised_dir(unit_dir: Path, download_dir: str | Path | None = None) -> Path:
    """The unit's directory or its Terragrunt source copy that was initialised most recently.

    Only Terragrunt's source copies count (`<hash>/` with a `.terragrunt-source-version`, under
    the unit's .terragrunt-cache or TG_DOWNLOAD_DIR), not the temporary directories Terragrunt
    creates there while reading a dependency's outputs.
    """
    candidates = [unit_dir] if (unit_dir / ".terraform").is_dir() else []
    cache = terragrunt_copies_dir(unit_dir, download_dir)
    if cache.is_dir():
        for version in cache.glob("*/.terragrunt-source-version"):
            copy = version.parent
            candidates += [
                p.parent
                for p in copy.rglob(".terraform")
                if p.is_dir() and ".terraform" not in p.parent.relative_to(copy).parts
            ]

    def last_used(directory: Path) -> float:
        try:
            times = [f.stat().st_mtime for f in directory.iterdir() if f.is_file()]
            return max(times, default=directory.stat().st_mtime)
        except OSError:  # removed meanwhile
            return 0.0

    return max(candidates, key=last_used) if candidates else unit_dir


_LOG_PREFIX = re.compile(r"^\d\d:\d\d:\d\d\.\d+\s+(?:(?:STDOUT|STDERR)\s+\S+:\s?|(?:ERROR|WARN|INFO)\s+)?")


def _strip_log_prefix(line: str) -> str:
    """`04:04:53.813 STDERR tofu: Error: x` → `Error: x`."""
    return _LOG_PREFIX.sub("", line, count=1)


def _finish(result: UnitResult) -> UnitResult:
    result.finished_at = now()
    if result.started_at is not None:
        result.duration = (result.finished_at - result.started_at).total_seconds()
    return result


def _cli_selection(ws: Workspace, command: str) -> str:
    where = f"--env {ws.env_name}" if ws.env_name else f"--dir {ws.stack_dir}"
    return f"orch {command} {where} {ws.selection.describe()}".strip()


# ---------------------------------------------------------------- commands


def plan(
    ws: Workspace, opts: RunOptions | None = None, *, run_id: str | None = None, defer_dependents: bool = False
) -> RunReport:
    """Plan every selected unit (dependencies first); keep plan file, plan JSON and log per unit.

    `defer_dependents` (the plan of `apply --auto-approve`): a unit whose dependency's outputs change
    is not planned now but right before its own apply, when those outputs exist; planning it now
    would only be thrown away (apply re-plans it anyway). On a new environment that is every unit
    but the first: the plan phase shrinks to the units whose inputs are already known.
    """
    opts = opts or RunOptions()
    waits_for = ws.waits_for()
    moving: set[str] = set()  # units whose outputs this apply changes (or may: deferred ones)
    moving_lock = threading.Lock()

    def work(path: str) -> UnitResult:
        if defer_dependents:
            with moving_lock:
                changing = sorted(d for d in waits_for.get(path, ()) if d in moving)
            if changing:
                with moving_lock:
                    moving.add(path)
                return UnitResult(
                    path=path,
                    result=Result.CHANGES,
                    deferred=True,
                    started_at=now(),
                    finished_at=now(),
                    reason=f"planned right before its apply: outputs of {', '.join(changing)} change first",
                )
        result = _finish(run.make_plan(path))
        summary = result.summary
        if defer_dependents and (result.used_mocks or (summary is not None and summary.output_changes)):
            with moving_lock:
                moving.add(path)
        return result

    # The fingerprint of the files as they were when planning started, computed alongside.
    with ThreadPoolExecutor(max_workers=1) as side, _Run(ws, "plan", opts, ws.selected, run_id=run_id) as run:
        hashes = side.submit(ws.file_hashes)
        results = run.schedule(work, waits_for, delegate="plan")
        run.report.fingerprint = runs.fingerprint_of(hashes.result())
        # Which files a later apply must find unchanged (so a refusal can name the one that changed).
        (run.run_dir / PLANNED_FILES).write_text(json.dumps(hashes.result(), indent=0, sort_keys=True))
        return run.finish(results, resume=_cli_selection(ws, "plan"))


def drift(ws: Workspace, opts: RunOptions | None = None) -> RunReport:
    """Plan with refresh; per unit in-sync / drifted / pending-changes / failed from the plan JSON."""
    opts = opts or RunOptions()

    def work(path: str) -> UnitResult:
        result = run.make_plan(path, extra=["-refresh=true"])
        if result.summary is not None and result.result != Result.FAILED:
            if result.summary.drift:
                result.result = Result.DRIFTED
            elif result.summary.has_changes:
                result.result = Result.PENDING
            else:
                result.result = Result.IN_SYNC
        return _finish(result)

    with _Run(ws, "drift", opts, ws.selected) as run:
        # Dependencies first (Terragrunt reads their outputs from their working directories),
        # but every unit is checked even when one below it fails.
        results = run.schedule(work, ws.waits_for(), skip_below_failures=False, delegate="plan")
        return run.finish(results, resume=_cli_selection(ws, "drift"))


def validate(ws: Workspace, opts: RunOptions | None = None) -> RunReport:
    """`terragrunt validate -json` per unit, without a backend (offline)."""
    opts = opts or RunOptions()

    def work(path: str) -> UnitResult:
        result = UnitResult(path=path, started_at=now(), log=run.rel(run.log(path)))
        # Terragrunt's auto-init runs as part of `validate`, so the dependencies' mock outputs
        # (allowed for validate) apply; TF_CLI_ARGS_init keeps that init off the backend.
        call = run.call(path, ["validate", "-json"], capture=True)
        if call.interrupted:
            result.result = Result.INTERRUPTED
            result.error = "interrupted"
            return _finish(result)
        try:
            data = json.loads(call.stdout[call.stdout.index("{") :])
        except (ValueError, json.JSONDecodeError):
            problem = {"severity": "error", "summary": run.error_text(path, call)}
            data = {"valid": False, "diagnostics": [problem]}
        result.diagnostics = data.get("diagnostics") or []
        result.result = Result.VALID if data.get("valid") and call.ok else Result.INVALID
        if result.result == Result.INVALID and not result.error:
            result.error = "; ".join(d.get("summary", "") for d in result.diagnostics)[:500] or "invalid"
        return _finish(result)

    with _Run(ws, "validate", opts, ws.selected) as run:
        # Offline: no backend, and units read no dependency state (root.hcl turns ORCH_OFFLINE
        # into skip_outputs on every dependency block, so the typed mock outputs stand in).
        # Its own download dir: a unit's usual .terragrunt-cache remembers its S3 backend, which
        # `init -backend=false` would keep using (and ask credentials for).
        run.tg.env = {
            **run.tg.env,
            "ORCH_OFFLINE": "1",
            "TF_CLI_ARGS_init": "-backend=false -input=false",
            "TG_DOWNLOAD_DIR": str(ws.runs_root.parent / "validate-cache"),
        }
        results = run.schedule(work, {})
        return run.finish(results, resume=_cli_selection(ws, "validate"))


def validate_json(report: RunReport) -> dict[str, list[dict[str, Any]]]:
    return {
        "units": [
            {"path": u.path, "valid": u.result == Result.VALID, "diagnostics": u.diagnostics} for u in report.units
        ]
    }


def destructive_units(report: RunReport) -> list[UnitResult]:
    return [u for u in report.units if u.summary is not None and u.summary.destructive]


def destroy_refusal(units: list[UnitResult]) -> str:
    lines = []
    for unit in units:
        assert unit.summary is not None
        lines += [f"{unit.path}: delete {a}" for a in unit.summary.deletes]
        lines += [f"{unit.path}: replace {a}" for a in unit.summary.replaces]
    return "plans delete or replace resources:\n  " + "\n  ".join(lines)


#: In a plan run's directory: sha256 of every file the plans were made from (Workspace.file_hashes).
PLANNED_FILES = "planned-files.json"


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


def plan_run_for_apply(ws: Workspace, run_id: str | None) -> RunReport | None:
    """The plan run whose saved plans apply would use: --run-id, or the latest unchanged one."""
    if run_id is not None:
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
    return runs.latest_plan_run(ws.runs_root, ws.selected, ws.fingerprint(), ws.stack_dir)


def apply(
    ws: Workspace,
    opts: RunOptions | None = None,
    *,
    run_id: str | None = None,
    auto_approve: bool = False,
    allow_destroy: bool = False,
    confirm: Callable[[RunReport], bool] | None = None,
    plan_report: RunReport | None = None,
) -> RunReport:
    """Apply exactly the saved plans of a plan run (planning first when there is none).

    Refuses plans that delete or replace unless allow_destroy; asks `confirm(plan_report)`
    unless auto_approve. Units planned with mock dependency outputs are re-planned after
    their dependencies apply, so mock values never reach an apply.
    """
    opts = opts or RunOptions()
    runs.ensure_writable(ws.runs_root)
    # Ids in the order the runs happen (run ids sort by time): the plan made first, if one is needed.
    plan_run_id, apply_run_id = runs.new_run_id(), runs.new_run_id()
    lock = ws.run_lock()
    info = holder_info(apply_run_id, "apply", ws.where, ws.runs_root, related_runs=[plan_run_id])
    with lock.hold(info, force=opts.force_unlock):
        return _apply_locked(
            ws,
            opts,
            plan_run_id,
            apply_run_id,
            lock.store.where,
            run_id=run_id,
            auto_approve=auto_approve,
            allow_destroy=allow_destroy,
            confirm=confirm,
            plan_report=plan_report,
        )


def _apply_locked(
    ws: Workspace,
    opts: RunOptions,
    plan_run_id: str,
    apply_run_id: str,
    lock_where: str,
    *,
    run_id: str | None,
    auto_approve: bool,
    allow_destroy: bool,
    confirm: Callable[[RunReport], bool] | None,
    plan_report: RunReport | None,
) -> RunReport:
    source = plan_report or plan_run_for_apply(ws, run_id)
    if source is None:
        # Nobody reviews this plan before the apply when it is auto-approved: plan each unit once,
        # with real dependency outputs (deferred units are planned during the apply and shown then).
        source = plan(ws, opts, run_id=plan_run_id, defer_dependents=auto_approve)
        if source.exit_code not in (0, 2):  # failed or interrupted: its report says which
            return source
    unfinished = [u for u in source.units if u.failed or u.result in (Result.SKIPPED, Result.NOT_RUN)]
    if source.interrupted or unfinished:
        raise OrchError(f"plan run {source.run_id} did not finish for every unit; nothing applied")
    destructive = destructive_units(source)
    if destructive and not allow_destroy:
        raise RefusedError(destroy_refusal(destructive), hint="review the plan; add --allow-destroy to apply it")
    pending = [u for u in source.units if u.result == Result.CHANGES or u.used_mocks or u.deferred]
    if pending and not auto_approve and (confirm is None or not confirm(source)):
        raise RefusedError("apply not confirmed; nothing applied", hint="use --auto-approve in CI")
    source_dir = ws.runs_root / source.run_id
    check_plan_files(source, source_dir)
    planned = {u.path: u for u in source.units}
    units = [u.path for u in source.units]
    changed_outputs: set[str] = set()
    lock = threading.Lock()
    graph_deps = ws.waits_for()

    def work(path: str) -> UnitResult:
        planned_unit = planned[path]
        started = now()
        deps_changed = [d for d in graph_deps.get(path, ()) if d in changed_outputs]
        if planned_unit.used_mocks or planned_unit.deferred or deps_changed:
            # Mock (or outdated) dependency outputs, or not planned yet: plan now that the
            # dependencies applied.
            fresh = run.make_plan(path, name="replan.tfplan")
            fresh.replanned = True
            fresh.started_at = started
            if planned_unit.deferred:
                fresh.reason = "planned right before its apply, once its dependencies had applied"
            elif planned_unit.used_mocks:
                fresh.reason = "re-planned: the saved plan used mock dependency outputs"
            else:
                fresh.reason = f"re-planned: outputs of {', '.join(sorted(deps_changed))} changed"
            if fresh.result not in (Result.CHANGES, Result.NO_CHANGES):
                return _finish(fresh)
            if fresh.used_mocks:
                fresh.result = Result.REFUSED
                fresh.error = "dependencies still have no outputs; mock outputs are never applied"
                return _finish(fresh)
            assert fresh.summary is not None
            if fresh.summary.destructive and not allow_destroy:
                fresh.result = Result.REFUSED
                fresh.error = destroy_refusal([fresh])
                return _finish(fresh)
            current, planfile = fresh, run.out_dir(path) / "replan.tfplan"
        else:
            current = planned_unit.model_copy(deep=True)
            current.started_at, current.reason, current.error = started, None, None
            current.log = run.rel(run.log(path))
            planfile = source_dir / (planned_unit.plan_file or "")
        assert current.summary is not None
        if not current.summary.has_changes:
            current.result = Result.NO_CHANGES
            return _finish(current)
        call = run.apply_plan(path, planfile)
        if not call.ok:
            current.result = Result.INTERRUPTED if call.interrupted else Result.FAILED
            current.error = run.error_text(path, call)
            return _finish(current)
        current.result = Result.APPLIED
        if current.summary.output_changes:
            with lock:
                changed_outputs.add(path)
        return _finish(current)

    with _Run(ws, "apply", opts, units, run_id=apply_run_id) as run:
        run.report.from_run = source.run_id
        run.report.run_lock = lock_where
        run.journal.run("apply", from_run=source.run_id)
        run.report.fingerprint = source.fingerprint
        with StateRecorder(run, ws.graph, units) as recorder:
            if opts.delegating():
                # Units with nothing to apply and no dependency whose outputs may change are
                # settled here, without any engine process; the rest go to Terragrunt.
                engine = engine_units(source, graph_deps)
                results: dict[str, UnitResult] = {}
                for path in units:
                    if path not in engine:
                        run.begin(path, progress=True)
                        results[path] = recorder.finished(path, run.end(path, run_unit(work, path)))
                        run.progress.event(path, "finish", results[path])
                served = run.schedule(
                    lambda p: recorder.finished(p, work(p)),
                    graph_deps,
                    order=[p for p in units if p in engine],
                    delegate="apply",
                )
                results.update(served)
                results = {p: results[p] for p in units if p in results}
            else:
                results = run.schedule(lambda p: recorder.finished(p, work(p)), graph_deps, order=units)
        return run.finish(results, resume=_cli_selection(ws, "apply"))


def engine_units(source: RunReport, waits_for: dict[str, set[str]]) -> set[str]:
    """Units of an apply that may need the engine: planned changes, mock outputs, or a dependency
    whose outputs may change during this apply (then the unit is re-planned)."""
    planned = {u.path: u for u in source.units}
    needed: set[str] = set()
    may_change: set[str] = set()
    for unit in source.units:  # dependency order
        summary = unit.summary
        deps_may_change = any(d in may_change for d in waits_for.get(unit.path, ()))
        unknown = unit.used_mocks or unit.deferred or deps_may_change
        if unknown or (summary is not None and summary.has_changes):
            needed.add(unit.path)
            if unknown or (summary is not None and summary.output_changes):
                may_change.add(unit.path)
    return {p for p in needed if p in planned}


#: `apply -refresh-only` of a unit: writes what the cloud now holds into the state, changes no object.
REFRESH_ONLY = ["apply", "-refresh-only", "-auto-approve", "-input=false"]


class StateRecorder:
    """After an apply, records the refreshed state of what it touched, so drift later means out-of-band.

    An apply saves each object as it was when the engine created or updated it; other
    resources then fill in its computed attributes (rules into a security group, policies into
    a role, members into an Aurora cluster, an EIP's association), and dependents do so for
    objects their dependencies own (a rule in 20-security's group made by 30-eks-cluster).
    Without this step the next refreshed plan reports all of that as "changed outside", and
    the guarded attributes of orchestrator.planfile would call rules the configuration made
    drift. So every applied unit and everything it depends on gets a refresh-only apply
    (`REFRESH_ONLY`: writes what the cloud holds into the state, changes no cloud object).

    A unit is refreshed as soon as no unit of this run that depends on it, directly or not,
    is still to finish, so refreshes overlap with the rest of the apply instead of adding a
    phase at its end. The only out-of-band change a refresh could absorb is one made during
    the apply (the apply itself already saved the refreshed values of every object in its
    plan, which was shown). A failed refresh does not undo the apply: it becomes a warning.
    """

    def __init__(self, run: _Run, graph: Graph, units: list[str]) -> None:
        from orchestrator.graph import closures

        self.run = run
        self.in_run = set(units)
        self._dependencies, dependents = closures(graph)
        self._waits_for = {p: (dependents[p] & self.in_run) - {p} for p in graph.paths}
        self._order = graph.paths
        self._lock = threading.Lock()
        self._done: set[str] = set()
        self._wanted: set[str] = set()
        self._submitted: set[str] = set()
        self._errors: dict[str, str] = {}
        self._pool = ThreadPoolExecutor(max_workers=run.opts.parallelism, thread_name_prefix="refresh")

    def finished(self, path: str, result: UnitResult) -> UnitResult:
        """Called as each unit of the apply finishes (any result); starts the refreshes now due."""
        with self._lock:
            self._done.add(path)
            if result.result == Result.APPLIED:
                self._wanted |= self._dependencies.get(path, {path})
            due = [
                p
                for p in self._order
                if p in self._wanted and p not in self._submitted and self._waits_for.get(p, set()) <= self._done
            ]
            self._submitted.update(due)
        for unit in due:
            self._pool.submit(self._refresh, unit)
        return result

    def _refresh(self, path: str) -> None:
        if self.run.tg.cancelled.is_set():
            error: str | None = "interrupted"
        else:
            try:
                call = self.run.call(path, REFRESH_ONLY)
                error = None if call.ok else self.run.error_text(path, call)
            except Interrupted:
                error = "interrupted"
        with self._lock:
            if error is not None:
                self._errors[path] = error

    def __enter__(self) -> StateRecorder:
        return self

    def __exit__(self, *exc: object) -> None:
        # Units below a failure never finish through `finished`: what still waits is due now.
        if not self.run.tg.cancelled.is_set():
            with self._lock:
                rest = [p for p in self._order if p in self._wanted and p not in self._submitted]
                self._submitted.update(rest)
            for unit in rest:
                self._pool.submit(self._refresh, unit)
        self._pool.shutdown(wait=True)
        report = self.run.report
        report.refreshed = [p for p in self._order if p in self._submitted and p not in self._errors]
        missed = sorted((self._wanted - self._submitted) | set(self._errors))
        if missed:
            why = "; ".join(f"{p}: {self._errors[p]}" for p in missed if p in self._errors)
            report.warnings.append(
                "the refreshed state of "
                + ", ".join(missed)
                + " was not recorded after this apply, so their next drift report may show attributes "
                + "the apply filled in (run `terragrunt apply -refresh-only` there)"
                + (f": {why}" if why else "")
            )


def destroy(
    ws: Workspace,
    opts: RunOptions | None = None,
    *,
    allow_destroy: bool = False,
    auto_approve: bool = False,
    confirm_name: Callable[[str], str] | None = None,
) -> RunReport:
    """Destroy the selected units in reverse dependency order (plan -destroy, then apply that plan)."""
    opts = opts or RunOptions()
    if not allow_destroy:
        raise RefusedError("destroy needs --allow-destroy")
    if not auto_approve:
        typed = confirm_name(ws.name) if confirm_name else ""
        if typed.strip() != ws.name:
            raise RefusedError(f"destroy not confirmed: type the environment name {ws.name!r} to confirm")
    dependents = ws.dependents()
    order = list(reversed(ws.selected))
    runs.ensure_writable(ws.runs_root)
    run_id = runs.new_run_id()
    lock = ws.run_lock()

    def work(path: str) -> UnitResult:
        result = run.make_plan(path, extra=["-destroy"])
        if result.result not in (Result.CHANGES, Result.NO_CHANGES):
            return _finish(result)
        assert result.summary is not None
        if result.summary.has_changes:
            call = run.apply_plan(path, run.out_dir(path) / "tfplan")
            if not call.ok:
                result.result = Result.INTERRUPTED if call.interrupted else Result.FAILED
                result.error = run.error_text(path, call)
                return _finish(result)
        result.result = Result.DESTROYED
        return _finish(result)

    info = holder_info(run_id, "destroy", ws.where, ws.runs_root)
    with lock.hold(info, force=opts.force_unlock), _Run(ws, "destroy", opts, order, run_id=run_id) as run:
        run.report.run_lock = lock.store.where
        results = run.schedule(work, dependents, order=order)
        return run.finish(results, resume=_cli_selection(ws, "destroy"))


# ------------------------------------------------------------------ unlock

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
    from orchestrator.runs.runlock import LockHeldError, started_units

    lock = ws.run_lock()
    holder = lock.store.read()
    if holder is not None:
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
            probe = tg.run(
                ws.stack_dir / unit, ["plan", "-input=false", "-refresh=false", "-lock-timeout=0s"], log, label=unit
            )
            text = log.read_text(errors="replace")
            found = _LOCK_ID.findall(text) if "acquiring the state lock" in text else []
            if probe.ok or not found:
                if not probe.ok:
                    raise OrchError(
                        f"{unit}: could not tell whether its state is locked (plan failed, see {log}); "
                        "run lock left in place"
                    )
                result.state_locks[unit] = None
                continue
            lock_id = found[-1]
            released = tg.run(ws.stack_dir / unit, ["force-unlock", "-force", lock_id], log, label=unit)
            if not released.ok:
                raise OrchError(f"{unit}: force-unlock {lock_id} failed (see {log}); run lock left in place")
            result.state_locks[unit] = lock_id
    if holder is not None:
        lock.store.delete()
        result.run_lock = f"{holder.describe()} at {lock.store.where}"
    return result


__all__ = [
    "PlanSummary",
    "RefusedError",
    "RunOptions",
    "Workspace",
    "apply",
    "destroy",
    "drift",
    "open_workspace",
    "plan",
    "plan_run_for_apply",
    "unlock",
    "validate",
    "validate_json",
]
