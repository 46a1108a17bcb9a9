"""Selection: layers (exact, prefix, unknown), closures, --changed-since mapping."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from orchestrator.graph import Unit, make_graph
from orchestrator.selection import Selection, SelectionError, changed_files, select_units, units_for_files

GRAPH = make_graph(
    Path("/s"),
    [
        Unit(path="00-foundation", dependencies=[]),
        Unit(path="10-networking", dependencies=["00-foundation"]),
        Unit(path="30-eks-cluster", dependencies=["10-networking"]),
        Unit(path="31-eks-addons", dependencies=["30-eks-cluster"]),
        Unit(path="40-apps/api", dependencies=["30-eks-cluster"]),
        Unit(path="40-apps/web", dependencies=["30-eks-cluster"]),
    ],
)


def test_all_and_layers() -> None:
    assert select_units(GRAPH, Selection(all=True)) == GRAPH.paths
    assert select_units(GRAPH, Selection(layers=["30-eks-cluster"])) == ["30-eks-cluster"]
    assert select_units(GRAPH, Selection(layers=["30"])) == ["30-eks-cluster"]
    assert select_units(GRAPH, Selection(layers=["40"])) == ["40-apps/api", "40-apps/web"]
    assert select_units(GRAPH, Selection(layers=["40-apps/web"])) == ["40-apps/web"]


def test_unknown_and_ambiguous_layers_list_valid_names() -> None:
    with pytest.raises(SelectionError, match="unknown layer 'nope'; valid layers: 00-foundation, 10-net"):
        select_units(GRAPH, Selection(layers=["nope"]))
    with pytest.raises(SelectionError, match=r"ambiguous layer '3'.*30-eks-cluster, 31-eks-addons"):
        select_units(GRAPH, Selection(layers=["3"]))
    with pytest.raises(SelectionError, match="no units selected"):
        select_units(GRAPH, Selection())


def test_with_dependencies_and_dependents() -> None:
    sel = Selection(layers=["30"], with_dependencies=True)
    assert select_units(GRAPH, sel) == ["00-foundation", "10-networking", "30-eks-cluster"]
    sel = Selection(layers=["30"], with_dependents=True)
    assert select_units(GRAPH, sel) == ["30-eks-cluster", "31-eks-addons", "40-apps/api", "40-apps/web"]


def test_changed_files_map_to_units_and_dependents() -> None:
    changed = units_for_files(GRAPH, ["31-eks-addons/terragrunt.hcl"])
    assert changed == {"31-eks-addons"}
    # A module used by 10-networking changed: that unit and everything below it.
    changed = units_for_files(GRAPH, ["../modules/vpc/main.tf"], {"10-networking": ["../modules/vpc"]})
    sel = Selection(changed_since="HEAD~1")
    assert select_units(GRAPH, sel, changed) == [
        "10-networking",
        "30-eks-cluster",
        "31-eks-addons",
        "40-apps/api",
        "40-apps/web",
    ]
    # A shared file above the units touches all of them; a README does not.
    assert units_for_files(GRAPH, ["root.hcl"]) == set(GRAPH.paths)
    assert units_for_files(GRAPH, ["README.md"]) == set()


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-c", "user.email=t@example.com", "-c", "user.name=t", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def test_changed_files_from_git(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / "live" / "a").mkdir(parents=True)
    (repo / "modules" / "m").mkdir(parents=True)
    (repo / "live" / "a" / "terragrunt.hcl").write_text("# a\n")
    (repo / "modules" / "m" / "main.tf").write_text("# m\n")
    git(repo, "init", "-q")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "one")
    (repo / "modules" / "m" / "main.tf").write_text("# m2\n")
    (repo / "live" / "b").mkdir()
    (repo / "live" / "b" / "terragrunt.hcl").write_text("# new, untracked\n")
    assert changed_files(repo / "live", "HEAD") == ["../modules/m/main.tf", "b/terragrunt.hcl"]
    with pytest.raises(SelectionError, match="git"):
        changed_files(repo / "live", "no-such-ref")


def test_included_and_read_files_touch_their_readers() -> None:
    reads = {"40-apps/api": ["_common/app.hcl", "root.hcl"], "40-apps/web": ["root.hcl"]}
    assert units_for_files(GRAPH, ["_common/app.hcl"], reads=reads) == {"40-apps/api"}
