"""A run's units through one `terragrunt run --all` (delegate.py): orch serves each unit's engine
steps with the run's per-unit work, then settles the units Terragrunt never handed over
(skipped below a failure, failed in Terragrunt's own evaluation, stopped by --timeout or Ctrl-C)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from orchestrator.redact import redact
from orchestrator.runs.delegate import Delegation
from orchestrator.runs.engine_server import Request
from orchestrator.runs.results import Result, UnitResult, finished
from orchestrator.runs.scheduler import run_unit
from orchestrator.runs.steps import first_engine_error, one_line_cause
from orchestrator.terragrunt import CallResult
from orchestrator.workdir import terragrunt_copies_dir

if TYPE_CHECKING:
    from orchestrator.runs.context import RunContext, UnitWork

#: How a delegated unit's timeout error says it came before any engine step (no state lock held).
PREPARING = "while Terragrunt prepared it (dependency outputs, init, hooks; before its engine step)"


def run_delegated(
    ctx: RunContext,
    work: UnitWork,
    waits_for: dict[str, set[str]],
    order: list[str],
    command: str,
    skip_below_failures: bool = True,
    extra_args: list[str] | None = None,
) -> dict[str, UnitResult]:
    """One `terragrunt run --all -- COMMAND` over `order`; orch serves each unit's engine steps."""
    ctx.forget_stale_locks(order)
    results: dict[str, UnitResult] = {}
    if not order:
        return results
    ctx.delegation = delegation = _delegation(ctx, work, set(order), results)
    rc = delegation.run(
        command,
        order,
        parallelism=ctx.opts.parallelism,
        fail_fast=ctx.opts.fail_fast,
        ignore_errors=not skip_below_failures,
        extra_args=extra_args,
    )
    first_failure: str | None = None
    for unit in order:
        if unit in results:
            if results[unit].failed and first_failure is None:
                first_failure = unit
            continue
        result = _unserved(ctx, delegation, unit, results, waits_for, rc, first_failure, skip_below_failures)
        if result.failed and first_failure is None:
            first_failure = unit
        if unit in delegation.begun:
            result.started_at = result.started_at or ctx.started.get(unit)
            ctx.end(unit, result)
        results[unit] = finished(result)
        ctx.progress.event(unit, "finish", result)
    return {p: results[p] for p in order if p in results}


def _delegation(ctx: RunContext, work: UnitWork, wanted: set[str], results: dict[str, UnitResult]) -> Delegation:
    """The Delegation of this run: `work` serves each wanted unit's engine step, once, into `results`."""

    def serve(unit: str, request: Request) -> int:
        if unit not in wanted or unit in results:
            return 1
        ctx.requests[unit] = request
        ctx.begin(unit, progress=True)  # already done if Terragrunt's records named the unit
        result = run_unit(lambda path: work(ctx, path), unit)
        if result.result == Result.NOT_RUN and ctx.tg.cancelled.is_set():
            # Interrupted after Terragrunt began the unit (init, hooks), before its engine step:
            # as in a per-unit run, where that Terragrunt process is interrupted.
            result.result, result.error, result.reason = Result.INTERRUPTED, "interrupted", None
        ctx.end(unit, result)
        results[unit] = result
        ctx.progress.event(unit, "finish", result)
        return 0 if result.ok else 1

    credentials = None
    if ctx.ws.session.env.get("ORCH_ROLE_ASSUMED"):

        def credentials() -> dict[str, str]:
            ctx.refresh_credentials()
            return {k: v for k, v in ctx.ws.session.env.items() if k.startswith("AWS_")}

    download = ctx.tg.env.get("TG_DOWNLOAD_DIR")
    return Delegation(
        terragrunt=ctx.ws.terragrunt,
        engine=ctx.tg.engine,
        stack_dir=ctx.ws.stack_dir,
        env=ctx.tg.env,
        unit_dirs={p: ctx.unit_dir(p) for p in ctx.ws.graph.paths},
        copies_dir=lambda d: terragrunt_copies_dir(d, download),
        serve=serve,
        log_for=lambda unit: ctx.log(unit) if unit is not None else ctx.run_dir / "terragrunt.log",
        redact=lambda text: redact(text, ctx.tg.secrets),
        register=ctx.tg.track,
        verbose=ctx.progress.verbose_line if ctx.opts.verbose else None,
        credentials=credentials,
        on_begin=lambda unit: ctx.begin(unit, progress=True),
        unit_timeout=ctx.opts.unit_timeout,
    )


def _unserved(
    ctx: RunContext,
    delegation: Delegation,
    unit: str,
    results: dict[str, UnitResult],
    waits_for: dict[str, set[str]],
    rc: int,
    first_failure: str | None,
    skip_below_failures: bool,
) -> UnitResult:
    """The result of a unit whose engine step never reached orch, from what Terragrunt and orch saw."""
    entry = delegation.report.get(unit) or {}
    outcome = str(entry.get("Result", "")).lower()
    bad = [d for d in sorted(waits_for.get(unit, ())) if d in results and not results[d].ok]
    log = ctx.rel(ctx.log(unit))
    if unit in delegation.timed_out:
        # No engine step of the unit had started, so it held no state lock.
        error = (
            f"timed out after {ctx.opts.unit_timeout:g}s (--timeout) {PREPARING}; "
            f"stopped with {delegation.timed_out[unit]}"
        )
        return UnitResult(path=unit, result=Result.FAILED, log=log, error=error)
    if ctx.tg.cancelled.is_set() and unit in delegation.begun:
        # Terragrunt was working on it (a hook, init) when the run was interrupted.
        return UnitResult(path=unit, result=Result.INTERRUPTED, error="interrupted", log=log)
    if ctx.tg.cancelled.is_set():
        return UnitResult(path=unit, result=Result.NOT_RUN, reason="interrupted before it started")
    if bad and skip_below_failures:
        return UnitResult(path=unit, result=Result.SKIPPED, reason=f"{bad[0]} {results[bad[0]].result.value}")
    if outcome == "failed" or (not entry and rc != 0 and first_failure is None):
        return _failed_in_terragrunt(ctx, unit, entry, rc)
    if ctx.opts.fail_fast and first_failure is not None:
        return UnitResult(path=unit, result=Result.NOT_RUN, reason=f"--fail-fast: stopped after {first_failure} failed")
    return UnitResult(path=unit, result=Result.NOT_RUN, reason=f"terragrunt: {outcome or 'not started'}")


def _failed_in_terragrunt(ctx: RunContext, unit: str, entry: dict[str, object], rc: int) -> UnitResult:
    """A unit Terragrunt failed before its engine step: the cause from its report, else from the logs."""
    log = ctx.log(unit) if ctx.log(unit).exists() else ctx.run_dir / "terragrunt.log"
    result = UnitResult(path=unit, result=Result.FAILED, log=ctx.rel(ctx.log(unit)))
    cause = redact(str(entry.get("Cause") or ""), ctx.tg.secrets).strip()
    if cause:
        # Terragrunt logs a unit's own failure (a missing module source, an HCL error)
        # without naming the unit; its report does, with the cause.
        reason = redact(str(entry.get("Reason") or "failed"), ctx.tg.secrets)
        result.error = f"terragrunt {reason}: {one_line_cause(cause)}"
        ctx.log(unit).parent.mkdir(parents=True, exist_ok=True)
        with ctx.log(unit).open("a", encoding="utf-8") as handle:
            handle.write(f"ERROR terragrunt {reason}:\n{cause}\n")
    else:
        call = CallResult(args=["terragrunt"], returncode=rc or 1)
        result.error = first_engine_error(log, call, unit, ctx.opts.unit_timeout)
    return result
