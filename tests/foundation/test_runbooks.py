"""Every alarm of terraform/modules/monitoring names a runbook section that exists (docs/runbooks/).

Static: the links are read from the HCL, the sections from the Markdown headings (GitHub anchors).
tests/e2e/checks_operations.py checks the same on the alarms the platform really created.
"""

from __future__ import annotations

import re
from pathlib import Path

from tests.helpers import REPO

MODULE = REPO / "terraform/modules/monitoring"
RUNBOOKS = REPO / "docs/runbooks"
LINK = re.compile(r"(?:runbook\s*=\s*\"|\$\{local\.runbooks\}/)(?P<file>[a-z-]+\.md)#(?P<anchor>[a-z0-9-]+)")


def anchors(page: Path) -> set[str]:
    headings = [line.lstrip("#").strip().lower() for line in page.read_text().splitlines() if line.startswith("#")]
    return {re.sub(r"[^a-z0-9 -]", "", h).replace(" ", "-") for h in headings}


def links() -> list[tuple[str, str, str]]:
    found = []
    for tf in sorted(MODULE.glob("*.tf")):
        found += [(tf.name, m["file"], m["anchor"]) for m in LINK.finditer(tf.read_text())]
    return found


def test_every_alarm_links_an_existing_runbook_section() -> None:
    found = links()
    # 5 alarm resources of main.tf; 20 metric alarm specs and 4 Metrics Insights alarms of alarms.tf.
    assert len(found) == 29, found
    missing = [f"{tf}: {page}#{anchor}" for tf, page, anchor in found if not (RUNBOOKS / page).is_file()]
    missing += [
        f"{tf}: {page}#{anchor}"
        for tf, page, anchor in found
        if (RUNBOOKS / page).is_file() and anchor not in anchors(RUNBOOKS / page)
    ]
    assert missing == []


def test_every_runbook_page_is_listed_and_says_what_how_and_mitigation() -> None:
    index = (RUNBOOKS / "README.md").read_text()
    for page in sorted(RUNBOOKS.glob("*.md")):
        if page.name == "README.md":
            continue
        assert f"]({page.name})" in index, f"{page.name} is not listed in docs/runbooks/README.md"
    for _, page, anchor in links():
        text = (RUNBOOKS / page).read_text()
        section = text.split(f"## {anchor}\n", 1)[1].split("\n## ", 1)[0]
        for part in ("**What it means:**", "**How to check:**", "**How to mitigate:**"):
            assert part in section, f"{page}#{anchor} lacks {part}"
