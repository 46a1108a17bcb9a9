"""The Jenkinsfile: a declarative pipeline whose `orch` commands exist with the flags it passes.

The pipeline only runs on a Jenkins agent, so a renamed command or flag would surface there first.
This test reads the stages and every `.venv/bin/orch ...` command in them, with the flags that reach
the command through Groovy variables of the same stage (`--notify-sns`, `--layer ...`), and checks
each against `orch <command> --help` of this checkout. `make lint` runs npm-groovy-lint on it too;
the last test here does the same when the linter is installed (scripts/setup.sh).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from orchestrator import tools

REPO = Path(__file__).resolve().parents[2]
JENKINSFILE = REPO / "Jenkinsfile"

_STAGE = re.compile(r"""\bstage\(\s*['"]([^'"]+)['"]\s*\)\s*\{""")
_ORCH = re.compile(r"\.venv/bin/orch\b(.*)")
_FLAG = re.compile(r"(?<![\w-])(--[a-z][a-z0-9-]*)")


def _strip_comments(text: str) -> str:
    return "\n".join(re.sub(r"(^|\s)//.*$", "", line) for line in text.splitlines())


def _block(text: str, open_brace: int) -> str:
    """The text between the brace at `open_brace` and its match."""
    depth = 0
    for i in range(open_brace, len(text)):
        if text[i] == "{":
            depth += 1
        elif text[i] == "}":
            depth -= 1
            if depth == 0:
                return text[open_brace + 1 : i]
    raise AssertionError("unbalanced braces in the Jenkinsfile")


def stages(text: str) -> dict[str, str]:
    """{stage name: its block} of the declarative pipeline, in order."""
    text = _strip_comments(text)
    assert re.search(r"^pipeline\s*\{", text, re.MULTILINE), "not a declarative pipeline"
    stages_at = re.search(r"\bstages\s*\{", text)
    assert stages_at, "no stages block"
    body = _block(text, stages_at.end() - 1)
    return {m.group(1): _block(body, m.end() - 1) for m in _STAGE.finditer(body)}


def orch_commands(block: str) -> list[tuple[list[str], str, set[str]]]:
    """Each orch command of a stage: (global flags, command, flags), flags including those in the
    stage's other string literals (values built in Groovy and interpolated into the command)."""
    found = []
    literals = [single or double for single, double in re.findall(r"""'([^'\n]*)'|"([^"\n]*)\"""", block)]
    literal_flags = set()
    for text in literals:
        if ".venv/bin/orch" not in text:
            literal_flags |= set(_FLAG.findall(text))
    for text in literals:
        match = _ORCH.search(text)
        if match is None:
            continue
        words = match.group(1).split()
        global_flags = []
        while words and words[0].startswith("--"):
            global_flags.append(words.pop(0))
        assert words, f"orch without a command: {text}"
        command = words[0]
        flags = set(_FLAG.findall(" ".join(words[1:])))
        if "${" in match.group(1):  # interpolated values may carry flags
            flags |= literal_flags
        found.append((global_flags, command, flags))
    return found


def _help(*args: str) -> str:
    env = {**os.environ, "COLUMNS": "250", "TERM": "dumb", "NO_COLOR": "1"}
    proc = subprocess.run(
        [sys.executable, "-m", "orchestrator.cli", *args, "--help"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, f"orch {' '.join(args)} --help failed:\n{proc.stdout}\n{proc.stderr}"
    return proc.stdout


def test_stages_are_parsed() -> None:
    found = stages(JENKINSFILE.read_text())
    assert list(found) == ["Set up", "Drift", "Plan", "Approve", "Apply"]
    commands = {name: [c for _, c, _ in orch_commands(block)] for name, block in found.items()}
    assert commands["Set up"] == ["doctor"]
    assert commands["Drift"] == ["drift"]
    assert commands["Plan"] == ["plan"]
    assert commands["Apply"] == ["apply"]


def test_every_orch_command_exists_with_its_flags() -> None:
    checked = 0
    for stage, block in stages(JENKINSFILE.read_text()).items():
        for global_flags, command, flags in orch_commands(block):
            top = _help()
            for flag in global_flags:
                assert re.search(rf"{re.escape(flag)}\b", top), f"{stage}: orch has no global {flag}"
            text = _help(command)
            for flag in sorted(flags):
                assert re.search(rf"{re.escape(flag)}\b", text), f"{stage}: `orch {command}` has no {flag}"
                checked += 1
    assert checked >= 8  # --env --all --json --notify-sns --slack-webhook-env --layer --run-id --auto-approve ...


def test_the_parser_sees_a_wrong_flag(tmp_path: Path) -> None:
    """A misspelt flag in a stage is reported (the check above is not vacuous)."""
    text = JENKINSFILE.read_text().replace("--auto-approve", "--auto-aprove")
    apply = stages(text)["Apply"]
    (_, command, flags) = orch_commands(apply)[0]
    assert command == "apply" and "--auto-aprove" in flags
    assert not re.search(r"--auto-aprove\b", _help("apply"))


def _groovy_lint() -> str | None:
    for candidate in (tools.venv_bin() / "npm-groovy-lint", REPO / ".venv/bin/npm-groovy-lint"):
        if candidate.exists():
            return str(candidate)
    return shutil.which("npm-groovy-lint")


def test_npm_groovy_lint_finds_no_error() -> None:
    lint = _groovy_lint()
    if lint is None:
        pytest.skip("npm-groovy-lint not installed: run ./scripts/setup.sh")
    proc = subprocess.run(
        [lint, "--noserver", "--failon", "error", "--output", "json", "Jenkinsfile"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    result = json.loads(proc.stdout[proc.stdout.index("{") :])
    assert result["summary"]["totalFoundErrorNumber"] == 0, result["summary"]
    # With .groovylintrc.json (recommended-jenkinsfile, two-space indentation) no warning either.
    assert result["summary"]["totalFoundWarningNumber"] == 0, result["summary"]
