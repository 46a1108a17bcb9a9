"""`orch validate`: `terragrunt validate -json` per unit, offline (no backend, no dependency state)."""

from __future__ import annotations

import json
from typing import Any

from orchestrator.runs.context import RunContext
from orchestrator.runs.options import RunOptions
from orchestrator.runs.results import Result, RunReport, UnitResult, finished, now
from orchestrator.runs.steps import engine_call, error_text
from orchestrator.runs.workspace import Workspace


def validate(ws: Workspace, opts: RunOptions | None = None) -> RunReport:
    """`terragrunt validate -json` per unit, without a backend (offline)."""
    opts = opts or RunOptions()
    with RunContext(ws, "validate", opts, ws.selected) as ctx:
        # Offline: no backend, and units read no dependency state (root.hcl turns ORCH_OFFLINE
        # into skip_outputs on every dependency block, so the typed mock outputs stand in).
        # Its own download dir: a unit's usual .terragrunt-cache remembers its S3 backend, which
        # `init -backend=false` would keep using (and ask credentials for).
        ctx.tg.env = {
            **ctx.tg.env,
            "ORCH_OFFLINE": "1",
            "TF_CLI_ARGS_init": "-backend=false -input=false",
            "TG_DOWNLOAD_DIR": str(ws.runs_root.parent / "validate-cache"),
        }
        results = ctx.schedule(_validate_unit, {})
        return ctx.finish(results, resume=ws.command_line("validate"))


def _validate_unit(ctx: RunContext, path: str) -> UnitResult:
    result = UnitResult(path=path, started_at=now(), log=ctx.rel(ctx.log(path)))
    # Terragrunt's auto-init runs as part of `validate`, so the dependencies' mock outputs
    # (allowed for validate) apply; TF_CLI_ARGS_init keeps that init off the backend.
    call = engine_call(ctx, path, ["validate", "-json"], capture=True)
    if call.interrupted:
        result.result = Result.INTERRUPTED
        result.error = "interrupted"
        return finished(result)
    try:
        data = json.loads(call.stdout[call.stdout.index("{") :])
    except (ValueError, json.JSONDecodeError):
        # No diagnostics (init failed, say): the error as a failed step gives it, whole, so that
        # its hint (a stale provider lock) is never cut off by the diagnostics' length limit.
        result.error = error_text(ctx, path, call)
        data = {"valid": False, "diagnostics": [{"severity": "error", "summary": result.error}]}
    result.diagnostics = data.get("diagnostics") or []
    result.result = Result.VALID if data.get("valid") and call.ok else Result.INVALID
    if result.result == Result.INVALID and not result.error:
        result.error = "; ".join(d.get("summary", "") for d in result.diagnostics)[:500] or "invalid"
    return finished(result)


def validate_json(report: RunReport) -> dict[str, list[dict[str, Any]]]:
    """What `orch validate --json` prints: each unit's validity and diagnostics."""
    return {
        "units": [
            {"path": u.path, "valid": u.result == Result.VALID, "diagnostics": u.diagnostics} for u in report.units
        ]
    }
