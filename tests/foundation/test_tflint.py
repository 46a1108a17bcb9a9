"""TFLint over every module (issue 17): no issue, with the repository's .tflint.hcl.

TFLint is built from the Go module proxy by scripts/install-tools.sh (pinned in scripts/tools.lock).
An exception is a `# tflint-ignore: <rule>` comment with its reason next to the code. The AWS ruleset
is not enabled: the proxy serves no version of it (docs/development.md, "Lint").
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from orchestrator import tools
from tests.helpers import REPO

CONFIG = REPO / ".tflint.hcl"


def _tflint() -> str:
    info = tools.tool_info("tflint")
    if info is None:
        pytest.skip("tflint not installed: run ./scripts/setup.sh")
    return info.path


def test_tflint_finds_no_issue_in_the_modules(tmp_path: Path) -> None:
    proc = subprocess.run(
        [_tflint(), "--config", str(CONFIG), "--recursive", "--chdir", "terraform/modules", "--format", "json"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert proc.stdout.strip(), proc.stderr
    result = json.loads(proc.stdout)
    issues = [
        f"{i['range']['filename']}:{i['range']['start']['line']}: {i['rule']['name']}: {i['message']}"
        for i in result["issues"]
    ]
    assert result["errors"] == [], result["errors"]
    assert issues == [], "\n".join(issues)
    assert proc.returncode == 0, proc.stderr


def test_every_tflint_exception_gives_its_reason() -> None:
    """`tflint-ignore` comments say why: in the comment lines right above (TFLint wants the annotation on
    the line just before the flagged one) or after the rule name on the same line."""
    found = 0
    for path in (REPO / "terraform/modules").rglob("*.tf"):
        lines = path.read_text().splitlines()
        for index, line in enumerate(lines):
            if "tflint-ignore" not in line:
                continue
            found += 1
            reason = line.split("tflint-ignore", 1)[1].lstrip(": ").partition(" ")[2]
            above = index - 1
            while above >= 0 and lines[above].lstrip().startswith("#"):
                reason += lines[above].lstrip("# ")
                above -= 1
            assert len(reason.strip(" -:()")) >= 20, f"{path}:{index + 1}: tflint-ignore without a reason"
    assert found == 4  # eks-addons (2), eks-nodegroup, iam-baseline: see the comments


def test_the_config_is_what_make_lint_uses() -> None:
    text = CONFIG.read_text()
    assert 'call_module_type = "none"' in text
    assert "deep_check = false" in text  # for the AWS ruleset, when it can be enabled
    makefile = (REPO / "Makefile").read_text()
    assert '.venv/bin/tflint --config "$(CURDIR)/.tflint.hcl" --recursive --chdir terraform/modules' in makefile
