"""Faults during runs (issue 16): the run lock, `orch unlock`, a killed apply, --timeout, a second
Ctrl-C, swapped plan files, unwritable run records.

Each test drives the `orch` command as Jenkins does (a subprocess, no TTY) on terraform_data stacks:
`dag` (local state) or `s3-locked` (state and OpenTofu's S3 lockfile in a moto server), so the
state locks are the engine's own.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest

from tests.helpers import FIXTURES, copy_stack, start_orch
from tests.helpers import run_orch as orch

pytestmark = pytest.mark.engines

BUCKET = "orch-test-state"


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "ORCH_FIXTURE", "ORCH_RUNS"))}
    env.update(ORCH_STATE_DIR=str(tmp_path / "state"), **extra)
    return env


def _children(pid: int) -> list[int]:
    """Every descendant of pid (from /proc), deepest last."""
    parents: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        ppid = int(text[text.rindex(")") + 2 :].split()[1])
        parents.setdefault(ppid, []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def _kill_tree(proc: subprocess.Popen[str]) -> None:
    """SIGKILL orch and everything it started, as a lost Jenkins agent or an OOM kill of the job does."""
    for pid in [proc.pid, *_children(proc.pid)]:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    proc.communicate(timeout=30)


def _wait_for_log(runs: Path, unit: str, text: str, proc: subprocess.Popen[str], timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any(text in log.read_text(errors="replace") for log in runs.glob(f"*/{unit}/terragrunt.log")):
            return
        if proc.poll() is not None:
            pytest.fail(f"orch ended before {unit} logged {text!r}: {proc.communicate()}")
        time.sleep(0.2)
    proc.kill()
    pytest.fail(f"{unit} never logged {text!r}")


def _latest_report(runs: Path, command: str) -> dict:
    for run in sorted(runs.iterdir(), reverse=True):
        path = run / "report.json"
        if path.is_file():
            report = json.loads(path.read_text())
            if report["command"] == command:
                return report
    raise AssertionError(f"no {command} report under {runs}")


def _one_error_line(stderr: str) -> str:
    lines = [ln for ln in stderr.splitlines() if ln.startswith("error:")]
    assert len(lines) == 1 and "Traceback" not in stderr, stderr
    return lines[0]


@pytest.fixture
def s3_stack(tmp_path: Path, moto_endpoint: str) -> tuple[Path, dict[str, str], object]:
    import boto3

    s3 = boto3.client(
        "s3",
        endpoint_url=moto_endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    s3.create_bucket(Bucket=BUCKET)
    stack = copy_stack("s3-locked", tmp_path)
    env = _env(tmp_path, ORCH_TEST_AWS_ENDPOINT=moto_endpoint, ORCH_TEST_STATE_BUCKET=BUCKET)
    return stack, env, s3


def _state_locks(s3: object) -> list[str]:
    listed = s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])  # type: ignore[attr-defined]
    return sorted(o["Key"] for o in listed if o["Key"].endswith(".tflock"))


@pytest.mark.emulator
def test_a_second_apply_is_refused_and_a_killed_apply_is_named_and_unlocked(s3_stack) -> None:
    """Faults 2 and 3: the run lock refuses a concurrent apply before any engine starts; after
    SIGKILL the next run names the dead run and its unit, `orch unlock` releases the engine's
    S3 state lock and the run lock, and the next apply finishes the job."""
    stack, env, s3 = s3_stack
    runs = stack / ".orch" / "runs"
    first = start_orch(
        "apply",
        "--dir",
        str(stack),
        "--all",
        "--auto-approve",
        env={**env, "ORCH_FIXTURE_SLOW": "b", "ORCH_FIXTURE_SLEEP": "300"},
    )
    _wait_for_log(runs, "b", "Executing", first)  # b's apply holds b's state lock now
    assert _state_locks(s3) == ["b/terraform.tfstate.tflock"]
    first_run = json.loads((stack / ".orch" / "run.lock.json").read_text())["run_id"]
    before = set(os.listdir(runs))

    second = orch("apply", "--dir", str(stack), "--all", "--auto-approve", env=env)
    line = _one_error_line(second.stderr)
    assert second.returncode == 1
    assert f"is locked by run {first_run}" in line and f"pid {first.pid}" in line, line
    assert f"host {socket.gethostname()}" in line and "still running; nothing started" in line, line
    assert set(os.listdir(runs)) == before, "the refused run started something"

    refused = orch("unlock", "--dir", str(stack), env=env)
    assert refused.returncode == 1 and "still running on this machine; nothing unlocked" in refused.stderr

    _kill_tree(first)
    assert _state_locks(s3) == ["b/terraform.tfstate.tflock"], "the kill should orphan b's state lock"

    after_kill = orch("apply", "--dir", str(stack), "--all", "--auto-approve", env=env)
    line = _one_error_line(after_kill.stderr)
    assert after_kill.returncode == 1
    assert f"run {first_run}" in line and "was killed without releasing the run lock" in line, line
    assert "it was running b" in line, line
    assert f"orch unlock --dir {stack} --unit b" in after_kill.stderr, after_kill.stderr

    released = orch("unlock", "--dir", str(stack), "--unit", "b", env=env)
    assert released.returncode == 0, released.stderr
    assert "b: released state lock" in released.stderr and f"released the run lock of run {first_run}" in (
        released.stderr
    )
    assert _state_locks(s3) == [] and not (stack / ".orch" / "run.lock.json").exists()

    resumed = orch("apply", "--dir", str(stack), "--all", "--auto-approve", env=env)
    assert resumed.returncode == 0, resumed.stderr
    results = {u["path"]: u["result"] for u in _latest_report(runs, "apply")["units"]}
    assert results["b"] == "applied", results
    assert _state_locks(s3) == [] and not (stack / ".orch" / "run.lock.json").exists()


@pytest.mark.emulator
def test_a_unit_that_hangs_is_stopped_by_its_timeout_and_its_lock_released(s3_stack) -> None:
    """Fault 11: --timeout stops the hung unit with SIGINT (the engine releases its state lock),
    the unit fails naming the timeout, the run lock is released, the next apply works."""
    stack, env, s3 = s3_stack
    runs = stack / ".orch" / "runs"
    first = orch("apply", "--dir", str(stack), "--all", "--auto-approve", env=env)
    assert first.returncode == 0, first.stderr

    started = time.monotonic()
    hung = orch(
        "apply",
        "--dir",
        str(stack),
        "--all",
        "--auto-approve",
        "--timeout",
        "25s",
        env={**env, "ORCH_FIXTURE_SLOW": "b", "ORCH_FIXTURE_SLEEP": "600", "ORCH_STOP_GRACE": "30"},
        timeout=300,
    )
    assert hung.returncode == 1 and "Traceback" not in hung.stderr, hung.stderr
    assert time.monotonic() - started < 240, "the hung unit was not stopped"
    unit = next(u for u in _latest_report(runs, "apply")["units"] if u["path"] == "b")
    assert unit["result"] == "failed" and "timed out after 25s (--timeout)" in unit["error"], unit
    assert "stopped with SIGINT" in unit["error"], unit
    assert _state_locks(s3) == [], "the stopped engine left its state lock"
    assert not (stack / ".orch" / "run.lock.json").exists()
    # The state is consistent: it records the half-made resource (tainted), so the next apply
    # without the slow resource shows its delete, behind --allow-destroy like every delete.
    again = orch("apply", "--dir", str(stack), "--all", "--auto-approve", env=env)
    assert again.returncode == 1 and "b: delete terraform_data.slow[0]" in again.stderr, again.stderr
    again = orch("apply", "--dir", str(stack), "--all", "--auto-approve", "--allow-destroy", env=env)
    assert again.returncode == 0, again.stderr


@pytest.mark.parametrize("mode", ["run-all", "per-unit"])
def test_a_second_ctrl_c_forces_the_engines_to_stop(dag_stack: Path, tmp_path: Path, mode: str) -> None:
    """Fault 1b: a unit that does not stop on the first Ctrl-C (ORCH_FIXTURE_STUBBORN: a
    Terragrunt hook that ignores SIGINT, and Terragrunt waits for it) is stopped by the second
    one (SIGTERM to its process group); the report says interrupted (exit 130), the run lock is
    released and the next apply completes the stack. Both run modes: in a delegated run the hook
    runs inside the one `terragrunt run --all`, before orch is handed the unit's engine step."""
    env = _env(tmp_path, ORCH_FIXTURE_STUBBORN="20-c", ORCH_RUN_MODE=mode)
    proc = start_orch("apply", "--dir", str(dag_stack), "--all", "--auto-approve", env=env)
    runs = dag_stack / ".orch" / "runs"
    _wait_for_log(runs, "20-c", "stubborn hook", proc)
    proc.send_signal(signal.SIGINT)
    time.sleep(5)
    assert proc.poll() is None, "the stubborn engine stopped on the first Ctrl-C: nothing left to force"
    forced = time.monotonic()
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=90)
    # The hook would sleep 120 s; well under that means it was forced (not a speed bound: a loaded
    # two-core machine has taken 30 s to wind the run down).
    assert time.monotonic() - forced < 75, "the second Ctrl-C did not stop the engines"
    assert proc.returncode == 130 and "Traceback" not in stderr, stderr
    assert "forcing running engine processes to stop" in stderr, stderr
    report = _latest_report(runs, "apply")
    assert report["interrupted"] and "Resume with: orch apply" in report["resume"]
    assert {u["path"]: u["result"] for u in report["units"]}["20-c"] == "interrupted"
    assert not (dag_stack / ".orch" / "run.lock.json").exists()
    assert f"orch unlock --dir {dag_stack}" in report["resume"] and "--unit 20-c" in report["resume"]
    again = orch("apply", "--dir", str(dag_stack), "--all", "--auto-approve", env=_env(tmp_path, ORCH_RUN_MODE=mode))
    assert again.returncode == 0, again.stderr
    assert {u["path"]: u["result"] for u in _latest_report(runs, "apply")["units"]}["20-c"] == "applied"


def test_a_unit_that_hangs_before_its_engine_step_is_stopped_by_its_timeout(dag_stack: Path, tmp_path: Path) -> None:
    """Fault 11, delegated run: a unit that hangs while Terragrunt prepares it (a hook that ignores
    SIGINT, before its engine step reaches orch) is stopped by --timeout all the same: SIGINT, then
    SIGTERM after the grace; the unit fails naming the timeout, its dependents are skipped, the
    others finish, the journal closes the unit, and the next apply completes the stack."""
    runs = dag_stack / ".orch" / "runs"
    started = time.monotonic()
    hung = orch(
        "apply",
        "--dir",
        str(dag_stack),
        "--all",
        "--auto-approve",
        "--timeout",
        "40s",
        env=_env(tmp_path, ORCH_FIXTURE_STUBBORN="20-c", ORCH_STOP_GRACE="3", ORCH_RUN_MODE="run-all"),
        timeout=300,
    )
    assert hung.returncode == 1 and "Traceback" not in hung.stderr, hung.stderr
    assert time.monotonic() - started < 110, "the hook (120 s) was not stopped"
    report = _latest_report(runs, "apply")
    units = {u["path"]: u for u in report["units"]}
    error = units["20-c"]["error"] or ""
    assert units["20-c"]["result"] == "failed", units["20-c"]
    assert "timed out after 40s (--timeout) while Terragrunt prepared it" in error, error
    assert "stopped with SIGTERM" in error, error  # the hook ignores SIGINT
    assert units["30-f"]["result"] == "skipped" and units["20-d"]["result"] == "applied", units
    assert "unlock" not in (report.get("resume") or ""), "no engine step ran: no state lock to release"
    log = (runs / report["run_id"] / "20-c" / "terragrunt.log").read_text()
    assert "stubborn hook" in log and "# orch: timed out after 40s" in log, log
    journal = [json.loads(ln) for ln in (runs / report["run_id"] / "journal.jsonl").read_text().splitlines()]
    assert [e["event"] for e in journal if e.get("unit") == "20-c"] == ["start", "finish"]
    assert next(e for e in journal if e.get("unit") == "20-c" and e["event"] == "finish")["result"] == "failed"
    assert not (dag_stack / ".orch" / "run.lock.json").exists()
    again = orch("apply", "--dir", str(dag_stack), "--all", "--auto-approve", env=_env(tmp_path))
    assert again.returncode == 0, again.stderr


def test_a_lock_of_another_host_needs_force_unlock(dag_stack: Path, tmp_path: Path) -> None:
    """Fault 3: a lock whose holder ran elsewhere cannot be judged from here: refused with the
    --force-unlock hint; `apply --force-unlock` takes it and releases it at the end."""
    env = _env(tmp_path)
    lock = dag_stack / ".orch" / "run.lock.json"
    lock.parent.mkdir(parents=True)
    lock.write_text(
        json.dumps(
            {
                "run_id": "20261126T010203000000Z-abcdef",
                "command": "apply",
                "target": f"--dir {dag_stack}",
                "host": "jenkins-agent-7",
                "pid": 4242,
                "user": "jenkins",
                "started_at": "2026-11-26T01:02:03Z",
            }
        )
    )
    refused = orch("apply", "--dir", str(dag_stack), "--layer", "10-a", "--auto-approve", env=env)
    line = _one_error_line(refused.stderr)
    assert refused.returncode == 1 and "host jenkins-agent-7, pid 4242, user jenkins" in line, line
    assert "--force-unlock" in refused.stderr and not (dag_stack / "10-a/terraform.tfstate").exists()
    unlock = orch("unlock", "--dir", str(dag_stack), env=env)
    assert unlock.returncode == 1 and "on another host; nothing unlocked" in unlock.stderr, unlock.stderr
    forced = orch("apply", "--dir", str(dag_stack), "--layer", "10-a", "--auto-approve", "--force-unlock", env=env)
    assert forced.returncode == 0, forced.stderr
    assert (dag_stack / "10-a/terraform.tfstate").exists() and not lock.exists()


def test_a_swapped_plan_file_is_refused(dag_stack: Path, tmp_path: Path) -> None:
    """Fault 8: apply --run-id checks each saved plan's sha256 against the one recorded when it
    was planned and shown; another plan file in its place is refused, nothing applied."""
    env = _env(tmp_path)
    for _ in range(2):
        assert orch("plan", "--dir", str(dag_stack), "--layer", "10-a", env=env).returncode == 0
    runs = dag_stack / ".orch" / "runs"
    shown, other = sorted(p for p in runs.iterdir() if (p / "report.json").is_file())
    shutil.copy(other / "10-a" / "tfplan", shown / "10-a" / "tfplan")
    proc = orch("apply", "--dir", str(dag_stack), "--run-id", shown.name, "--auto-approve", env=env)
    line = _one_error_line(proc.stderr)
    assert proc.returncode == 1 and f"run {shown.name}: 10-a's saved plan" in line, line
    assert "is not the plan that was made and shown" in line, line
    assert not (dag_stack / "10-a/terraform.tfstate").exists(), "something was applied"


@pytest.mark.parametrize("case", ["a file in the way", "disk full"])
def test_unwritable_run_records_stop_the_run_before_any_engine(tmp_path: Path, case: str) -> None:
    """Fault 10: run records that cannot be written (a file where the directory should be, too
    little free space) refuse the run in one line before any engine starts."""
    stack = shutil.copytree(FIXTURES / "dag", tmp_path / "dag")
    extra: dict[str, str] = {}
    if case == "a file in the way":
        (tmp_path / "blocked").write_text("not a directory\n")
        extra["ORCH_RUNS_DIR"] = str(tmp_path / "blocked" / "runs")
    else:
        extra["ORCH_MIN_FREE_MB"] = str(10**12)  # more than any disk has: the free-space check must refuse
    for command in (["plan"], ["apply", "--auto-approve"]):
        proc = orch(command[0], "--dir", str(stack), "--layer", "10-a", *command[1:], env=_env(tmp_path, **extra))
        line = _one_error_line(proc.stderr)
        assert proc.returncode == 1 and "nothing started" in line, line
        assert ("cannot write run records" if case == "a file in the way" else "MB free under") in line, line
    assert not list(stack.rglob("terraform.tfstate")) and not list(stack.rglob(".terragrunt-cache"))
