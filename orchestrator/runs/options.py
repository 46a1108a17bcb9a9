"""How a run runs: parallelism, failure handling, engine, progress, --timeout, delegation."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from orchestrator import settings
from orchestrator.runs.unit_processes import can_watch_units


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
        wanted = self.delegate if self.delegate is not None else not settings.per_unit_runs()
        return wanted and (self.unit_timeout is None or can_watch_units())
