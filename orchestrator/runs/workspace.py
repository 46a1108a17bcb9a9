"""A stack opened for a run (`open_workspace`): its units and graph, the selected units, the AWS
session, and the environment every Terragrunt and engine process of the run gets."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field

from orchestrator.aws.cluster_access import require_cluster_access, talks_to_cluster
from orchestrator.aws.session import RunSession, open_session
from orchestrator.discovery import Discovered, discover
from orchestrator.errors import OrchError
from orchestrator.graph import Graph, dependencies_closure
from orchestrator.runs import store as runs
from orchestrator.runs.runlock import LOCK_KEY, FileLockStore, RunLock, S3LockStore
from orchestrator.selection import Selection, changed_files, select_units, units_for_files
from orchestrator.settings import REPO_ROOT
from orchestrator.sources import unit_sources
from orchestrator.tools import engine_env, find_tool, require_engine, require_tool

if TYPE_CHECKING:
    # env.yaml's models load only for `--env` runs (imported where used): a `--dir` run skips them.
    from orchestrator.config import EnvConfig

#: The first OpenTofu release whose plan takes `-json-into=FILE` (its CHANGELOG, 1.12.0).
JSON_INTO_SINCE = (1, 12, 0)


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
    #: The engine writes its UI stream to a file while planning (`-json-into`: OpenTofu >= 1.12).
    engine_streams: bool = False
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
            cache_file = self.runs_root.parent / "sources.json"
            self._sources = unit_sources(self.stack_dir, self.discovered, self.terragrunt, self.env, cache_file)
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

    def command_line(self, command: str) -> str:
        """The `orch COMMAND` that repeats this run on the same stack and selection."""
        return f"orch {command} {self.where} {self.selection.describe()}".strip()

    def state_objects_exist(self, units: list[str]) -> bool:
        """Whether each of `units` (and every unit it depends on) has its state object in the environment's
        state bucket, where environments/LIVE/settings.hcl keeps it: `<key_prefix>/<unit>/terraform.tfstate`.

        Then Terragrunt can read dependency outputs from the state objects themselves
        (`--dependency-fetch-output-from-state`) instead of running `tofu output` in each dependency's
        working directory, which a unit planned at the same moment may be regenerating; a missing
        object would fail there instead of falling back to the dependency's mock outputs. False for a
        `--dir` stack, without AWS, or when any object is missing or cannot be read.
        """
        if not self.env_name or not self.session.has_aws():
            return False
        from orchestrator.config import load_env

        state = load_env(self.env_name).state
        wanted = dependencies_closure(self.graph, set(units))
        from botocore.exceptions import BotoCoreError, ClientError  # only for runs on an environment

        client = self.session.client("s3")
        prefix = state.key_prefix.strip("/")
        keys = {"/".join(filter(None, [prefix, Path(unit).name, "terraform.tfstate"])) for unit in wanted}
        found: set[str] = set()
        try:
            # One listing (the S3 backend needs s3:ListBucket anyway), not a request per unit.
            pages = client.get_paginator("list_objects_v2").paginate(
                Bucket=state.bucket, Prefix=f"{prefix}/" if prefix else ""
            )
            for page in pages:
                found.update(str(o["Key"]) for o in page.get("Contents", []))
        except (BotoCoreError, ClientError):  # forbidden, unreachable: the ordered run reads them
            return False
        return keys <= found

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


def build_env(session: RunSession, engine: str | None = None) -> dict[str, str]:
    """The environment of every Terragrunt and engine process of a run."""
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
        from orchestrator.config import available_envs, env_dir

        path = env_dir(env_name, repo_root)
        if not path.is_dir():
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
    # --engine, else ORCH_ENGINE / TG_TF_PATH, else tofu; at a supported version
    engine_info = require_engine(engine)
    # Discovery and selection first (cheap, offline): a wrong --layer fails before any AWS call.
    discovery_env = build_env(session or RunSession(), engine)
    selection = selection or Selection(all=True)
    ws = Workspace(
        stack_dir=directory,
        env_name=env_name,
        selection=selection,
        discovered=discover(directory, terragrunt, discovery_env),
        selected=[],
        runs_root=runs_root or runs.default_runs_root(directory, env_name, repo_root),
        terragrunt=terragrunt,
        env=discovery_env,
        engine_streams=engine_info.name == "tofu" and engine_info.version_tuple >= JSON_INTO_SINCE,
    )
    ws.selected = _selected_units(ws) if select else ws.graph.paths
    if session is None:
        env_cfg: EnvConfig | None = None
        if env_name is not None:
            from orchestrator.config import load_env

            env_cfg = load_env(env_name)
        session = open_session(env_cfg, local=local, profile=profile, guard=guard and env_cfg is not None)
        if env_cfg is not None and guard:
            _require_access(ws, env_cfg, session, local=local)
    ws.session = session
    ws.env = build_env(session, engine)
    return ws


def _selected_units(ws: Workspace) -> list[str]:
    """The units the selection names (--changed-since: those whose files or module sources changed)."""
    changed: set[str] | None = None
    if ws.selection.changed_since:
        files = changed_files(ws.stack_dir, ws.selection.changed_since)
        sources = {unit: [_relpath(p, ws.stack_dir) for p in paths] for unit, paths in ws.sources().items()}
        reads = {unit: [*f.includes, *f.reading] for unit, f in ws.discovered.files.items()}
        changed = units_for_files(ws.graph, files, sources, reads)
    return select_units(ws.graph, ws.selection, changed)


def _require_access(ws: Workspace, env_cfg: EnvConfig, session: RunSession, *, local: bool) -> None:
    """Before any unit runs: the state bucket exists, and a run on the cluster may reach it."""
    from orchestrator.aws.backend import require_state_bucket  # botocore: loaded only for runs on an environment

    require_state_bucket(env_cfg, session, local=local)
    if _manages_a_cluster(ws):
        require_cluster_access(
            env_cfg,
            caller_arn=session.caller_arn,
            account_id=session.account_id,
            units=[ws.stack_dir / path for path in ws.selected],
            includes=_included_files(ws),
        )


def _manages_a_cluster(ws: Workspace) -> bool:
    """The stack has a unit that talks to the Kubernetes API (then env.yaml must grant access)."""
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
