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
from pathlib import Path

import pytest

from orchestrator import tools
from tests.helpers import REPO, run_orch

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
    proc = run_orch(*args, "--help", env=env, timeout=120)
    assert proc.returncode == 0, f"orch {' '.join(args)} --help failed:\n{proc.stdout}\n{proc.stderr}"
    return proc.stdout


def test_stages_are_parsed() -> None:
    found = stages(JENKINSFILE.read_text())
    assert list(found) == ["Drift", "Drift check", "Plan", "Approve", "Approve production", "Apply"]
    commands = {name: [c for _, c, _ in orch_commands(block)] for name, block in found.items()}
    assert commands["Drift"] == commands["Drift check"] == ["drift"]  # the matrix's stage, inside Drift
    assert commands["Plan"] == ["doctor", "plan"]
    assert commands["Approve"] == commands["Approve production"] == []
    assert commands["Apply"] == ["apply"]


# ------------------------------------------------------------------ one pipeline, every environment (issue 19)

_ENV_ENTRY = re.compile(r"""'([\w-]+)'\s*:\s*\[credentials:\s*'([^']+)',\s*agent:\s*'([^']+)'\]""")


def environments(text: str) -> dict[str, dict[str, str]]:
    """The Jenkinsfile's `environments` map: name -> credentials id and agent label."""
    text = _strip_comments(text)
    start = re.search(r"^environments = \[", text, re.MULTILINE)
    assert start, "no `environments = [...]` map before the pipeline"
    body = text[start.end() : text.index("\n]", start.end())]
    return {m.group(1): {"credentials": m.group(2), "agent": m.group(3)} for m in _ENV_ENTRY.finditer(body)}


def _quoted(text: str) -> list[str]:
    return re.findall(r"'([^']*)'", text)


def test_one_pipeline_lists_every_environment_once() -> None:
    """The ENVIRONMENT choice, the nightly drift matrix and the per-environment map name the same
    environments, and every environment folder orch knows is among them."""
    from orchestrator.config import available_envs

    text = _strip_comments(JENKINSFILE.read_text())
    envs = environments(text)
    choice = re.search(r"choice\(name: 'ENVIRONMENT', choices: \[([^\]]*)\]", text)
    assert choice, "no ENVIRONMENT choice parameter"
    axis = re.search(r"name 'DRIFT_ENV'\s*\n\s*values ([^\n]*)", text)
    assert axis, "no DRIFT_ENV matrix axis"
    assert _quoted(choice.group(1)) == _quoted(axis.group(1)) == list(envs)
    assert "eks-prod" in envs
    assert set(available_envs(REPO)) <= set(envs), "an environment folder the pipeline does not know"


def test_each_environment_has_its_own_credentials_and_agent() -> None:
    """Every stage that runs orch holds an agent of its environment's label and binds its environment's
    AWS credential; production shares neither with the other environments."""
    text = JENKINSFILE.read_text()
    envs = environments(text)
    assert all(e["credentials"] and e["agent"] for e in envs.values())
    prod = envs["eks-prod"]
    others = [e for name, e in envs.items() if name != "eks-prod"]
    assert all(prod["credentials"] != e["credentials"] and prod["agent"] != e["agent"] for e in others)
    assert len({e["credentials"] for e in envs.values()}) == len(envs)

    assert re.search(r"^pipeline\s*\{\s*\n\s*agent none", _strip_comments(text), re.MULTILINE)
    found = stages(text)
    drift = found["Drift"]
    assert 'agent { label "${environments[DRIFT_ENV].agent}" }' in drift
    assert "aws(credentialsId: environments[DRIFT_ENV].credentials" in found["Drift check"]
    for name in ("Plan", "Apply"):
        assert 'agent { label "${environments[params.ENVIRONMENT].agent}" }' in found[name], name
        assert "aws(credentialsId: environments[params.ENVIRONMENT].credentials" in found[name], name
    for name, block in found.items():  # no orch without a credential binding in the same stage
        if orch_commands(block) and name != "Drift":
            assert "withCredentials([aws(" in block, name


def test_production_is_gated_outside_any_agent() -> None:
    """Production: an `input` with a submitter and a timeout, in a stage that holds no agent, between
    Plan and Apply; no stage that holds an agent waits for input."""
    found = stages(JENKINSFILE.read_text())
    gate = found["Approve production"]
    assert re.search(r"^\s*agent none\s*$", gate, re.MULTILINE)
    assert re.search(r"options \{ timeout\(time: \d+, unit: '(HOURS|MINUTES)'\) \}", gate)
    assert "input {" in gate
    gate_input = _block(gate, gate.index("input {") + len("input "))
    assert re.search(r"^\s*submitter '[\w-]+'\s*$", gate_input, re.MULTILINE), gate_input
    assert "beforeInput true" in gate and "params.ENVIRONMENT == 'eks-prod'" in gate
    other = found["Approve"]
    assert re.search(r"^\s*agent none\s*$", other, re.MULTILINE) and "timeout(" in other
    assert "params.ENVIRONMENT != 'eks-prod'" in other
    for name, block in found.items():
        if "agent { label" in block:
            assert "input {" not in block, f"{name} would hold an agent while waiting for approval"
    names = list(found)
    assert names.index("Plan") < names.index("Approve production") < names.index("Apply")
    assert "unstash 'plan'" in found["Apply"] and "stash name: 'plan'" in found["Plan"]


def test_nightly_drift_covers_every_environment() -> None:
    """The cron build runs `orch drift --env E --all` in every environment (a matrix cell each)."""
    text = _strip_comments(JENKINSFILE.read_text())
    cron = re.search(r"triggers \{ cron\(env\.BRANCH_NAME == 'main' \? '([^']+)' : ''\) \}", text)
    assert cron and len(cron.group(1).split()) == 5
    drift = stages(text)["Drift"]
    assert "triggeredBy 'TimerTrigger'" in drift and "matrix {" in drift
    # A timer build runs every cell; a manual DRIFT_ONLY build only its ENVIRONMENT.
    assert "anyOf { triggeredBy 'TimerTrigger'; expression { DRIFT_ENV == params.ENVIRONMENT } }" in drift
    (_, command, flags) = orch_commands(stages(text)["Drift check"])[0]
    assert command == "drift" and {"--env", "--all"} <= flags
    assert ".venv/bin/orch drift --env ${DRIFT_ENV} --all" in drift


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
