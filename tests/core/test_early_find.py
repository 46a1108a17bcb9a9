"""Discovery's `terragrunt find`, started by the `orch` entry point before the CLI is imported
(orchestrator/early_find.py): used only when it is the very call discovery makes. Real Terragrunt."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from orchestrator import discovery, early_find, runs, tools
from orchestrator.aws.session import RunSession
from orchestrator.selection import Selection
from tests.helpers import copy_stack, run_orch

pytestmark = pytest.mark.engines


@pytest.fixture(autouse=True)
def _no_early_find_left() -> None:
    early_find.discard()
    yield
    early_find.discard()


def _counts() -> tuple[int, int]:
    return early_find.stats["taken"], early_find.stats["discarded"]


def _discovered_without_it(stack: Path) -> discovery.Discovered:
    return discovery.discover(stack, str(tools.find_tool("terragrunt")), runs.build_env(RunSession()))


def test_discovery_takes_the_find_started_for_its_stack(graph_stack: Path) -> None:
    expected = _discovered_without_it(graph_stack)
    taken, discarded = _counts()

    early_find.start(["plan", "--dir", str(graph_stack), "--all"])
    ws = runs.open_workspace(stack_dir=graph_stack, selection=Selection(all=True))

    assert _counts() == (taken + 1, discarded)
    assert ws.graph.model_dump() == expected.graph.model_dump()
    assert ws.discovered.files == expected.files


def test_a_find_started_in_another_environment_is_not_used(graph_stack: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Between the start and discovery the environment changed (as `--engine` changes it): the early
    find may have read other settings, so discovery runs its own."""
    expected = _discovered_without_it(graph_stack)
    early_find.start(["graph", f"--dir={graph_stack}"])
    monkeypatch.setenv("ORCH_TEST_CHANGED", "1")
    taken, discarded = _counts()

    ws = runs.open_workspace(stack_dir=graph_stack, selection=Selection(all=True))

    assert _counts() == (taken, discarded + 1)
    assert ws.graph.model_dump() == expected.graph.model_dump()


@pytest.mark.parametrize(
    "args",
    [
        ["plan", "--all"],  # no --dir: an --env run, whose stack the CLI resolves
        ["plan", "--dir", "/no/such/dir"],
        ["--help", "plan", "--dir", "."],
        ["doctor", "--dir", "."],
    ],
)
def test_nothing_starts_for_a_command_that_does_not_discover_a_directory(args: list[str]) -> None:
    """Pure logic of which command lines start a find (nothing is run for these)."""
    early_find.start(args)
    assert early_find._early is None


def test_a_broken_stack_reports_the_same_error_through_the_early_find(tmp_path: Path) -> None:
    """`orch graph` on an unparsable unit: the early find's result is read like discovery's own."""
    stack = copy_stack("broken-parse", tmp_path)
    result = run_orch("graph", "--dir", str(stack))
    assert result.returncode == 1, result.stdout + result.stderr
    lines = [ln for ln in result.stderr.splitlines() if ln.startswith("error:")]
    assert len(lines) == 1 and "terragrunt.hcl" in lines[0], result.stderr
    assert "Traceback" not in result.stderr


def test_ctrl_c_while_orch_starts_is_one_line_and_130(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A Ctrl-C before the CLI's error handler is in place (here: while the early find starts, raised by a
    stand-in: the moment is too short to hit with a real signal) prints what the handler prints."""
    from orchestrator import errors, launch

    def interrupted(args: list[str]) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(early_find, "start", interrupted)
    monkeypatch.setattr("sys.argv", ["orch", "plan", "--dir", "."])
    umask = os.umask(0o022)  # launch.main narrows the process's umask: give this worker its own back
    try:
        with pytest.raises(SystemExit) as exited:
            launch.main()
    finally:
        os.umask(umask)
    assert exited.value.code == errors.EXIT_INTERRUPTED
    assert capsys.readouterr().err == "interrupted\n"
