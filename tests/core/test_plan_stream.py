"""Plan summaries from OpenTofu's UI stream (`-json-into`) equal the ones read from `show -json`.

The equivalence is checked on real plans of the real OpenTofu (creates, updates, replaces,
deletes, moves, output changes); the pure cases feed recorded stream lines to the reader.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from orchestrator import runs, tools
from orchestrator.planfile import GUARDED_ATTRIBUTES, summarize
from orchestrator.planfile.stream import read_stream
from orchestrator.runs import RunOptions
from orchestrator.runs.results import Result
from orchestrator.selection import Selection
from tests.helpers import clean_env

FIRST = """
resource "terraform_data" "kept" { input = "v1" }
resource "terraform_data" "updated" { input = "v1" }
resource "terraform_data" "replaced" { triggers_replace = ["v1"] }
resource "terraform_data" "deleted" { input = "v1" }
resource "terraform_data" "renamed" { input = "v1" }
output "same" { value = "v1" }
output "changed" { value = terraform_data.updated.input }
output "dropped" { value = "v1" }
"""

SECOND = """
resource "terraform_data" "kept" { input = "v1" }
resource "terraform_data" "updated" { input = "v2" }
resource "terraform_data" "replaced" { triggers_replace = ["v2"] }
resource "terraform_data" "created" { input = "v2" }
resource "terraform_data" "moved" { input = "v1" }
moved {
  from = terraform_data.renamed
  to   = terraform_data.moved
}
output "same" { value = "v1" }
output "changed" { value = terraform_data.updated.input }
output "added" { value = "v2" }
"""


def _tofu(work: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(tools.find_tool("tofu")), *args],
        cwd=work,
        env=clean_env(work),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )


def _both_summaries(work: Path) -> tuple[object, object]:
    _tofu(work, "plan", "-input=false", "-out=tfplan", f"-json-into={work / 'ui.jsonl'}")
    shown = json.loads(_tofu(work, "show", "-json", "tfplan").stdout)
    with (work / "ui.jsonl").open() as lines:
        streamed = read_stream(lines)
    assert streamed is not None
    assert streamed.drifted is bool(shown.get("resource_drift"))
    return streamed.summary, summarize(shown)


@pytest.mark.engines
def test_stream_summary_equals_the_plan_json_summary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # terraform_data made a guarded type for this test only: which resources the state holds after
    # the plan (what a refresh after the apply records) is then read by both paths.
    monkeypatch.setitem(GUARDED_ATTRIBUTES, "terraform_data", frozenset({"input"}))
    (tmp_path / "main.tf").write_text(FIRST)
    _tofu(tmp_path, "init", "-input=false")
    streamed, shown = _both_summaries(tmp_path)  # a new state: creates and new outputs only
    assert streamed == shown and (streamed.add, streamed.output_changes) == (5, ["changed", "dropped", "same"])
    _tofu(tmp_path, "apply", "-input=false", "tfplan")

    streamed, shown = _both_summaries(tmp_path)  # applied: nothing to do
    assert streamed == shown and not streamed.has_changes

    (tmp_path / "main.tf").write_text(SECOND)
    streamed, shown = _both_summaries(tmp_path)
    assert streamed == shown
    assert (streamed.add, streamed.change, streamed.destroy, streamed.replace) == (1, 1, 1, 1)
    assert streamed.deletes == ["terraform_data.deleted"] and streamed.replaces == ["terraform_data.replaced"]
    assert streamed.output_changes == ["added", "changed", "dropped"]
    kept = ["created", "kept", "moved", "replaced", "updated"]
    assert streamed.guarded == [f"terraform_data.{name}" for name in kept]


def _line(kind: str, **fields: object) -> str:
    return json.dumps({"type": kind, "@level": "info", **fields})


def _summary_line(add: int = 0, change: int = 0, remove: int = 0, forget: int = 0) -> str:
    changes = {"add": add, "change": change, "remove": remove, "forget": forget, "import": 0, "operation": "plan"}
    return _line("change_summary", changes=changes)


def _change(addr: str, action: str) -> str:
    resource = {"addr": addr, "resource": addr.split("module.")[-1].split(".", 1)[-1] if "module." in addr else addr}
    return _line("planned_change", change={"resource": resource, "action": action})


def test_drift_in_the_stream_is_flagged_for_the_plan_json() -> None:
    """Pure logic on recorded stream lines: drift is read from the plan JSON, so the stream only flags it."""
    drift = _line("resource_drift", change={"resource": {"addr": "aws_vpc.this"}, "action": "update"})
    streamed = read_stream([drift, _summary_line()])
    assert streamed is not None and streamed.drifted and not streamed.summary.has_changes


def test_a_stream_that_does_not_add_up_or_did_not_finish_is_not_trusted() -> None:
    """Pure logic: forget-then-create is streamed as "noop" while the totals count it; a plan that
    stopped has no totals. Either way the caller falls back to `show -json`."""
    assert read_stream([_change("terraform_data.a", "noop"), _summary_line(add=1, forget=1)]) is None
    assert read_stream([_change("terraform_data.a", "create")]) is None
    assert read_stream(["not json", _change("terraform_data.a", "create"), _summary_line(add=1)]) is not None


def test_data_sources_and_moves_are_not_changes() -> None:
    """Pure logic: reads of data sources (also in modules) and moves without changes count nothing."""
    lines = [
        _change("data.aws_caller_identity.this", "read"),
        _change("module.vpc.data.aws_iam_policy_document.flow", "read"),
        _change("aws_s3_bucket.data", "create"),
        _change("terraform_data.moved", "move"),
        _summary_line(add=1),
    ]
    streamed = read_stream(lines)
    assert streamed is not None and streamed.summary.add == 1 and streamed.summary.change == 0


@pytest.mark.engines
@pytest.mark.parametrize("delegate", [True, False], ids=["delegated", "per-unit"])
def test_plans_that_change_nothing_skip_show_json(dag_stack: Path, delegate: bool) -> None:
    """Applied units plan to no changes: their summary comes from the stream, with no plan JSON and no
    `show -json` in the unit's log; a plan a person reviews that has changes keeps its plan JSON."""
    opts = RunOptions(quiet=True, delegate=delegate)
    applied = runs.apply(runs.open_workspace(stack_dir=dag_stack), opts, auto_approve=True)
    assert applied.exit_code == 0
    # The auto-approved apply's deferred plans had changes, summarised from the stream.
    replanned = [u for u in applied.units if u.replanned]
    assert replanned and all(u.plan_json is None and u.summary and u.summary.add == 1 for u in replanned)

    (dag_stack / "10-a" / "value.txt").write_text("v2\n")
    report = runs.plan(runs.open_workspace(stack_dir=dag_stack, selection=Selection(layers=["10-a", "10-b"])), opts)
    by_path = {u.path: u for u in report.units}
    changed, same = by_path["10-a"], by_path["10-b"]
    assert changed.result == Result.CHANGES and changed.plan_json is not None
    assert same.result == Result.NO_CHANGES and same.plan_json is None and same.plan_file is not None
    run_dir = dag_stack / ".orch" / "runs" / report.run_id
    assert "show -json" not in (run_dir / same.log).read_text()
    assert not list(run_dir.rglob("*.ui.jsonl"))
