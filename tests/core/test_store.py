"""Run ids, unit slugs and the configuration fingerprint (what apply uses to reuse a plan run)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from orchestrator.runs import store as runs
from orchestrator.runs.results import Result, RunReport, UnitResult, now


def test_run_ids_sort_by_time() -> None:
    t = datetime(2026, 11, 26, 4, 0, tzinfo=UTC)
    ids = [runs.new_run_id(t + timedelta(microseconds=i)) for i in (3, 1, 2)]
    assert sorted(ids) == [ids[1], ids[2], ids[0]]
    assert ids[1].startswith("20261126T040000000001Z-")


def test_unit_slug() -> None:
    assert runs.unit_slug("apps/api") == "apps__api"
    assert runs.unit_slug(".") == "_root_"


def test_fingerprint_follows_config_not_state_or_caches(tmp_path: Path) -> None:
    stack, module = tmp_path / "stack", tmp_path / "modules" / "m"
    (stack / "a").mkdir(parents=True)
    module.mkdir(parents=True)
    (stack / "a" / "terragrunt.hcl").write_text("# a\n")
    (module / "main.tf").write_text("# m\n")
    first = runs.fingerprint(stack, [module])
    (stack / "a" / "terraform.tfstate").write_text("{}")
    (stack / "a" / ".terragrunt-cache" / "x").mkdir(parents=True)
    (stack / "a" / ".terragrunt-cache" / "x" / "main.tf").write_text("# copy\n")
    (stack / ".orch" / "runs").mkdir(parents=True)
    assert runs.fingerprint(stack, [module]) == first
    (module / "main.tf").write_text("# m changed\n")
    assert runs.fingerprint(stack, [module]) != first


def test_engine_choice_reaches_terragrunt(monkeypatch) -> None:
    from orchestrator.aws.session import RunSession
    from orchestrator.runs import build_env

    monkeypatch.setenv("TG_TF_PATH", "/somewhere/tofu")
    env = build_env(RunSession(env={"AWS_REGION": "eu-west-1"}), "/opt/tf/terraform")
    assert env["TG_TF_PATH"] == "/opt/tf/terraform"
    assert env["AWS_REGION"] == "eu-west-1"  # the session's variables reach every engine call
    assert env["TG_NON_INTERACTIVE"] == "true"


def _write_run(runs_root: Path, report: RunReport) -> None:
    (runs_root / report.run_id).mkdir(parents=True)
    (runs_root / report.run_id / "report.json").write_text(json.dumps(report.to_json()))


def test_latest_plan_run_hashes_the_stack_only_when_a_plan_run_could_be_reused(tmp_path: Path) -> None:
    """Pure logic on report files: no plan run of this selection, no fingerprint; the newest plan run is
    reused only when unapplied and unchanged; an apply of it (newer) spends it."""
    stack, root = tmp_path / "stack", tmp_path / "runs"
    stack.mkdir()

    def never() -> str:
        raise AssertionError("fingerprint computed with no plan run to compare")

    def run(command: str, *, from_run: str | None = None, units: tuple[str, ...] = ("a",)) -> RunReport:
        report = RunReport(
            run_id=runs.new_run_id(), command=command, stack_dir=str(stack), from_run=from_run, started_at=now()
        )
        report.units = [UnitResult(path=u, result=Result.NO_CHANGES) for u in units]
        report.fingerprint = "fp1"
        _write_run(root, report)
        return report

    assert runs.latest_plan_run(root, ["a"], never, stack) is None
    run("drift")
    other = run("plan", units=("b",))
    assert runs.latest_plan_run(root, ["a"], never, stack) is None and other.run_id
    plan = run("plan")
    for _ in range(3):
        run("drift")
    found = runs.latest_plan_run(root, ["a"], lambda: "fp1", stack)
    assert found is not None and found.run_id == plan.run_id
    assert runs.latest_plan_run(root, ["a"], lambda: "fp2", stack) is None  # a file changed since
    run("apply", from_run=plan.run_id)
    assert runs.latest_plan_run(root, ["a"], lambda: "fp1", stack) is None  # already applied
