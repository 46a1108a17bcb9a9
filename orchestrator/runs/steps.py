"""A unit's engine steps within a run: plan (saved plan and its JSON), apply of a saved plan, and the
error an engine call failed with. Each takes the run (RunContext) and the unit's path.

Per-unit runs call `terragrunt plan|apply` in the unit; in a delegated run Terragrunt has
prepared the unit's working directory and environment (RunContext.requests) and orch runs the
engine there itself, with the arguments Terragrunt would have added and its retries.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from orchestrator import provider_locks
from orchestrator.aws.cluster_access import access_entry_hint
from orchestrator.planfile import PlanSummary, summarize
from orchestrator.planfile.stream import StreamedPlan, read_stream
from orchestrator.redact import redact
from orchestrator.runs import store as runs
from orchestrator.runs.engine_server import Request
from orchestrator.runs.engine_shortcuts import publish_outputs, skipped_init, take_skipped_init
from orchestrator.runs.results import Result, UnitResult, now
from orchestrator.terragrunt import CallResult
from orchestrator.workdir import latest_initialised_dir

if TYPE_CHECKING:
    from orchestrator.runs.context import RunContext

#: Terragrunt's own words when it hands mock outputs to a unit (WARN level, always logged).
MOCK_MARKER = "mock outputs provided and returning those"

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


def engine_call(
    ctx: RunContext, path: str, args: list[str], *, capture: bool = False, approve: Callable[[], bool] | None = None
) -> CallResult:
    """`terragrunt ARGS` in the unit; in a delegated run, the engine itself where Terragrunt prepared it.

    `approve` (delegated runs only): answers the approval prompt of an `apply` without a plan file.
    """
    ctx.refresh_credentials()
    request = ctx.requests.get(path)
    if request is not None:
        return _served_call(ctx, path, args, request, capture, approve)
    assert approve is None, "an approval prompt is answered only where orch runs the engine itself"
    log = ctx.log(path)
    for attempt in (1, 2):
        log_before = log.stat().st_size if log.exists() else 0
        call = ctx.tg.run(
            ctx.unit_dir(path), args, log, label=path, capture_stdout=capture, timeout=ctx.time_left(path)
        )
        if call.ok or call.interrupted or call.timed_out or attempt == 2 or not _lost_cache_race(log, log_before):
            return call
        with log.open("a", encoding="utf-8") as handle:
            handle.write("orch: the provider cache was being filled by another unit at that moment; once more\n")
    return call


#: OpenTofu 1.12 with Terragrunt's shared provider cache: when units install the same provider at the
#: same moment, one of them can fail (gruntwork-io/terragrunt#6230). The provider is then in the cache,
#: so a second try (Terragrunt's init failed before any plan or apply) succeeds.
PROVIDER_CACHE_RACE = re.compile(r"Failed to install provider.*is still not detected in", re.S)


def _lost_cache_race(log: Path, since: int) -> bool:
    with log.open(errors="replace") as handle:
        handle.seek(since)
        return PROVIDER_CACHE_RACE.search(handle.read()) is not None


def _served_call(
    ctx: RunContext,
    path: str,
    args: list[str],
    request: Request,
    capture: bool,
    approve: Callable[[], bool] | None = None,
) -> CallResult:
    call = _served_attempts(ctx, path, args, request, capture, approve)
    delegation = ctx.delegation
    if delegation is None or delegation.token is None or delegation.answers is None:
        return call
    # Only a step that changes nothing is tried again (an apply of a saved plan follows a plan in the
    # same directory, which did any init it needed).
    changes_nothing = args[0] == "plan" or "-refresh-only" in args
    failed = changes_nothing and not call.ok and not (call.interrupted or call.timed_out)
    if failed and take_skipped_init(request.cwd, delegation.token) and _init_after_all(ctx, path, request).ok:
        call = _served_attempts(ctx, path, args, request, capture)
    if call.ok and args[0] in ("plan", "apply"):
        # Dependents read this unit's outputs next: from its local state file, without `tofu output`.
        publish_outputs(delegation.answers, request.cwd, request.env)
    return call


def publish_prepared_outputs(ctx: RunContext, path: str) -> None:
    """In a delegated run, let the wrapper answer `output -json` for a unit served without an engine
    step (engine_shortcuts.py); its state is what Terragrunt's `tofu output` would read."""
    delegation, request = ctx.delegation, ctx.requests.get(path)
    if delegation is not None and delegation.answers is not None and request is not None:
        publish_outputs(delegation.answers, request.cwd, request.env)


def _init_after_all(ctx: RunContext, path: str, request: Request) -> CallResult:
    """The `init` the wrapper skipped (engine_shortcuts.py), run because the unit's step then failed."""
    log = ctx.log(path)
    with log.open("a", encoding="utf-8") as handle:
        handle.write("orch: the step failed after its init was skipped; running init, then the step once more\n")
    return ctx.tg.run_engine(
        request.cwd,
        ["init", "-input=false", *(["-no-color"] if ctx.tg.env.get("TG_NO_COLOR") else [])],
        log,
        label=path,
        env={**request.env, **ctx.ws.session.env},
        timeout=ctx.time_left(path),
    )


def _served_attempts(
    ctx: RunContext,
    path: str,
    args: list[str],
    request: Request,
    capture: bool,
    approve: Callable[[], bool] | None = None,
) -> CallResult:
    engine_args = [args[0], *(["-no-color"] if ctx.tg.env.get("TG_NO_COLOR") else []), *args[1:]]
    # The arguments Terragrunt gave the engine for this unit (extra_arguments: -var-file,
    # -lock-timeout, ...) go to every plan/apply step; a saved plan takes no variables.
    if args[0] in ("plan", "apply"):
        saved_plan = args[0] == "apply" and "-refresh-only" not in args and approve is None
        engine_args[1:1] = terragrunt_extra_args(request.args, drop_vars=saved_plan)
    # Steps that change nothing (plan, refresh-only) are retried on the transient errors
    # Terragrunt itself retries (its defaults), as `terragrunt plan` did per unit.
    retriable = args[0] == "plan" or "-refresh-only" in args
    log = ctx.log(path)
    for attempt in range(1, RETRY_ATTEMPTS + 1):
        log_before = log.stat().st_size if log.exists() else 0
        # Terragrunt's environment for this unit (inputs, dependency outputs) + current credentials.
        env = {**request.env, **ctx.ws.session.env}
        call = ctx.tg.run_engine(
            request.cwd,
            engine_args,
            log,
            label=path,
            capture_stdout=capture,
            env=env,
            timeout=ctx.time_left(path),
            approve=approve,
        )
        if call.ok or call.interrupted or call.timed_out or not retriable or attempt == RETRY_ATTEMPTS:
            return call
        with log.open(errors="replace") as handle:
            handle.seek(log_before)
            if not any(p.search(handle.read()) for p in RETRYABLE):
                return call
        if ctx.tg.cancelled.wait(RETRY_SLEEP):
            return call
        ctx.refresh_credentials()
    return call


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


def workdir(ctx: RunContext, path: str) -> Path:
    """Where Terragrunt ran the engine for this unit: the unit, or its .terragrunt-cache copy.

    Called right after a Terragrunt call in that unit, so the most recently used
    initialised directory is the one (`terragrunt info print` would say the same but
    prints nothing while a dependency has no outputs, and costs a process per unit).
    """
    if path in ctx.requests:
        return ctx.requests[path].cwd
    return latest_initialised_dir(ctx.unit_dir(path), ctx.tg.env.get("TG_DOWNLOAD_DIR"))


def plan_unit(ctx: RunContext, path: str, *, name: str = "tfplan", extra: list[str] | None = None) -> UnitResult:
    """`plan -out` (and, when needed, `show -json`); returns CHANGES/NO_CHANGES/FAILED with summary.

    With OpenTofu's UI stream (`-json-into`), a plan without drift is summarised from the stream
    and `show -json` (a second engine process that loads every provider) runs only when the plan
    has drift to classify, or changes a person reviews (RunContext.plan_json_for_changes).
    """
    started = now()
    out = ctx.out_dir(path)
    out.mkdir(parents=True, exist_ok=True)
    planfile = out / name
    stream = out / f"{name}.ui.jsonl" if ctx.ws.engine_streams else None
    result = UnitResult(path=path, started_at=started, log=ctx.rel(ctx.log(path)))
    log_before = ctx.log(path).stat().st_size if ctx.log(path).exists() else 0
    if path in ctx.requests:
        # Delegated: Terragrunt logged its evaluation of this unit (mock outputs) before
        # handing the engine step over; those records are already in the log.
        log_before = 0
    args = ["plan", "-input=false", f"-out={planfile}", *(extra or [])]
    try:
        call = engine_call(ctx, path, [*args, f"-json-into={stream}"] if stream else args)
        with ctx.log(path).open(errors="replace") as handle:
            handle.seek(log_before)
            result.used_mocks = MOCK_MARKER in handle.read()
        if not call.ok:
            result.result = Result.INTERRUPTED if call.interrupted else Result.FAILED
            result.error = error_text(ctx, path, call)
            return result
        streamed = _streamed_plan(stream)
    finally:
        if stream is not None:
            stream.unlink(missing_ok=True)
    shown = streamed is None or streamed.drifted or (streamed.summary.has_changes and ctx.plan_json_for_changes)
    if streamed is not None and not shown:
        return _plan_result(ctx, planfile, result, streamed.summary)
    return _read_plan(ctx, path, planfile, result)


def _streamed_plan(stream: Path | None) -> StreamedPlan | None:
    if stream is None:
        return None
    try:
        with stream.open(errors="replace") as lines:
            return read_stream(lines)
    except OSError:
        return None


def _plan_result(ctx: RunContext, planfile: Path, result: UnitResult, summary: PlanSummary) -> UnitResult:
    result.summary = summary
    result.plan_file = ctx.rel(planfile)
    result.plan_sha256 = runs.file_sha256(planfile)
    result.result = Result.CHANGES if summary.has_changes else Result.NO_CHANGES
    return result


def _read_plan(ctx: RunContext, path: str, planfile: Path, result: UnitResult) -> UnitResult:
    """`show -json` of the saved plan: its summary, and the plan JSON (redacted) beside it."""
    request = ctx.requests.get(path)
    show = ctx.tg.run_engine(
        workdir(ctx, path),
        ["show", "-json", str(planfile)],
        ctx.log(path),
        label=path,
        capture_stdout=True,
        timeout=ctx.time_left(path),
        env=None if request is None else {**request.env, **ctx.ws.session.env},
    )
    if not show.ok:
        result.result = Result.INTERRUPTED if show.interrupted else Result.FAILED
        result.error = error_text(ctx, path, show)
        return result
    try:
        plan_json = json.loads(show.stdout)
    except json.JSONDecodeError as exc:
        result.result = Result.FAILED
        result.error = f"show -json printed invalid JSON: {exc}"
        return result
    json_path = planfile.parent / (f"{planfile.name}.json" if planfile.name != "tfplan" else "plan.json")
    json_path.write_text(redact(json.dumps(plan_json, indent=1), ctx.tg.secrets))
    result.plan_json = ctx.rel(json_path)
    return _plan_result(ctx, planfile, result, summarize(plan_json))


def plan_and_apply_unit(ctx: RunContext, path: str, check: Callable[[UnitResult], bool]) -> UnitResult | None:
    """Plan and apply a unit in one engine process: `apply` without a plan file, answered by orch.

    For units planned during an apply (deferred, or re-planned with their dependencies' new
    outputs), in delegated runs with OpenTofu's UI stream. OpenTofu plans, writes the plan to
    the stream (`-json-into`) and asks "Do you want to perform these actions?". orch reads the
    plan there, as plan_unit() reads a plan's stream, and `check` decides with the same checks a
    saved plan passes (no mock outputs, nothing destroyed without --allow-destroy): "yes"
    applies exactly that plan, in the same process; "no" applies nothing. This saves the second
    engine process (configuration, state and providers loaded again) of plan -out + apply.

    Returns None, with nothing applied, when the unit must go the two-process way instead: the
    plan shows drift (classifying it needs the plan JSON) or its stream cannot be read, or the
    engine failed before asking in a way that path recovers from (a skipped init, an error
    Terragrunt retries).
    """
    out = ctx.out_dir(path)
    out.mkdir(parents=True, exist_ok=True)
    stream = out / "apply.ui.jsonl"
    log = ctx.log(path)
    result = UnitResult(path=path, started_at=now(), log=ctx.rel(log))
    unreadable: list[bool] = []

    def approve() -> bool:
        streamed = _streamed_plan(stream)
        if streamed is None or streamed.drifted:
            unreadable.append(True)
            return False
        # Delegated: Terragrunt logged its evaluation of this unit (mock outputs) before handing over.
        result.used_mocks = MOCK_MARKER in log.read_text(errors="replace")
        result.summary = streamed.summary
        result.result = Result.CHANGES if streamed.summary.has_changes else Result.NO_CHANGES
        return check(result)

    log_before = log.stat().st_size if log.exists() else 0
    try:
        call = engine_call(ctx, path, ["apply", "-input=false", f"-json-into={stream}"], approve=approve)
        streamed = _streamed_plan(stream) if call.approved is None else None
    finally:
        stream.unlink(missing_ok=True)
    if call.interrupted:
        result.result = Result.INTERRUPTED
    elif call.approved:
        result.result = Result.APPLIED if call.ok else Result.FAILED
    elif call.approved is False:
        if unreadable:
            _note(log, "orch: the plan shows drift, or its stream could not be read: planning to a file instead")
            return None
        # Refused: `check` said why; the engine answered "Apply cancelled." and changed nothing.
        _note(log, f"orch: refused: {result.error}")
    elif call.ok:  # the engine had nothing to ask about
        result.summary = streamed.summary if streamed is not None else PlanSummary()
        result.result = Result.NO_CHANGES
    elif call.timed_out:
        result.result = Result.FAILED
    elif _recoverable(ctx, path, log, log_before):
        _note(log, "orch: failed before asking for approval; planning to a file, then applying that plan")
        return None
    else:
        result.result = Result.FAILED
    if result.result in (Result.FAILED, Result.INTERRUPTED):
        result.error = error_text(ctx, path, call)
    return result


def _note(log: Path, text: str) -> None:
    with log.open("a", encoding="utf-8") as handle:
        handle.write(text + "\n")


def _recoverable(ctx: RunContext, path: str, log: Path, since: int) -> bool:
    """Whether plan_unit() (then the apply of its plan) may succeed where a combined call failed
    before asking: its init was skipped, or the error is one the plan step retries."""
    delegation, request = ctx.delegation, ctx.requests.get(path)
    token = None if delegation is None else delegation.token
    if token is not None and request is not None and skipped_init(request.cwd, token):
        return True
    with log.open(errors="replace") as handle:
        handle.seek(since)
        text = handle.read()
    return PROVIDER_CACHE_RACE.search(text) is not None or any(p.search(text) for p in RETRYABLE)


def apply_saved_plan(ctx: RunContext, path: str, planfile: Path) -> CallResult:
    return engine_call(ctx, path, ["apply", "-input=false", str(planfile)])


def error_text(ctx: RunContext, path: str, call: CallResult) -> str:
    """The engine's first error with its detail lines (from this call's part of the unit's log)."""
    return first_engine_error(ctx.log(path), call, path, ctx.opts.unit_timeout)


def first_engine_error(log: Path, result: CallResult, path: str, unit_timeout: float | None) -> str:
    """What a failed call says went wrong: its first error and detail lines in `log`, with a hint
    when the error is one orch knows how to fix; or that it was interrupted or timed out."""
    if result.interrupted:
        return "interrupted"
    if result.timed_out:
        return (
            f"timed out after {unit_timeout:g}s (--timeout) in `{' '.join(result.args[:1])}`; "
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
    header = next((i for i in range(len(lines) - 1, -1, -1) if _MULTI_ERROR_HEADER.fullmatch(lines[i].strip())), None)
    if start is None and header is not None:
        # No engine error, but Terragrunt's closing error text (a hook, a source, a dependency).
        block = itertools.takewhile(lambda ln: not ln.startswith("# exit "), lines[header + 1 :])
        picked = [one_line_cause("\n".join(block))]
    elif start is None:
        picked = [ln for ln in lines if ln.strip() and not ln.startswith(("TIP", "# exit "))][-6:]
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


#: The header of Terragrunt's multi-error text (internal/multierror: "error occurred:", "2 errors occurred:").
_MULTI_ERROR_HEADER = re.compile(r"(?:\d+ errors|error) occurred:")


def one_line_cause(cause: str) -> str:
    """Terragrunt's error text on one line: without its multi-error header, bullets and the
    engine's box drawing, from the engine's first `Error:` line when there is one (8 lines at most)."""
    lines = []
    for raw in cause.splitlines():
        line = raw.strip().lstrip("*│╷╵ ").strip()
        if line and not _MULTI_ERROR_HEADER.fullmatch(line):
            lines.append(line)
    start = next((i for i, line in enumerate(lines) if line.startswith("Error:")), 0)
    return " | ".join(lines[start : start + 8]) or "no cause given"


_LOG_PREFIX = re.compile(r"^\d\d:\d\d:\d\d\.\d+\s+(?:(?:STDOUT|STDERR)\s+\S+:\s?|(?:ERROR|WARN|INFO)\s+)?")


def _strip_log_prefix(line: str) -> str:
    """`04:04:53.813 STDERR tofu: Error: x` → `Error: x`."""
    return _LOG_PREFIX.sub("", line, count=1)
