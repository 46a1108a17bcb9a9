"""Run checkov over the HCL and fail on any failed check.

Usage: python scripts/run_checkov.py [DIR ...]   (default: terraform/modules bootstrap)

checkov lives in its own venv (scripts/setup.sh puts it at .venv/bin/checkov) because it
pins an older `packaging` than pytest accepts. A finding is either fixed or skipped with
`#checkov:skip=CKV_...:<reason>` inside the resource it concerns; this script refuses a
skip without a reason.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DIRS = ["terraform/modules", "bootstrap"]
SKIP_RE = re.compile(r"#\s*checkov:skip=([A-Z0-9_]+)(:(.*))?")


def checkov_bin() -> str:
    candidate = REPO / ".venv/bin/checkov"
    if candidate.exists():
        return str(candidate)
    found = shutil.which("checkov")
    if not found:
        sys.exit("run_checkov: checkov is not installed (run ./scripts/setup.sh)")
    return found


def skips_without_reason(dirs: list[Path]) -> list[str]:
    bad = []
    for d in dirs:
        for tf in d.rglob("*.tf"):
            if ".terragrunt-cache" in tf.parts or ".terraform" in tf.parts:
                continue
            for n, line in enumerate(tf.read_text().splitlines(), 1):
                m = SKIP_RE.search(line)
                if m and not (m.group(3) or "").strip():
                    bad.append(f"{tf.relative_to(REPO)}:{n}: skip of {m.group(1)} has no reason")
    return bad


def run(dirs: list[Path]) -> tuple[int, int, list[str]]:
    """Return (passed, failed, failure lines) over all dirs."""
    passed = failed = 0
    lines: list[str] = []
    for d in dirs:
        proc = subprocess.run(
            [
                checkov_bin(),
                "-d",
                str(d),
                "--framework",
                "terraform",
                "--output",
                "json",
                "--quiet",
                "--compact",
                "--skip-download",
                "--skip-path",
                r"\.terragrunt-cache",
                "--skip-path",
                r"\.terraform",
            ],
            capture_output=True,
            text=True,
            cwd=REPO,
            env={**os.environ, "BC_SKIP_MAPPING": "TRUE"},
            check=False,
        )
        out = proc.stdout.strip()
        if not out:
            lines.append(f"{d}: checkov printed nothing (exit {proc.returncode}): {proc.stderr[-2000:]}")
            failed += 1
            continue
        data = json.loads(out)
        reports = data if isinstance(data, list) else [data]
        for report in reports:
            summary = report.get("summary", {})
            passed += summary.get("passed", 0)
            failed += summary.get("failed", 0)
            for check in report.get("results", {}).get("failed_checks", []):
                lines.append(
                    f"{check['check_id']} {check['resource']} "
                    f"{check['file_path']}:{check['file_line_range'][0]} {check.get('check_name', '')}"
                )
    return passed, failed, lines


def main(argv: list[str]) -> int:
    dirs = [REPO / a for a in (argv or DEFAULT_DIRS) if (REPO / a).exists()]
    bad = skips_without_reason(dirs)
    passed, failed, lines = run(dirs)
    for line in bad + lines:
        print(line)
    print(f"checkov: {passed} passed, {failed} failed, {len(bad)} skips without a reason")
    return 0 if failed == 0 and not bad else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
