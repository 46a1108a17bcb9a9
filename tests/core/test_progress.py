"""Progress output: plain prefixed lines without control codes; a live table on a terminal."""

from __future__ import annotations

import io

from orchestrator.planfile import PlanSummary
from orchestrator.runs.progress import Progress
from orchestrator.runs.results import Result, UnitResult


def test_plain_lines_have_no_control_codes() -> None:
    out = io.StringIO()
    with Progress(["a", "b"], stream=out, title="orch plan") as progress:
        progress.event("a", "start", None)
        progress.verbose_line("a", "tofu: Plan: 1 to add")
        progress.event(
            "a",
            "finish",
            UnitResult(path="a", result=Result.CHANGES, summary=PlanSummary(add=1), used_mocks=True, duration=1.25),
        )
        progress.event("b", "finish", UnitResult(path="b", result=Result.SKIPPED, reason="a failed"))
    text = out.getvalue()
    assert "\x1b" not in text
    assert text.splitlines() == [
        "[orch plan] a: started",
        "a | tofu: Plan: 1 to add",
        "[orch plan] a: changes +1 ~0 -0 ±0 (mock dependency outputs) (1.2s)",
        "[orch plan] b: skipped (a failed) (0.0s)",
    ]


def test_live_table_on_a_terminal() -> None:
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    out = Tty()
    with Progress(["unit-a"], stream=out, title="orch apply") as progress:
        assert progress.live_mode
        progress.event("unit-a", "start", None)
        progress.event("unit-a", "finish", UnitResult(path="unit-a", result=Result.APPLIED, duration=2.0))
    text = out.getvalue()
    assert "unit-a" in text and "applied" in text and "2.0s" in text
