"""Terragrunt's processes for discovery and what orch reads from their output.

Problems are read from `--log-format json` records, one JSON object per stderr line; the
debug records `find` only logs become Problems here.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

from orchestrator import early_find
from orchestrator.discovery.paths import rel_path, unit_file
from orchestrator.discovery.problems import DiscoveryError, Problem
from orchestrator.early_find import find_args, run_call, terragrunt_call
from orchestrator.workdir import private_download_dir

# Terragrunt 1.1.2's debug records (internal/discovery/phase_parse.go, pkg/config/stack.go).
_DIAG = re.compile(r"^(?P<file>/.+?):(?P<line>\d+),\d+(?:-\d+(?:,\d+)?)?: (?P<text>.*)$", re.S)
_SUPPRESSED_DIAGS = "Suppressed parsing errors "
_SUPPRESSING_FILE = re.compile(r"^Suppressing parse error for (?P<file>/\S+): (?P<text>.*)$", re.S)
_SUPPRESSED_UNIT = re.compile(r"^Suppressed parse error for (?P<dir>/\S+): (?P<text>.*)$", re.S)
_DISCOVERY_ERRORS = "Errors encountered while discovering components"


def run_terragrunt(binary: str, cwd: Path, args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    argv, call_env = terragrunt_call(binary, args, env)
    return run_call(argv, cwd, call_env)


def run_find(binary: str, stack: Path, with_stacks: bool, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Discovery's `terragrunt find`: the one `orch` started early (orchestrator/early_find.py) when it
    is this very call, else a new one."""
    argv, call_env = terragrunt_call(binary, find_args(with_stacks), env)
    return early_find.take(argv, stack, call_env) or run_call(argv, stack, call_env)


def log_records(stderr: str) -> list[tuple[str, str]]:
    """(level, message) of each `--log-format json` record; other lines as ("raw", line)."""
    found = []
    for line in stderr.splitlines():
        line = line.strip()
        if not line:
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            found.append(("raw", line))
            continue
        if isinstance(record, dict):
            found.append((str(record.get("level", "")), str(record.get("msg", ""))))
    return found


def engine_failure(proc: subprocess.CompletedProcess[str]) -> str:
    """The engine's error records as one line (the last one carries the cause)."""
    errors = [msg for level, msg in log_records(proc.stderr) if level in ("error", "raw")]
    text = errors[-1] if errors else (proc.stderr.strip().splitlines() or [f"exit code {proc.returncode}"])[-1]
    return one_line(text)


def one_line(text: str) -> str:
    """Join a multi-line engine message, without Terragrunt's generic troubleshooting list."""
    lines, skipping = [], False
    for raw in text.splitlines():
        line = " ".join(raw.split())
        if line.startswith("Troubleshooting:"):
            skipping = True
            continue
        if skipping:
            if not line:
                skipping = False
            continue
        if line and line not in lines:
            lines.append(line)
    return "; ".join(lines)


def parse_json(text: str, what: str) -> object:
    start = min((i for i in (text.find("["), text.find("{")) if i >= 0), default=-1)
    if start < 0:
        raise DiscoveryError(f"{what}: no JSON in Terragrunt's output")
    try:
        return json.loads(text[start:])
    except json.JSONDecodeError as exc:
        raise DiscoveryError(f"{what}: Terragrunt printed invalid JSON ({exc})") from None


def log_problems(records: list[tuple[str, str]], stack: Path) -> list[Problem]:
    """Errors `terragrunt find` only logs (debug level) or logs without failing."""
    problems: list[Problem] = []
    generic: list[str] = []
    for level, message in records:
        if message.startswith(_SUPPRESSED_DIAGS):
            text = re.sub(r", and \d+ other diagnostic\(s\)$", "", message[len(_SUPPRESSED_DIAGS) :])
            diag = _DIAG.match(text)
            if diag:
                summary, _, detail = diag["text"].partition("; ")
                problems.append(
                    Problem(Path(diag["file"]), f"{summary}: {detail}" if detail else summary, int(diag["line"]))
                )
            else:
                generic.append(text)
        elif match := _SUPPRESSING_FILE.match(message):
            problems.append(Problem(Path(match["file"]), one_line(match["text"])))
        elif match := _SUPPRESSED_UNIT.match(message):
            problems.append(Problem(unit_file(Path(match["dir"])), one_line(match["text"])))
        elif message.startswith(_DISCOVERY_ERRORS) or level == "error":
            generic.append(one_line(message))
    if generic and not problems:
        problems.append(Problem(stack, f"terragrunt find: {generic[0]}"))
    return problems


def render_dependencies(binary: str, stack: Path, rel: str, env: dict[str, str]) -> list[str] | Problem:
    """Dependencies of one unit from `terragrunt render --json` (units `find` did not list)."""
    unit_dir = stack / rel
    with private_download_dir() as download_args:
        proc = run_terragrunt(binary, unit_dir, ["render", "--json", "--log-format", "json", *download_args], env)
    if proc.returncode != 0:
        failure = engine_failure(proc)
        diag = re.search(r"(/\S+):(\d+),\d+", failure)
        if diag:
            return Problem(Path(diag.group(1)), failure.replace(diag.group(0), "").lstrip(":; "), int(diag.group(2)))
        return Problem(unit_file(unit_dir), f"terragrunt render failed: {failure}")
    data = parse_json(proc.stdout, f"{rel}: terragrunt render")
    assert isinstance(data, dict)
    deps: list[str] = []
    for block in (data.get("dependency") or {}).values():
        if block and block.get("config_path"):
            deps.append(rel_path(stack, unit_dir, block["config_path"]))
    for path in (data.get("dependencies") or {}).get("paths") or []:
        deps.append(rel_path(stack, unit_dir, path))
    return deps
