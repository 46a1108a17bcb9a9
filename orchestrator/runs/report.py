"""A run's report written out: report.json, junit.xml, summary.md, and the terminal table."""

from __future__ import annotations

import json
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from rich.console import Console
from rich.table import Table
from rich.text import Text

from orchestrator.runs.results import NOT_DONE, Result, RunReport, UnitResult


def write_all(report: RunReport, run_dir: Path) -> None:
    run_dir.mkdir(parents=True, exist_ok=True)
    (run_dir / "report.json").write_text(json.dumps(report.to_json(), indent=2) + "\n")
    (run_dir / "junit.xml").write_text(junit_xml(report))
    (run_dir / "summary.md").write_text(markdown(report))


def _detail(unit: UnitResult) -> str:
    parts = []
    if unit.summary is not None:
        s = unit.summary
        parts.append(f"add {s.add}, change {s.change}, destroy {s.destroy}, replace {s.replace}")
        if s.deletes:
            parts.append("deletes: " + ", ".join(s.deletes))
        if s.replaces:
            parts.append("replaces: " + ", ".join(s.replaces))
        if s.drift_details:
            parts.append("drifted: " + "; ".join(f.describe() for f in s.drift_details))
    if unit.used_mocks:
        parts.append("planned with mock dependency outputs")
    if unit.reason:
        parts.append(unit.reason)
    if unit.error:
        parts.append(unit.error)
    return "; ".join(parts)


def junit_xml(report: RunReport) -> str:
    failures = sum(1 for u in report.units if u.failed)
    skipped = sum(1 for u in report.units if u.result in NOT_DONE)
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f"<testsuites name={quoteattr('orch ' + report.command)}>",
        f"  <testsuite name={quoteattr(f'orch {report.command} {report.run_id}')} "
        f'tests="{len(report.units)}" failures="{failures}" errors="0" skipped="{skipped}" '
        f'time="{sum(u.duration for u in report.units):.3f}">',
    ]
    for unit in report.units:
        lines.append(
            f"    <testcase classname={quoteattr(report.command)} name={quoteattr(unit.path)} "
            f'time="{unit.duration:.3f}">'
        )
        detail = _detail(unit)
        message = f"{unit.result.value}: {detail}" if detail else unit.result.value
        if unit.failed:
            lines.append(f"      <failure message={quoteattr(message)}>{escape(message)}</failure>")
        elif unit.result in NOT_DONE:
            lines.append(f"      <skipped message={quoteattr(message)}/>")
        elif unit.result in (Result.DRIFTED, Result.PENDING, Result.CHANGES):
            lines.append(f"      <system-out>{escape(message)}</system-out>")
        lines.append("    </testcase>")
    lines += ["  </testsuite>", "</testsuites>", ""]
    return "\n".join(lines)


_ICONS = {
    Result.NO_CHANGES: "✅",
    Result.IN_SYNC: "✅",
    Result.APPLIED: "✅",
    Result.DESTROYED: "🗑️",
    Result.VALID: "✅",
    Result.CHANGES: "📝",
    Result.DRIFTED: "⚠️",
    Result.PENDING: "📝",
    Result.FAILED: "❌",
    Result.INVALID: "❌",
    Result.REFUSED: "⛔",
    Result.INTERRUPTED: "⏹️",
    Result.SKIPPED: "⏭️",
    Result.NOT_RUN: "⏸️",
}


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def markdown(report: RunReport) -> str:
    """A summary fit for a pull-request comment."""
    title = f"### orch {report.command}"
    if report.env:
        title += f" — {report.env}"
    counts = ", ".join(f"{n} {k}" for k, n in sorted(report.counts().items()))
    lines = [
        title,
        "",
        f"Run `{report.run_id}` · exit {report.exit_code} · {counts or 'no units'}",
    ]
    if report.interrupted:
        lines += ["", "**Interrupted.** " + (report.resume or "")]
    for warning in report.warnings:
        lines += ["", f"**Warning:** {_md(warning)}"]
    lines += _md_table(report)
    lines += _md_destructive(report)
    lines += _md_drift(report)
    lines += _md_notes(report)
    lines.append("")
    return "\n".join(lines)


def _md_table(report: RunReport) -> list[str]:
    lines = [
        "",
        "| Unit | Result | Add | Change | Destroy | Replace | Duration |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for unit in report.units:
        s = unit.summary
        cells = [str(v) for v in (s.add, s.change, s.destroy, s.replace)] if s else ["", "", "", ""]
        if s and s.destroy:
            cells[2] = f"**{s.destroy}**"
        if s and s.replace:
            cells[3] = f"**{s.replace}**"
        result = f"{_ICONS.get(unit.result, '')} {unit.result.value}".strip()
        lines.append(f"| `{_md(unit.path)}` | {result} | " + " | ".join(cells) + f" | {unit.duration:.1f}s |")
    return lines


def _md_destructive(report: RunReport) -> list[str]:
    destructive = [u for u in report.units if u.summary and u.summary.destructive]
    if not destructive:
        return []
    lines = ["", "#### ⚠️ Deletes and replacements", ""]
    for unit in destructive:
        assert unit.summary is not None
        for address in unit.summary.deletes:
            lines.append(f"- `{unit.path}`: **delete** `{address}`")
        for address in unit.summary.replaces:
            lines.append(f"- `{unit.path}`: **replace** `{address}`")
    return lines


def _md_drift(report: RunReport) -> list[str]:
    lines: list[str] = []
    drifted = [u for u in report.units if u.summary and u.summary.drift_details]
    if drifted:
        lines += ["", "#### Drift (changed outside Terraform)", ""]
        for unit in drifted:
            assert unit.summary is not None
            for finding in unit.summary.drift_details:
                lines.append(f"- `{unit.path}`: `{_md(finding.describe())}` ({_md(finding.reason)})")
    noted = [u for u in report.units if u.summary and u.summary.notes]
    if noted:
        lines += [
            "",
            "<details><summary>Refresh notes: differences that are not drift "
            f"({sum(len(u.summary.notes) for u in noted if u.summary)})</summary>",
            "",
        ]
        for unit in noted:
            assert unit.summary is not None
            for finding in unit.summary.notes:
                lines.append(f"- `{unit.path}`: `{_md(finding.describe())}`")
        lines += ["", "</details>"]
    return lines


def _md_notes(report: RunReport) -> list[str]:
    problems = [u for u in report.units if u.failed or u.result in NOT_DONE]
    mocked = [u.path for u in report.units if u.used_mocks and not u.replanned]
    if not (problems or mocked):
        return []
    lines = ["", "#### Notes", ""]
    for unit in problems:
        lines.append(f"- `{unit.path}` ({unit.result.value}): {_md(_detail(unit))}")
    if mocked:
        lines.append(
            "- planned with mock dependency outputs (their dependencies have no outputs yet; "
            "`orch apply` plans them again after the dependencies apply): " + ", ".join(f"`{p}`" for p in mocked)
        )
    return lines


_STYLES = {
    Result.FAILED: "bold red",
    Result.INVALID: "bold red",
    Result.REFUSED: "bold red",
    Result.INTERRUPTED: "red",
    Result.DRIFTED: "bold yellow",
    Result.PENDING: "yellow",
    Result.CHANGES: "yellow",
    Result.SKIPPED: "dim",
    Result.NOT_RUN: "dim",
}


def render_table(report: RunReport, console: Console) -> None:
    table = Table(title=f"orch {report.command} · {report.run_id}", title_justify="left")
    for name in ("unit", "result", "add", "change", "destroy", "replace", "duration"):
        table.add_column(name, justify="right" if name not in ("unit", "result") else "left")
    for unit in report.units:
        s = unit.summary
        nums = [str(v) for v in (s.add, s.change, s.destroy, s.replace)] if s else ["-"] * 4
        destroy = Text(nums[2], style="bold red" if s and s.destroy else "")
        replace = Text(nums[3], style="bold red" if s and s.replace else "")
        table.add_row(
            unit.path,
            Text(unit.result.value, style=_STYLES.get(unit.result, "green")),
            nums[0],
            nums[1],
            destroy,
            replace,
            f"{unit.duration:.1f}s",
        )
    console.print(table)
    for unit in report.units:
        if unit.summary:
            for address in unit.summary.deletes:
                console.print(Text(f"  {unit.path}: delete {address}", style="bold red"), soft_wrap=True)
            for address in unit.summary.replaces:
                console.print(Text(f"  {unit.path}: replace {address}", style="bold red"), soft_wrap=True)
            for finding in unit.summary.drift_details:
                console.print(Text(f"  {unit.path}: drifted {finding.describe()}", style="yellow"), soft_wrap=True)
            if unit.summary.notes:
                console.print(
                    Text(
                        f"  {unit.path}: {len(unit.summary.notes)} refresh note(s), not drift "
                        "(computed or ignored attributes; listed in summary.md and report.json)",
                        style="dim",
                    ),
                    soft_wrap=True,
                )
        if unit.failed or unit.result in NOT_DONE:
            console.print(Text(f"  {unit.path}: {unit.result.value}: {_detail(unit)}", style="dim"), soft_wrap=True)
    for warning in report.warnings:
        console.print(Text(f"warning: {warning}", style="yellow"), soft_wrap=True)
    if report.resume:
        console.print(Text(report.resume, style="bold"))
