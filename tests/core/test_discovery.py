"""Discovery with Terragrunt's own evaluation: includes, functions, locals, nesting, caches, cycles."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from orchestrator.cli import app
from tests.helpers import run_orch

pytestmark = pytest.mark.engines


def test_graph_json(graph_stack: Path) -> None:
    # A .terragrunt-cache copy of a unit and a hidden directory are not units.
    cache = graph_stack / "20-apps" / "api" / ".terragrunt-cache" / "abc" / "def"
    cache.mkdir(parents=True)
    shutil.copy(graph_stack / "20-apps" / "api" / "terragrunt.hcl", cache)
    (graph_stack / ".hidden" / "x").mkdir(parents=True)
    shutil.copy(graph_stack / "00-base" / "terragrunt.hcl", graph_stack / ".hidden" / "x")

    result = CliRunner().invoke(app, ["graph", "--dir", str(graph_stack), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {
        "units": [
            {"path": "00-base", "dependencies": []},
            # dependency path built from a local
            {"path": "10-network", "dependencies": ["00-base"]},
            # dependency block arriving through an include (path from functions)
            {"path": "20-apps/api", "dependencies": ["10-network"]},
            # include + a `dependencies` block with a path from format()/join()
            {"path": "20-apps/worker", "dependencies": ["00-base", "10-network"]},
            {"path": "30-edge", "dependencies": ["20-apps/api", "20-apps/worker"]},
        ]
    }
    for fmt, needle in (("dot", '"30-edge" -> "20-apps/api"'), ("mermaid", "graph LR"), ("tree", "└──")):
        out = CliRunner().invoke(app, ["graph", "--dir", str(graph_stack), "--format", fmt])
        assert out.exit_code == 0 and needle in out.stdout


def test_cycle_is_an_error_naming_every_unit(graph_stack: Path) -> None:
    with (graph_stack / "00-base" / "terragrunt.hcl").open("a") as handle:
        handle.write('\ndependencies {\n  paths = ["../30-edge"]\n}\n')
    proc = run_orch("graph", "--dir", str(graph_stack))
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert "dependency cycle" in proc.stderr
    assert "units: 00-base, 10-network, 20-apps/api, 20-apps/worker, 30-edge" in proc.stderr
    # The error line names the file declaring an edge of the cycle; the hint names them all.
    error = next(line for line in proc.stderr.splitlines() if line.startswith("error: "))
    assert "declared in " in error and "00-base/terragrunt.hcl:6 (00-base -> 30-edge)" in error, error
    assert "30-edge/terragrunt.hcl:" in proc.stderr


def test_unknown_layer_lists_valid_names(graph_stack: Path) -> None:
    proc = run_orch("plan", "--dir", str(graph_stack), "--layer", "99")
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "unknown layer '99'; valid layers: 00-base, 10-network, 20-apps, 30-edge" in proc.stderr


def test_changed_included_file_selects_its_includers_and_dependents(graph_stack: Path) -> None:
    import subprocess

    from orchestrator.runs import open_workspace
    from orchestrator.selection import Selection

    def git(*args: str) -> None:
        subprocess.run(
            ["git", "-c", "user.email=t@example.com", "-c", "user.name=t", *args],
            cwd=graph_stack,
            check=True,
            capture_output=True,
        )

    git("init", "-q")
    git("add", ".")
    git("commit", "-qm", "fixture")
    common = graph_stack / "_common" / "network-dep.hcl"
    common.write_text(common.read_text() + "\n# touched\n")
    ws = open_workspace(stack_dir=graph_stack, selection=Selection(changed_since="HEAD"))
    assert ws.selected == ["20-apps/api", "20-apps/worker", "30-edge"]
