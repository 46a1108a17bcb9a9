"""Option wiring of `orch`, in process: what a command line hands to the library.

Every test here replaces the library function a command calls (`orchestrator.runs.open_workspace`,
`runs.plan`, `config.load_env`, `doctor.run`, ...) with a test double that records its arguments, and
stops the command there. That isolates pure wiring: option names, short forms, environment variables,
defaults, global options typed after the command, and the one-line refusals of bad values. What the
library then does with those arguments is tested elsewhere (test_runs.py, test_bad_input.py).
"""

from __future__ import annotations

import os
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from typer.testing import CliRunner

from orchestrator import cli, runs
from orchestrator.cli.options import GraphFormat, hoist_global_options


class Stop(Exception):
    """Raised by a test double once it has recorded its call: the command goes no further."""


class Recorder:
    """Stands in for the run library: records open_workspace's keywords and the run call."""

    def __init__(self) -> None:
        self.workspace: dict[str, Any] = {}
        self.command: str | None = None
        self.options: runs.RunOptions | None = None
        self.keywords: dict[str, Any] = {}

    def open_workspace(self, **kwargs: Any) -> SimpleNamespace:
        self.workspace = kwargs
        return SimpleNamespace(graph="the graph", runs_root=Path("runs"), name="ws", selected=[], where="here")

    def run(self, command: str) -> Any:
        def call(ws: object, opts: runs.RunOptions | None = None, *args: Any, **kwargs: Any) -> None:
            self.command, self.options, self.keywords = command, opts, kwargs
            raise Stop

        return call


@pytest.fixture
def recorder(monkeypatch: pytest.MonkeyPatch) -> Recorder:
    rec = Recorder()
    monkeypatch.setattr(runs, "open_workspace", rec.open_workspace)
    for command in ("plan", "apply", "drift", "destroy", "validate", "unlock"):
        monkeypatch.setattr(runs, command, rec.run(command))
    return rec


pytestmark = pytest.mark.usefixtures("keep_umask")


def invoke(*args: str, **env: str) -> Any:
    return CliRunner().invoke(cli.app, list(args), env=env or None)


def run_main(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    """`orch ARGS` through main() (the error handler included): exit code and stderr."""
    monkeypatch.setattr("sys.argv", ["orch", *args])
    with pytest.raises(SystemExit) as exit_info:
        cli.main()
    code = exit_info.value.code
    return code if isinstance(code, int) else 1, capsys.readouterr().err.strip()


@pytest.mark.parametrize(
    ("args", "env"),
    [
        (["--env", "eks-prod"], {}),
        (["-e", "eks-prod"], {}),
        ([], {"ORCH_ENV": "eks-prod"}),
        (["-e", "eks-prod"], {"ORCH_ENV": "eks-dev"}),
    ],
    ids=["--env", "-e", "ORCH_ENV", "-e over ORCH_ENV"],
)
@pytest.mark.parametrize("command", ["graph", "plan", "apply", "drift", "destroy", "validate", "unlock"])
def test_the_environment_reaches_the_workspace(
    recorder: Recorder, command: str, args: list[str], env: dict[str, str]
) -> None:
    invoke(command, *args, **env)
    assert recorder.workspace["env_name"] == "eks-prod"
    assert recorder.workspace["stack_dir"] is None


def test_an_explicit_dir_wins_over_orch_env_but_not_over_env(recorder: Recorder, tmp_path: Path) -> None:
    invoke("plan", "--dir", str(tmp_path), "--all", ORCH_ENV="eks-prod")
    assert recorder.workspace["stack_dir"] == tmp_path and recorder.workspace["env_name"] is None
    invoke("plan", "--dir", str(tmp_path), "--env", "eks-prod", "--all")
    assert recorder.workspace["stack_dir"] == tmp_path and recorder.workspace["env_name"] == "eks-prod"


@pytest.mark.parametrize("command", ["plan", "apply", "drift", "destroy", "validate"])
def test_every_run_command_takes_the_same_selection_and_run_options(
    recorder: Recorder, command: str, tmp_path: Path
) -> None:
    result = invoke(
        command,
        *("-e", "eks-prod", "-l", "30", "--layer", "40", "--with-dependencies", "--with-dependents"),
        *("-p", "2", "--engine", "terraform", "--runs-dir", str(tmp_path)),
    )
    assert isinstance(result.exception, Stop), result.output
    selection = recorder.workspace["selection"]
    assert selection.layers == ["30", "40"] and selection.with_dependencies and selection.with_dependents
    assert recorder.workspace["engine"] == "terraform" and recorder.workspace["runs_root"] == tmp_path
    assert recorder.command == command and recorder.options is not None
    assert recorder.options.parallelism == 2 and recorder.options.engine == "terraform"


def test_run_option_defaults(recorder: Recorder) -> None:
    invoke("plan", "-e", "eks-prod", "--all")
    assert recorder.workspace["selection"].all and not recorder.workspace["local"]
    assert recorder.workspace["profile"] is None and recorder.workspace["engine"] is None
    options = recorder.options
    assert options is not None and options.parallelism == 4 and not options.fail_fast and not options.verbose
    assert options.unit_timeout is None and not options.detailed_exitcode and not options.force_unlock


@pytest.mark.parametrize(
    "args",
    [
        ["--local", "--profile", "ops", "--verbose", "plan", "-e", "eks-prod", "--all"],
        ["plan", "-e", "eks-prod", "--all", "--local", "--profile", "ops", "-v"],
        ["plan", "--local", "-e", "eks-prod", "--profile=ops", "--all", "--verbose"],
    ],
    ids=["before", "after", "mixed"],
)
def test_global_options_work_before_and_after_the_command(recorder: Recorder, args: list[str]) -> None:
    result = invoke(*args)
    assert isinstance(result.exception, Stop), result.output
    assert recorder.workspace["local"] is True and recorder.workspace["profile"] == "ops"
    assert recorder.options is not None and recorder.options.verbose is True


def test_the_global_engine_keeps_its_value_when_options_follow_the_command(
    recorder: Recorder, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ORCH_ENGINE", "tofu")  # the callback sets it; monkeypatch restores it
    result = invoke("--engine", "terraform", "plan", "-e", "eks-prod", "--all", "--local")
    assert isinstance(result.exception, Stop), result.output
    assert os.environ["ORCH_ENGINE"] == "terraform" and recorder.workspace["local"] is True


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["--engine", "tofu", "plan", "--local"], ["--engine", "tofu", "--local", "plan"]),
        (["--engine=tofu", "-v", "plan", "-e", "x"], ["--engine=tofu", "-v", "plan", "-e", "x"]),
        (["plan", "--engine", "terraform", "-v"], ["-v", "plan", "--engine", "terraform"]),
    ],
)
def test_hoisting_knows_which_global_options_take_a_value(argv: list[str], expected: list[str]) -> None:
    assert hoist_global_options(argv) == expected


def test_timeout_force_unlock_fail_fast_and_detailed_exitcode(recorder: Recorder) -> None:
    invoke("apply", "-e", "eks-prod", "--all", "--timeout", "45m", "--force-unlock", "--fail-fast")
    assert recorder.options is not None and recorder.options.unit_timeout == 2700
    assert recorder.options.force_unlock and recorder.options.fail_fast
    invoke("plan", "-e", "eks-prod", "--all", "--detailed-exitcode", "--timeout", "90")
    assert recorder.options.detailed_exitcode and recorder.options.unit_timeout == 90


def test_apply_and_destroy_pass_their_flags(recorder: Recorder) -> None:
    invoke("apply", "-e", "eks-prod", "--run-id", "R1", "--auto-approve", "--allow-destroy")
    assert recorder.workspace["selection"].all, "a run id with no selection applies all its units"
    assert recorder.keywords["run_id"] == "R1" and recorder.keywords["auto_approve"]
    assert recorder.keywords["allow_destroy"] and callable(recorder.keywords["confirm"])
    invoke("destroy", "-e", "eks-prod", "--all", "--allow-destroy")
    assert recorder.keywords["allow_destroy"] and not recorder.keywords["auto_approve"]
    assert callable(recorder.keywords["confirm_name"])


def test_validate_selects_every_unit_when_given_none(recorder: Recorder) -> None:
    invoke("validate", "-e", "eks-prod")
    assert recorder.workspace["selection"].all and recorder.workspace["guard"] is False


def test_unlock_passes_its_units_and_force(recorder: Recorder, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[Any, ...]] = []

    def unlock(ws: object, units: list[str] | None, *, force: bool) -> None:
        calls.append((units, force))
        raise Stop

    monkeypatch.setattr(runs, "unlock", unlock)
    invoke("unlock", "-e", "eks-prod", "-u", "10-a", "--unit", "20-b", "--force")
    assert calls == [(["10-a", "20-b"], True)] and recorder.workspace["select"] is False


@pytest.mark.parametrize("fmt", list(GraphFormat))
def test_graph_formats_reach_their_renderer(recorder: Recorder, monkeypatch: pytest.MonkeyPatch, fmt: str) -> None:
    from orchestrator import graph

    assert set(GraphFormat) == set(graph.RENDERERS), "a format without a renderer, or the reverse"
    monkeypatch.setattr(graph, "RENDERERS", {name: (lambda g, name=name: f"{name}: {g}") for name in GraphFormat})
    result = invoke("graph", "-e", "eks-prod", "-f", fmt)
    assert result.exit_code == 0 and result.stdout == f"{fmt}: the graph\n", result.output


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["graph", "-e", "eks-prod", "--format", "yaml"], "'yaml' is not one of 'tree', 'json', 'dot', 'mermaid'"),
        (["plan", "-e", "eks-prod", "--all", "--timeout", "soon"], "--timeout 'soon': not a duration"),
        (["plan", "-e", "eks-prod", "--all", "--layer", "30"], "--all selects every unit"),
        (["drift", "-e", "eks-prod", "--all", "-p", "0"], "'--parallelism'"),
    ],
)
def test_bad_values_are_refused_in_one_line(
    recorder: Recorder,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    named: str,
) -> None:
    code, err = run_main(monkeypatch, capsys, *args)
    assert code == 1 and len(err.splitlines()) == 1 and err.startswith("error:") and named in err, err
    assert recorder.command is None, "the library ran despite the bad value"


@pytest.mark.parametrize(
    ("args", "env"),
    [(["bootstrap", "-e", "eks-dev"], {}), (["bootstrap"], {"ORCH_ENV": "eks-dev"})],
    ids=["-e", "ORCH_ENV"],
)
def test_bootstrap_takes_the_environment_from_e_or_orch_env(
    monkeypatch: pytest.MonkeyPatch, args: list[str], env: dict[str, str]
) -> None:
    loaded: list[str] = []

    def load_env(name: str) -> None:
        loaded.append(name)
        raise Stop

    monkeypatch.setattr("orchestrator.config.load_env", load_env)
    assert isinstance(invoke(*args, **env).exception, Stop)
    assert loaded == ["eks-dev"]


def test_local_env_takes_the_region_of_e_or_orch_env(monkeypatch: pytest.MonkeyPatch) -> None:
    loaded: list[str] = []

    def load_env(name: str) -> SimpleNamespace:
        loaded.append(name)
        return SimpleNamespace(region="eu-west-1")

    emulator = SimpleNamespace(shell_env=lambda region: {"AWS_REGION": region})
    monkeypatch.setattr("orchestrator.emulator.status", lambda: emulator)
    monkeypatch.setattr("orchestrator.config.load_env", load_env)
    assert "export AWS_REGION=eu-west-1" in invoke("local", "env", "-e", "eks-prod").stdout
    assert "export AWS_REGION=eu-west-1" in invoke("local", "env", ORCH_ENV="eks-dev").stdout
    assert loaded == ["eks-prod", "eks-dev"]


def test_doctor_gets_the_profile_given_after_the_command(monkeypatch: pytest.MonkeyPatch) -> None:
    profiles: list[str | None] = []

    def run(profile: str | None = None) -> None:
        profiles.append(profile)
        raise Stop

    monkeypatch.setattr("orchestrator.doctor.run", run)
    assert isinstance(invoke("doctor", "--json", "--profile", "ops").exception, Stop)
    assert profiles == ["ops"]
