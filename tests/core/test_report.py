"""Report writers: JSON, JUnit, Markdown; exit codes; redaction."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

from orchestrator.planfile import AttributeChange, DriftFinding, PlanSummary
from orchestrator.redact import redact
from orchestrator.runs.report import junit_xml, markdown, write_all
from orchestrator.runs.results import Result, RunReport, UnitResult, now


def report(command: str = "drift", **kw) -> RunReport:
    units = [
        UnitResult(path="a", result=Result.IN_SYNC, summary=PlanSummary()),
        UnitResult(
            path="b",
            result=Result.DRIFTED,
            summary=PlanSummary(
                drift=["x.y"],
                drift_details=[
                    DriftFinding(
                        address="x.y",
                        attributes=[AttributeChange(path="tags.Name", before='"a"', after='"b"')],
                        reason="the plan reverts it",
                    )
                ],
                notes=[DriftFinding(address="x.z", attributes=[AttributeChange(path="arn", after='"n"')])],
            ),
        ),
        UnitResult(
            path="c",
            result=Result.CHANGES,
            summary=PlanSummary(destroy=1, replace=1, deletes=["r.gone"], replaces=["r.new"]),
        ),
        UnitResult(path="d", result=Result.FAILED, error="boom"),
        UnitResult(path="e", result=Result.SKIPPED, reason="d failed"),
    ]
    r = RunReport(run_id="20261126T000000Z-abc", command=command, stack_dir="/s", units=units, started_at=now(), **kw)
    r.exit_code = r.compute_exit_code()
    return r


def test_exit_codes() -> None:
    assert report().exit_code == 1  # a failure wins
    ok = RunReport(
        run_id="x",
        command="drift",
        stack_dir="/s",
        started_at=now(),
        units=[UnitResult(path="a", result=Result.IN_SYNC)],
    )
    assert ok.compute_exit_code() == 0
    ok.units.append(UnitResult(path="b", result=Result.PENDING))
    assert ok.compute_exit_code() == 2
    plan = RunReport(
        run_id="x",
        command="plan",
        stack_dir="/s",
        started_at=now(),
        units=[UnitResult(path="a", result=Result.CHANGES)],
    )
    assert plan.compute_exit_code() == 0
    plan.detailed_exitcode = True
    assert plan.compute_exit_code() == 2


def test_junit_and_markdown_name_units_and_addresses(tmp_path: Path) -> None:
    r = report()
    root = ET.fromstring(junit_xml(r))
    cases = {c.get("name"): c for c in root.iter("testcase")}
    assert set(cases) == {"a", "b", "c", "d", "e"}
    assert cases["d"].find("failure") is not None
    assert cases["e"].find("skipped") is not None
    assert "x.y" in cases["b"].find("system-out").text
    md = markdown(r)
    assert "**delete** `r.gone`" in md and "**replace** `r.new`" in md
    assert '`b`: `x.y: tags.Name "a" -> "b"` (the plan reverts it)' in md
    assert "Refresh notes: differences that are not drift (1)" in md and '`x.z: arn null -> "n"`' in md
    write_all(r, tmp_path)
    assert json.loads((tmp_path / "report.json").read_text())["units"][1]["result"] == "drifted"
    assert (tmp_path / "summary.md").read_text() == md


def test_redact() -> None:
    assert redact("token=AKIAEXAMPLE secret", ["AKIAEXAMPLE", "", "ab"]) == "token=*** secret"


def test_terminal_drift_lines_are_not_hard_wrapped() -> None:
    """Jenkins consoles are not terminals (rich assumes 80 columns): a finding stays one greppable line."""
    import io

    from rich.console import Console

    from orchestrator.runs.report import render_table

    long_value = '"' + "v" * 150 + '"'
    r = report()
    r.units[1].summary.drift_details[0].attributes[0].after = long_value
    out = io.StringIO()
    render_table(r, Console(file=out, width=80, force_terminal=False))
    assert f'  b: drifted x.y: tags.Name "a" -> {long_value}' in out.getvalue().splitlines()
