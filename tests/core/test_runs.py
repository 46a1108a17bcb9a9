"""plan / apply / drift / destroy / validate with real OpenTofu and Terragrunt on the `dag` fixture.

dag: 10-a, 10-b → 20-c(a), 20-d(a), 20-e(b) → 30-f(c,d), 30-g(d,e) → 40-h(f), 40-i(g) → 50-j(h,i).
Every unit is terraform_data; `value.txt` in a unit sets its input, `extra.txt` adds a
resource (remove it to plan a delete), ORCH_FIXTURE_FAIL=<unit> makes its plan fail.
"""

from __future__ import annotations

import json
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from orchestrator import runs
from orchestrator.errors import OrchError
from orchestrator.planfile import GUARDED_ATTRIBUTES
from orchestrator.runs import RefusedError, RunOptions, options, steps
from orchestrator.runs.results import Result, RunReport
from orchestrator.selection import Selection

pytestmark = pytest.mark.engines
OPTS = RunOptions(quiet=True, parallelism=4)


def ws(stack: Path, **selection):
    return runs.open_workspace(stack_dir=stack, selection=Selection(**(selection or {"all": True})))


def state_outputs(unit: Path) -> dict:
    state = json.loads((unit / "terraform.tfstate").read_text())
    return {k: v["value"] for k, v in state.get("outputs", {}).items()}


def run_dir(stack: Path, report: RunReport) -> Path:
    return stack / ".orch" / "runs" / report.run_id


def test_plan_artifacts_order_and_overlap(dag_stack: Path) -> None:
    report = runs.plan(ws(dag_stack), OPTS)
    assert report.exit_code == 0
    assert [u.result for u in report.units] == [Result.CHANGES] * 10
    out = run_dir(dag_stack, report)
    for name in ("report.json", "junit.xml", "summary.md"):
        assert (out / name).is_file()
    for unit in report.units:
        assert (out / unit.plan_file).is_file() and (out / unit.plan_json).is_file()
        assert (out / unit.log).is_file()
    # Dependencies finished before their dependents started.
    graph = {u.path: u.dependencies for u in ws(dag_stack).graph.units}
    times = {u.path: u for u in report.units}
    for path, deps in graph.items():
        for dep in deps:
            assert times[dep].finished_at <= times[path].started_at, (dep, path)
    # Independent units overlapped in time.
    a, b = times["10-a"], times["10-b"]
    assert a.started_at < b.finished_at and b.started_at < a.finished_at
    # Units whose dependencies have no state yet were planned with mock outputs.
    assert not times["10-a"].used_mocks and times["20-c"].used_mocks and times["50-j"].used_mocks
    # One `terragrunt run --all` for the whole run; each unit's engine steps in its own log,
    # after Terragrunt's records about that unit (the mock-output warnings above come from there).
    assert (out / "terragrunt.log").read_text().count("$ terragrunt run --all") == 1
    for unit in report.units:
        log = (out / unit.log).read_text()
        assert "$ tofu plan" in log and "$ tofu show -json" in log and "$ terragrunt" not in log
    # --detailed-exitcode: 2 when changes are present.
    detailed = runs.plan(ws(dag_stack, layers=["10-a"]), RunOptions(quiet=True, detailed_exitcode=True))
    assert detailed.exit_code == 2


def test_apply_runs_the_saved_plans_and_never_mock_outputs(dag_stack: Path, guarded_terraform_data: None) -> None:
    workspace = ws(dag_stack, layers=["10-a", "20-c"])
    planned = runs.plan(workspace, OPTS)
    assert planned.unit("20-c").used_mocks
    # The module changes after the plan was saved: applying that run is refused before any engine
    # runs (the units re-planned for their mocks would otherwise get the new code, the others the old).
    module = dag_stack / "modules" / "data" / "main.tf"
    original = module.read_text()
    module.write_text(original + '\nresource "terraform_data" "added_after_plan" {}\n')
    with pytest.raises(OrchError, match="changed since it planned; nothing applied"):
        runs.apply(ws(dag_stack, layers=["10-a", "20-c"]), OPTS, run_id=planned.run_id, auto_approve=True)
    assert not (dag_stack / "10-a" / "terraform.tfstate").exists()
    module.write_text(original)
    applied = runs.apply(ws(dag_stack, layers=["10-a", "20-c"]), OPTS, run_id=planned.run_id, auto_approve=True)
    assert applied.exit_code == 0, applied.to_json()
    assert applied.from_run == planned.run_id
    assert state_outputs(dag_stack / "10-a") == {"value": "v1"}
    c = applied.unit("20-c")
    assert c.result == Result.APPLIED and c.replanned and "mock" in c.reason
    assert state_outputs(dag_stack / "20-c") == {"value": "v1,a=v1"}
    # 10-a got exactly its saved plan (without the resource added later) ...
    assert "added_after_plan" not in (dag_stack / "10-a" / "terraform.tfstate").read_text()
    # ... and no mock value reached any state.
    for state in dag_stack.rglob("terraform.tfstate"):
        assert '"mock' not in state.read_text()
    # Both states were refreshed after the apply (drift later means out-of-band), yet the
    # refresh-only step created nothing: the resource added after the plan is still absent.
    assert applied.refreshed == ["10-a", "20-c"] and not applied.warnings
    assert "added_after_plan" not in (dag_stack / "10-a" / "terraform.tfstate").read_text()


@pytest.mark.parametrize("delegate", [True, False], ids=["run-all", "per-unit"])
def test_auto_approved_apply_plans_each_unit_once_with_real_outputs(dag_stack: Path, delegate: bool) -> None:
    """`apply --auto-approve` on a new stack: units whose dependencies' outputs change are not planned
    up front with mocks (a plan apply would throw away) but right before their own apply."""
    opts = RunOptions(quiet=True, parallelism=4, delegate=delegate)
    applied = runs.apply(ws(dag_stack), opts, auto_approve=True)
    assert applied.exit_code == 0, applied.to_json()
    planned = runs_report(dag_stack, applied.from_run)
    roots = {"10-a", "10-b"}
    assert {u.path for u in planned.units if not u.deferred} == roots
    for unit in planned.units:
        if unit.deferred:
            assert unit.result == Result.CHANGES and unit.plan_file is None and unit.summary is None
            assert unit.reason.startswith("planned right before its apply: outputs of ")
            assert not list((run_dir(dag_stack, planned) / unit.path).glob("*tfplan*"))  # no plan was made
    assert [u.result for u in applied.units] == [Result.APPLIED] * 10
    for unit in applied.units:
        assert unit.replanned == (unit.path not in roots)
        if unit.path not in roots:
            assert unit.reason == "planned right before its apply, once its dependencies had applied"
            log = (run_dir(dag_stack, applied) / unit.log).read_text()
            calls = [line for line in log.splitlines() if line.startswith("$ ")]
            plans = [line for line in calls if " plan " in line and "-out" in line]
            if delegate:
                # Planned and applied by one OpenTofu process, approved at its prompt once orch had
                # read and checked the plan; no plan file, no second process.
                applies = [line for line in calls if line.startswith("$ tofu apply")]
                assert not plans and len(applies) == 1 and "-json-into=" in applies[0], log
                assert "Enter a value: yes (typed by orch)" in log and "Apply complete!" in log
                assert unit.summary is not None and unit.summary.add == 1 and unit.plan_file is None
            else:
                assert len(plans) == 1, log  # planned once, in this run
    assert state_outputs(dag_stack / "50-j")["value"].startswith("v1,")
    for state in dag_stack.rglob("terraform.tfstate"):
        assert '"mock' not in state.read_text()
    # Without --auto-approve the whole plan is made up front, for the person confirming it.
    (dag_stack / "10-a" / "value.txt").write_text("v2\n")
    shown: list[RunReport] = []
    confirmed = runs.apply(ws(dag_stack), opts, confirm=lambda report: shown.append(report) or True)
    assert confirmed.exit_code == 0 and not any(u.deferred for u in shown[0].units)


def test_an_auto_approved_apply_never_prepares_the_units_it_defers(
    dag_stack: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only 10-b changes: the units below it are deferred without Terragrunt ever preparing them, the
    units below 10-a (whose outputs stay) are still planned up front, in a second run. A root that
    fails skips the units below it and applies nothing."""
    assert runs.apply(ws(dag_stack), OPTS, auto_approve=True).exit_code == 0
    (dag_stack / "10-b" / "value.txt").write_text("v2\n")
    applied = runs.apply(ws(dag_stack), OPTS, auto_approve=True)
    assert applied.exit_code == 0, applied.to_json()
    planned = runs_report(dag_stack, applied.from_run)
    below_b = {"20-e", "30-g", "40-i", "50-j"}
    assert {u.path for u in planned.units if u.deferred} == below_b
    assert {u.path for u in planned.units if u.result == Result.NO_CHANGES} == {"10-a", "20-c", "20-d", "30-f", "40-h"}
    plan_dir = run_dir(dag_stack, planned)
    assert (plan_dir / "terragrunt.log").read_text().count("$ terragrunt run --all") == 2  # roots, then the rest
    for unit in below_b:
        assert not (plan_dir / unit / "terragrunt.log").exists(), f"Terragrunt prepared deferred {unit}"
    assert {u.path for u in applied.units if u.result == Result.APPLIED} == {"10-b", *below_b}

    (dag_stack / "10-b" / "value.txt").write_text("v3\n")
    monkeypatch.setenv("ORCH_FIXTURE_FAIL", "10-a")
    refused = runs.apply(ws(dag_stack), OPTS, auto_approve=True)
    results = {u.path: u.result for u in refused.units}
    assert refused.command == "plan" and results["10-a"] == Result.FAILED and results["10-b"] == Result.CHANGES
    assert {p for p, r in results.items() if r == Result.SKIPPED} == {
        "20-c",
        "20-d",
        "30-f",
        "30-g",
        "40-h",
        "40-i",
        "50-j",
    }
    assert results["20-e"] == Result.CHANGES and refused.unit("20-e").deferred
    assert state_outputs(dag_stack / "10-b") == {"value": "v2"}, "nothing applied"


def runs_report(stack: Path, run_id: str | None) -> RunReport:
    assert run_id is not None
    return RunReport.model_validate_json((stack / ".orch" / "runs" / run_id / "report.json").read_text())


@pytest.mark.parametrize("delegate", [True, False], ids=["run-all", "per-unit"])
def test_a_saved_plan_is_applied_exactly_or_refused_never_replanned(dag_stack: Path, delegate: bool) -> None:
    """Applying a plan run applies exactly its saved plans: when the state changed between plan
    and apply, the engine refuses the stale plan and orch reports the failure; it never plans again."""
    opts = RunOptions(quiet=True, parallelism=4, delegate=delegate)
    planned = runs.plan(ws(dag_stack, layers=["10-b"]), opts)
    assert planned.unit("10-b").result == Result.CHANGES
    # Someone applies another value in between (a new plan: the configuration changed).
    (dag_stack / "10-b" / "value.txt").write_text("v2\n")
    other = runs.apply(ws(dag_stack, layers=["10-b"]), opts, auto_approve=True)
    assert other.from_run != planned.run_id and state_outputs(dag_stack / "10-b") == {"value": "v2"}
    # Back to the planned configuration (same fingerprint), then apply that saved plan by id.
    (dag_stack / "10-b" / "value.txt").unlink()
    refused = runs.apply(ws(dag_stack, layers=["10-b"]), opts, run_id=planned.run_id, auto_approve=True)
    unit = refused.unit("10-b")
    assert refused.exit_code == 1 and refused.from_run == planned.run_id
    assert unit.result == Result.FAILED and not unit.replanned
    assert "Saved plan is stale" in unit.error
    assert state_outputs(dag_stack / "10-b") == {"value": "v2"}  # nothing applied, nothing re-planned
    log = (dag_stack / ".orch" / "runs" / refused.run_id / unit.log).read_text()
    assert f"{planned.run_id}/10-b/tfplan" in log and "-out=" not in log  # the saved plan was tried; no new plan


@pytest.fixture
def guarded_terraform_data(monkeypatch: pytest.MonkeyPatch) -> None:
    """terraform_data counts as a type with guarded attributes (like a security group's rules), so the
    dag stack's units get the refresh after an apply that records them (runs in this process)."""
    monkeypatch.setitem(GUARDED_ATTRIBUTES, "terraform_data", frozenset({"input"}))


def test_apply_refreshes_the_dependencies_of_what_it_applied(dag_stack: Path, guarded_terraform_data: None) -> None:
    """A dependent fills in attributes of its dependencies' objects, so their state is recorded too,
    even when they were not selected; units neither applied nor depended on are left alone."""
    assert runs.apply(ws(dag_stack, layers=["10-a", "20-c", "10-b"]), OPTS, auto_approve=True).exit_code == 0
    (dag_stack / "20-c" / "value.txt").write_text("v2\n")
    applied = runs.apply(ws(dag_stack, layers=["20-c"]), OPTS, auto_approve=True)
    assert applied.exit_code == 0 and applied.unit("20-c").result == Result.APPLIED
    assert applied.refreshed == ["10-a", "20-c"]
    run_dir = dag_stack / ".orch" / "runs" / applied.run_id
    assert "apply -refresh-only -auto-approve" in (run_dir / "10-a" / "terragrunt.log").read_text()
    assert "-refresh-only -auto-approve" in (run_dir / "20-c" / "terragrunt.log").read_text()
    assert not (run_dir / "10-b").exists()


def test_units_without_guarded_resources_are_not_refreshed_after_an_apply(dag_stack: Path) -> None:
    """Stale values of other attributes are notes, never drift: a refresh would record nothing that matters."""
    applied = runs.apply(ws(dag_stack, layers=["10-a", "20-c"]), OPTS, auto_approve=True)
    assert applied.exit_code == 0 and applied.refreshed == [] and not applied.warnings
    logs = (dag_stack / ".orch" / "runs" / applied.run_id).rglob("terragrunt.log")
    assert not any("-refresh-only" in log.read_text() for log in logs)


def test_apply_reuses_latest_unchanged_plan_run_else_plans(dag_stack: Path) -> None:
    planned = runs.plan(ws(dag_stack, layers=["10-b"]), OPTS)
    applied = runs.apply(ws(dag_stack, layers=["10-b"]), OPTS, auto_approve=True)
    assert applied.from_run == planned.run_id and applied.unit("10-b").result == Result.APPLIED
    (dag_stack / "10-b" / "value.txt").write_text("v2\n")
    again = runs.apply(ws(dag_stack, layers=["10-b"]), OPTS, auto_approve=True)
    assert again.from_run != planned.run_id
    assert state_outputs(dag_stack / "10-b") == {"value": "v2"}
    # Without --auto-approve the confirmation decides.
    (dag_stack / "10-b" / "value.txt").write_text("v3\n")
    with pytest.raises(RefusedError, match="not confirmed"):
        runs.apply(ws(dag_stack, layers=["10-b"]), OPTS, confirm=lambda report: False)
    assert state_outputs(dag_stack / "10-b") == {"value": "v2"}


def test_delete_refused_without_allow_destroy(dag_stack: Path) -> None:
    (dag_stack / "10-a" / "extra.txt").write_text("")
    assert runs.apply(ws(dag_stack, layers=["10-a"]), OPTS, auto_approve=True).exit_code == 0
    (dag_stack / "10-a" / "extra.txt").unlink()
    with pytest.raises(RefusedError, match=r"10-a: delete terraform_data\.extra\[0\]"):
        runs.apply(ws(dag_stack, layers=["10-a"]), OPTS, auto_approve=True)
    assert '"name": "extra"' in (dag_stack / "10-a" / "terraform.tfstate").read_text()
    done = runs.apply(ws(dag_stack, layers=["10-a"]), OPTS, auto_approve=True, allow_destroy=True)
    assert done.unit("10-a").result == Result.APPLIED and done.unit("10-a").summary.destroy == 1
    assert '"name": "extra"' not in (dag_stack / "10-a" / "terraform.tfstate").read_text()


@pytest.mark.parametrize("delegate", [True, False], ids=["run-all", "per-unit"])
def test_a_unit_planned_during_the_apply_that_deletes_is_refused_before_anything_of_it_applies(
    dag_stack: Path, delegate: bool
) -> None:
    """20-c is planned only once 10-a has applied (auto-approved apply); its plan deletes. Run-all
    plans and applies it in one OpenTofu process: orch answers "no" at the prompt, and neither the
    delete nor the input change of that same plan is applied."""
    opts = RunOptions(quiet=True, parallelism=4, delegate=delegate)
    (dag_stack / "20-c" / "extra.txt").write_text("")
    assert runs.apply(ws(dag_stack, layers=["10-a", "20-c"]), opts, auto_approve=True).exit_code == 0
    before = (dag_stack / "20-c" / "terraform.tfstate").read_text()
    (dag_stack / "10-a" / "value.txt").write_text("v2\n")
    (dag_stack / "20-c" / "extra.txt").unlink()
    report = runs.apply(ws(dag_stack, layers=["10-a", "20-c"]), opts, auto_approve=True)
    assert report.exit_code == 1
    a, c = report.unit("10-a"), report.unit("20-c")
    assert a.result == Result.APPLIED and c.result == Result.REFUSED and c.replanned
    assert "20-c: delete terraform_data.extra[0]" in c.error
    assert json.loads((dag_stack / "20-c" / "terraform.tfstate").read_text())["serial"] == json.loads(before)["serial"]
    if delegate:
        log = (run_dir(dag_stack, report) / c.log).read_text()
        assert "Enter a value: no (typed by orch)" in log and "Apply cancelled." in log and "-json-into=" in log
        assert "orch: refused: plans delete or replace resources" in log
    done = runs.apply(ws(dag_stack, layers=["10-a", "20-c"]), opts, auto_approve=True, allow_destroy=True)
    assert done.unit("20-c").result == Result.APPLIED and done.unit("20-c").summary.destroy == 1
    assert state_outputs(dag_stack / "20-c")["value"] == "v1,a=v2"


def test_failure_skips_only_its_dependents(dag_stack: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ORCH_FIXTURE_FAIL", "20-d")
    report = runs.plan(ws(dag_stack), OPTS)
    results = {u.path: u.result for u in report.units}
    assert results["20-d"] == Result.FAILED
    assert "fixture failure requested" in report.unit("20-d").error
    for path in ("30-f", "30-g", "40-h", "40-i", "50-j"):
        assert results[path] == Result.SKIPPED
    for path in ("10-a", "10-b", "20-c", "20-e"):
        assert results[path] == Result.CHANGES
    assert report.exit_code == 1
    junit = ET.parse(run_dir(dag_stack, report) / "junit.xml").getroot()
    failed = [c.get("name") for c in junit.iter("testcase") if c.find("failure") is not None]
    assert failed == ["20-d"]


@pytest.mark.parametrize("delegate", [True, False], ids=["run-all", "per-unit"])
def test_a_unit_that_fails_in_terragrunt_before_its_engine_step_names_the_cause(
    dag_stack: Path, delegate: bool
) -> None:
    """A before-hook that fails: the unit's one-line error carries what the hook said, not the
    header of Terragrunt's multi-error text ("error occurred:"), which told CI nothing."""
    with (dag_stack / "10-a" / "terragrunt.hcl").open("a") as unit:
        unit.write(
            '\nterraform {\n  before_hook "ticket" {\n    commands = ["plan"]\n'
            '    execute  = ["sh", "-c", "echo \'the hook refused: no ticket\' >&2; exit 3"]\n  }\n}\n'
        )
    report = runs.plan(ws(dag_stack, layers=["10-a", "10-b"]), RunOptions(quiet=True, delegate=delegate))
    failed = report.unit("10-a")
    assert failed.result == Result.FAILED and report.unit("10-b").result == Result.CHANGES
    assert "the hook refused: no ticket" in failed.error and "exit status 3" in failed.error, failed.error
    assert "\n" not in failed.error and "error occurred" not in failed.error, failed.error
    assert "the hook refused: no ticket" in (run_dir(dag_stack, report) / failed.log).read_text()


def test_drift_exit_codes_and_reports(dag_stack: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert runs.apply(ws(dag_stack), OPTS, auto_approve=True).exit_code == 0
    in_sync = runs.drift(ws(dag_stack), OPTS)
    assert in_sync.exit_code == 0 and {u.result for u in in_sync.units} == {Result.IN_SYNC}
    # Local state (no state objects to read outputs from): dependencies are checked first, since
    # `tofu output` runs in their working directories.
    times = {u.path: u for u in in_sync.units}
    for unit in ws(dag_stack).graph.units:
        for dep in unit.dependencies:
            assert times[dep].finished_at <= times[unit.path].started_at, (dep, unit.path)
    assert "--queue-ignore-dag-order" not in (run_dir(dag_stack, in_sync) / "terragrunt.log").read_text()

    (dag_stack / "20-c" / "value.txt").write_text("edited\n")
    report = runs.drift(ws(dag_stack), OPTS)
    assert report.exit_code == 2
    assert [u.path for u in report.units if u.result != Result.IN_SYNC] == ["20-c"]
    out = run_dir(dag_stack, report)
    data = json.loads((out / "report.json").read_text())
    assert [u["path"] for u in data["units"] if u["result"] == "pending-changes"] == ["20-c"]
    junit = ET.parse(out / "junit.xml").getroot()
    flagged = [c.get("name") for c in junit.iter("testcase") if c.find("system-out") is not None]
    assert flagged == ["20-c"]
    assert "| `20-c` | 📝 pending-changes | 0 | 1 |" in (out / "summary.md").read_text()

    monkeypatch.setenv("ORCH_FIXTURE_FAIL", "30-f")
    broken = runs.drift(ws(dag_stack), OPTS)
    assert broken.exit_code == 1 and broken.unit("30-f").result == Result.FAILED
    # Drift still checks the units below a failed one.
    assert broken.unit("40-h").result == Result.IN_SYNC


def test_destroy_in_reverse_order_with_confirmation(dag_stack: Path) -> None:
    selection = {"layers": ["10-a", "20-c"]}
    assert runs.apply(ws(dag_stack, **selection), OPTS, auto_approve=True).exit_code == 0
    with pytest.raises(RefusedError, match="--allow-destroy"):
        runs.destroy(ws(dag_stack, **selection), OPTS)
    with pytest.raises(RefusedError, match="type the environment name 'dag'"):
        runs.destroy(ws(dag_stack, **selection), OPTS, allow_destroy=True, confirm_name=lambda name: "nope")
    report = runs.destroy(ws(dag_stack, **selection), OPTS, allow_destroy=True, confirm_name=lambda name: name)
    assert [u.path for u in report.units] == ["20-c", "10-a"]
    assert {u.result for u in report.units} == {Result.DESTROYED}
    assert report.unit("20-c").finished_at <= report.unit("10-a").started_at
    assert state_outputs(dag_stack / "10-a") == {}


def test_validate_json(dag_stack: Path) -> None:
    broken = dag_stack / "modules" / "broken"
    broken.mkdir()
    (broken / "main.tf").write_text('resource "terraform_data" "x" {\n  bogus = 1\n}\n')
    (dag_stack / "20-e" / "terragrunt.hcl").write_text(
        'include "root" {\n  path = find_in_parent_folders("root.hcl")\n}\n'
        'terraform {\n  source = "${get_parent_terragrunt_dir()}/modules//broken"\n}\n'
    )
    report = runs.validate(ws(dag_stack, layers=["10-a", "20-e"]), OPTS)
    data = runs.validate_json(report)
    assert [(u["path"], u["valid"]) for u in data["units"]] == [("10-a", True), ("20-e", False)]
    assert any("bogus" in json.dumps(d) for d in data["units"][1]["diagnostics"])
    assert report.exit_code == 1


def test_changed_since_selects_changed_unit_and_dependents(dag_stack: Path) -> None:
    def git(*args: str) -> None:
        subprocess.run(
            ["git", "-c", "user.email=t@example.com", "-c", "user.name=t", *args],
            cwd=dag_stack,
            check=True,
            capture_output=True,
        )

    git("init", "-q")
    git("add", ".")
    git("commit", "-qm", "fixture")
    (dag_stack / "20-d" / "value.txt").write_text("v2\n")
    selected = ws(dag_stack, changed_since="HEAD").selected
    assert selected == ["20-d", "30-f", "30-g", "40-h", "40-i", "50-j"]
    git("add", ".")
    git("commit", "-qm", "value")
    assert ws(dag_stack, changed_since="HEAD").selected == []
    (dag_stack / "modules" / "data" / "main.tf").write_text(
        (dag_stack / "modules" / "data" / "main.tf").read_text() + "\n# touched\n"
    )
    assert len(ws(dag_stack, changed_since="HEAD").selected) == 10


def test_secrets_are_redacted_from_logs_plan_json_and_reports(dag_stack: Path) -> None:
    from orchestrator.aws.session import RunSession

    secret = "hunter2-very-secret"
    (dag_stack / "10-a" / "value.txt").write_text(secret + "\n")
    workspace = runs.open_workspace(
        stack_dir=dag_stack, selection=Selection(layers=["10-a"]), session=RunSession(secrets=[secret])
    )
    report = runs.plan(workspace, RunOptions(quiet=True, verbose=True))
    out = run_dir(dag_stack, report)
    texts = [p.read_text(errors="replace") for p in out.rglob("*") if p.is_file() and p.name != "tfplan"]
    assert any("***" in t for t in texts)
    assert not any(secret in t for t in texts)


def test_delegated_run_hands_renewed_credentials_to_every_engine_step(dag_stack: Path, tmp_path: Path) -> None:
    """In one `terragrunt run --all`, each engine step still gets the session's current credentials
    (renewed between steps), and Terragrunt's own calls get them through --auth-provider-cmd."""
    from orchestrator.aws.session import RunSession
    from orchestrator.tools import find_tool

    class RenewingSession(RunSession):
        def refresh_if_needed(self) -> None:  # every check renews, as close to expiry
            self.env["AWS_SESSION_TOKEN"] = f"token-{int(self.env['AWS_SESSION_TOKEN'].split('-')[1]) + 1}"

    seen = tmp_path / "seen.txt"
    engine = tmp_path / "tofu"
    engine.write_text(f'#!/bin/sh\necho "$1 $AWS_SESSION_TOKEN" >> {seen}\nexec {find_tool("tofu")} "$@"\n')
    engine.chmod(0o755)
    session = RenewingSession(
        env={
            "ORCH_ROLE_ASSUMED": "1",
            "AWS_ACCESS_KEY_ID": "AKIAORCHTESTONLY0000",
            "AWS_SECRET_ACCESS_KEY": "orch-test-secret-not-real",
            "AWS_SESSION_TOKEN": "token-0",
        }
    )
    workspace = runs.open_workspace(
        stack_dir=dag_stack, selection=Selection(layers=["10-a", "20-c"]), session=session, engine=str(engine)
    )
    report = runs.plan(workspace, OPTS)
    assert report.exit_code == 0, report.to_json()
    assert "--auth-provider-cmd" in (run_dir(dag_stack, report) / "terragrunt.log").read_text()
    # (orch's own `--version` probe of the engine runs outside any unit, without credentials)
    steps = [line.split(" ", 1) for line in seen.read_text().splitlines()]
    plans = [token for command, token in steps if command == "plan"]
    shows = [token for command, token in steps if command == "show"]
    assert len(plans) == len(shows) == 2 and "token-0" not in plans + shows
    assert plans[0] != plans[1]  # renewed between the units' steps


def test_delegated_plan_retries_transient_engine_errors(
    dag_stack: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A plan step that fails with an error Terragrunt would retry (its defaults) is retried."""
    from orchestrator.tools import find_tool

    monkeypatch.setattr(steps, "RETRY_SLEEP", 0.01)
    marker = tmp_path / "failed-once"
    engine = tmp_path / "tofu"
    engine.write_text(
        "#!/bin/sh\n"
        f'if [ "$1" = plan ] && [ ! -e {marker} ]; then touch {marker}; '
        'echo "Error: Failed to load state: dial tcp 10.0.0.1:443: i/o timeout" >&2; exit 1; fi\n'
        f'exec {find_tool("tofu")} "$@"\n'
    )
    engine.chmod(0o755)
    workspace = runs.open_workspace(stack_dir=dag_stack, selection=Selection(layers=["10-a"]), engine=str(engine))
    report = runs.plan(workspace, OPTS)
    assert report.exit_code == 0 and report.unit("10-a").result == Result.CHANGES, report.to_json()
    log = (run_dir(dag_stack, report) / report.unit("10-a").log).read_text()
    assert log.count("$ tofu plan") == 2 and "i/o timeout" in log


def test_delegated_steps_keep_terragrunt_extra_arguments(dag_stack: Path, guarded_terraform_data: None) -> None:
    """extra_arguments of the configuration reach the engine steps orch runs (a var file for plan,
    plan-and-apply and refresh), and the apply of a saved plan gets no variables (the engine refuses them)."""
    root = dag_stack / "root.hcl"
    root.write_text(
        root.read_text().replace(
            'source = "${get_parent_terragrunt_dir()}/modules//data"\n',
            'source = "${get_parent_terragrunt_dir()}/modules//data"\n'
            '  extra_arguments "vars" {\n'
            '    commands           = ["plan", "apply"]\n'
            '    arguments          = ["-lock-timeout=5m"]\n'
            '    required_var_files = ["${get_parent_terragrunt_dir()}/common.tfvars"]\n'
            "  }\n",
        )
    )
    module = dag_stack / "modules" / "data" / "main.tf"
    module.write_text(
        module.read_text()
        + 'variable "from_var_file" {\n  type    = string\n  default = ""\n}\n'
        + 'output "from_var_file" {\n  value = var.from_var_file\n}\n'
    )
    (dag_stack / "common.tfvars").write_text('from_var_file = "yes"\n')
    report = runs.apply(ws(dag_stack, layers=["10-a", "20-c"]), OPTS, auto_approve=True)
    assert report.exit_code == 0, report.to_json()
    assert report.unit("20-c").replanned and report.refreshed == ["10-a", "20-c"]
    for unit in ("10-a", "20-c"):
        assert state_outputs(dag_stack / unit)["from_var_file"] == "yes"
    log = (dag_stack / ".orch" / "runs" / report.run_id / "20-c" / "terragrunt.log").read_text()
    assert "-lock-timeout=5m -var-file=" in log and "-refresh-only" in log
    combined = [ln for ln in log.splitlines() if ln.startswith("$ tofu apply") and "-json-into=" in ln]
    assert combined and all("-lock-timeout=5m -var-file=" in ln for ln in combined)
    log = (dag_stack / ".orch" / "runs" / report.run_id / "10-a" / "terragrunt.log").read_text()
    saved = [ln for ln in log.splitlines() if ln.startswith("$ tofu apply") and "/10-a/tfplan " in ln]
    assert saved and all("-lock-timeout=5m" in ln and "-var" not in ln for ln in saved)


def test_apply_with_nothing_to_do_starts_no_engine(dag_stack: Path) -> None:
    selection = {"layers": ["10-a", "20-c"]}
    assert runs.apply(ws(dag_stack, **selection), OPTS, auto_approve=True).exit_code == 0
    again = runs.apply(ws(dag_stack, **selection), OPTS, auto_approve=True)
    assert again.exit_code == 0 and {u.result for u in again.units} == {Result.NO_CHANGES}
    assert again.refreshed == [] and not (run_dir(dag_stack, again) / "terragrunt.log").exists()


@pytest.mark.parametrize("delegate", [True, False], ids=["run-all", "per-unit"])
def test_every_unit_that_ran_is_journaled_in_both_run_modes(
    dag_stack: Path, delegate: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """journal.jsonl names each unit's start and finish as they happen, whichever way the run ran:
    in a delegated run too (units settled without an engine included), none left unfinished."""
    from orchestrator.runs.store import read_journal

    opts = RunOptions(quiet=True, parallelism=4, delegate=delegate)
    selection = {"layers": ["10-a", "20-c"]}
    planned = runs.plan(ws(dag_stack, **selection), opts)
    journal = read_journal(run_dir(dag_stack, planned))
    assert journal.command == "plan" and sorted(journal.started) == ["10-a", "20-c"]
    assert journal.finished == {"10-a": "changes", "20-c": "changes"} and journal.unfinished == []
    applied = runs.apply(ws(dag_stack, **selection), opts, auto_approve=True)
    assert applied.exit_code == 0, applied.to_json()
    journal = read_journal(run_dir(dag_stack, applied))
    assert journal.from_run == planned.run_id and journal.unfinished == []
    assert journal.finished == {"10-a": "applied", "20-c": "applied"}
    (dag_stack / "20-c" / "value.txt").write_text("v2\n")  # 10-a has nothing to apply now
    again = runs.apply(ws(dag_stack, **selection), opts, auto_approve=True)
    journal = read_journal(run_dir(dag_stack, again))
    assert journal.finished == {"10-a": "no-changes", "20-c": "applied"} and journal.unfinished == []
    # A failed unit finished (failed); the units skipped below it never started.
    monkeypatch.setenv("ORCH_FIXTURE_FAIL", "20-d")
    failing = runs.plan(ws(dag_stack, all=True), opts)
    journal = read_journal(run_dir(dag_stack, failing))
    skipped = {u.path for u in failing.units if u.result == Result.SKIPPED}
    assert journal.finished["20-d"] == "failed" and skipped == {"30-f", "30-g", "40-h", "40-i", "50-j"}
    assert set(journal.started) == set(journal.finished) == {u.path for u in failing.units} - skipped


def test_timeout_without_proc_falls_back_to_per_unit_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    """A delegated run stops a unit Terragrunt is still preparing by finding its processes in /proc;
    where there is none, runs with --timeout go per unit (every other run stays delegated)."""
    monkeypatch.delenv("ORCH_RUN_MODE", raising=False)
    assert RunOptions(unit_timeout=30).delegating() and RunOptions().delegating()
    monkeypatch.setattr(options, "can_watch_units", lambda: False)
    assert not RunOptions(unit_timeout=30).delegating() and not RunOptions(unit_timeout=30, delegate=True).delegating()
    assert RunOptions().delegating() and not RunOptions(delegate=False).delegating()
    monkeypatch.setenv("ORCH_RUN_MODE", "per-unit")
    assert not RunOptions().delegating()


def test_hook_output_goes_to_the_log_of_the_unit_running_the_hook(tmp_path: Path) -> None:
    """Terragrunt prints hooks' output without naming the unit: it goes to the unit whose
    `Executing hook` record came last, to each candidate's log (saying so) when several are
    running hooks, and to the run's log when no hook runs (Terragrunt's closing summary)."""
    from orchestrator.runs import delegate

    stack = tmp_path / "stack"
    dirs = {u: stack / u for u in ("a", "b")}
    delegation = delegate.Delegation(
        terragrunt="terragrunt",
        engine="tofu",
        stack_dir=stack,
        env={},
        unit_dirs=dirs,
        copies_dir=lambda d: d / ".terragrunt-cache" / "x",
        serve=lambda unit, request: 0,
        log_for=lambda unit: tmp_path / "logs" / f"{unit or 'run'}.log",
        redact=lambda text: text.replace("s3cr3t", "***"),
        register=lambda started, finished: None,
    )
    delegation._wanted = {"a", "b"}

    def record(unit: str, msg: str) -> None:
        delegation.logs.record(json.dumps({"level": "info", "working-dir": unit, "msg": msg}))

    def log(name: str) -> str:
        path = tmp_path / "logs" / f"{name}.log"
        for handle in delegation.logs.handles.values():
            handle.flush()  # type: ignore[attr-defined]
        return path.read_text() if path.exists() else ""

    record("a", "Executing hook: check")
    delegation.logs.record("hook says s3cr3t")
    assert "hook says ***\n" in log("a") and "hook says" not in log("b") + log("run")
    record("b", "Executing hook: check")
    delegation.logs.record("who said this")
    assert "(hook output of one of a, b) who said this" in log("a") and "one of a, b) who said" in log("b")
    record("a", "Downloading")  # a's hook is over
    delegation.logs.record("from b")
    assert "from b" in log("b") and "from b" not in log("a")
    delegation.logs.hooks = {"b": 0.0}  # long ago, and no process of b running
    delegation.logs.record("Run Summary")
    assert "RAW Run Summary" in log("run") and "Run Summary" not in log("b")
    assert delegation.begun.keys() == {"a", "b"}
