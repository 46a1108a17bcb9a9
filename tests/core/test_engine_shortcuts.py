"""The engine calls a delegated run's wrapper answers itself (orchestrator/runs/engine_shortcuts.py):
Terragrunt's needless `init` of a module without providers, and `output -json` of a unit with local
state that orch has just run. Real OpenTofu and Terragrunt, except where a test says otherwise.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from orchestrator import runs, tools
from orchestrator.runs import RunOptions
from orchestrator.runs.engine_server import wrapper_script
from orchestrator.runs.engine_shortcuts import SKIPPED_INIT, outputs_json, publish_outputs, take_skipped_init
from orchestrator.runs.results import Result
from orchestrator.selection import Selection

pytestmark = pytest.mark.engines
OPTS = RunOptions(quiet=True, parallelism=4)

OUTPUTS_MODULE = """
terraform {
  backend "local" {
    path = "state/terraform.tfstate"
  }
}
variable "name" {
  type    = string
  default = "first"
}
resource "terraform_data" "this" {
  input = var.name
}
output "text" {
  value = terraform_data.this.output
}
output "number" {
  value = 42
}
output "list" {
  value = ["a", "b"]
}
output "object" {
  value = { name = var.name, sizes = [1, 2], nested = { on = true } }
}
output "nothing" {
  value = null
}
output "secret" {
  value     = "s3cr3t-${var.name}"
  sensitive = true
}
"""


def _tofu(work: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(tools.find_tool("tofu")), *args],
        cwd=work,
        env=tools.engine_env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )


def _wrapper(tmp_path: Path, answers: Path) -> Path:
    """The run's wrapper in front of a stand-in engine that only says it ran (and exits 3), so that a
    test sees whether an answer came from the wrapper or would have come from the engine."""
    engine = tmp_path / "engine" / "tofu"
    engine.parent.mkdir()
    engine.write_text('#!/bin/sh\necho "ENGINE $*"\nexit 3\n')
    engine.chmod(0o755)
    wrapper = tmp_path / "wrapper"
    wrapper.write_text(wrapper_script(str(engine), token="run-token", answers=answers))
    wrapper.chmod(0o700)
    return wrapper


def _call(wrapper: Path, cwd: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(wrapper), *args], cwd=cwd, env=env or dict(os.environ), capture_output=True, text=True, check=False
    )


def test_outputs_answered_from_local_state_are_what_tofu_output_prints(tmp_path: Path) -> None:
    """Every kind of output (string, number, list, object, null, sensitive) as `tofu output -json`
    prints it; once the state file is newer than the answer, the engine answers again."""
    work = tmp_path / "work"
    work.mkdir()
    (work / "main.tf").write_text(OUTPUTS_MODULE)
    _tofu(work, "init", "-input=false", "-no-color")
    _tofu(work, "apply", "-auto-approve", "-input=false", "-no-color")
    printed = json.loads(_tofu(work, "output", "-json").stdout)
    state = json.loads((work / "state" / "terraform.tfstate").read_text())
    assert outputs_json(state) == printed

    answers = tmp_path / "answers"
    assert publish_outputs(answers, work, {})
    wrapper = _wrapper(tmp_path, answers)
    answered = _call(wrapper, work, "output", "-json")
    assert answered.returncode == 0, answered.stderr
    assert json.loads(answered.stdout) == printed
    # Anything but the exact call Terragrunt makes goes to the engine.
    assert _call(wrapper, work, "output", "-json", "text").stdout == "ENGINE output -json text\n"

    _tofu(work, "apply", "-auto-approve", "-input=false", "-no-color", "-var", "name=second")
    stale = _call(wrapper, work, "output", "-json")
    assert (stale.returncode, stale.stdout) == (3, "ENGINE output -json\n")
    assert publish_outputs(answers, work, {})
    assert json.loads(_call(wrapper, work, "output", "-json").stdout)["object"]["value"]["name"] == "second"


def test_no_answer_without_a_local_state_file(tmp_path: Path) -> None:
    """Pure logic (no engine): a directory never initialised, another backend or another workspace
    gets no answer, so Terragrunt's `tofu output` runs as usual."""
    answers = tmp_path / "answers"
    work = tmp_path / "work"
    (work / ".terraform").mkdir(parents=True)
    assert not publish_outputs(answers, work, {})
    backend = {"version": 3, "backend": {"type": "s3", "config": {"bucket": "b", "key": "k"}}}
    (work / ".terraform" / "terraform.tfstate").write_text(json.dumps(backend))
    assert not publish_outputs(answers, work, {})
    backend["backend"] = {"type": "local", "config": {"path": "terraform.tfstate"}}
    (work / ".terraform" / "terraform.tfstate").write_text(json.dumps(backend))
    assert not publish_outputs(answers, work, {}), "no state file yet"
    (work / "terraform.tfstate").write_text(json.dumps({"version": 4, "outputs": {}}))
    assert not publish_outputs(answers, work, {"TF_WORKSPACE": "blue"})
    assert publish_outputs(answers, work, {})
    assert _call(_wrapper(tmp_path, answers), work, "output", "-json").stdout.strip() == "{}"


def test_the_wrapper_skips_only_a_plain_init_of_an_initialised_directory_without_lock_file(tmp_path: Path) -> None:
    """Pure logic of the `sh` wrapper, with a stand-in engine: which `init` calls it answers itself."""
    answers = tmp_path / "answers"
    wrapper = _wrapper(tmp_path, answers)
    work = tmp_path / "work"
    work.mkdir()
    assert _call(wrapper, work, "init", "-no-color").stdout == "ENGINE init -no-color\n", "not initialised"
    (work / ".terraform").mkdir()
    (work / ".terraform" / "terraform.tfstate").write_text("{}")
    skipped = _call(wrapper, work, "init", "-no-color")
    assert skipped.returncode == 0 and "init skipped" in skipped.stdout
    assert (work / ".terraform" / SKIPPED_INIT).read_text() == "run-token\n"
    assert not take_skipped_init(work, "another-run")
    assert take_skipped_init(work, "run-token") is False, "a marker is read (and removed) once"
    _call(wrapper, work, "init")
    assert take_skipped_init(work, "run-token")
    assert not (work / ".terraform" / SKIPPED_INIT).exists()
    # The user's own init arguments, a lock file (the module has providers) or another data directory:
    # the engine runs.
    assert _call(wrapper, work, "init", "-no-color", "-upgrade").stdout.startswith("ENGINE")
    assert _call(wrapper, work, "init", env={**os.environ, "TF_DATA_DIR": "/elsewhere"}).stdout.startswith("ENGINE")
    (work / ".terraform.lock.hcl").write_text("")
    assert _call(wrapper, work, "init", "-no-color").stdout.startswith("ENGINE")


def _logging_engine(tmp_path: Path, calls: Path) -> Path:
    """The real OpenTofu behind a script that notes each call's subcommand (named `tofu`, as orch
    tells engines apart by name)."""
    engine = tmp_path / "logged-engine" / "tofu"
    engine.parent.mkdir()
    real = tools.find_tool("tofu")
    engine.write_text(f'#!/bin/sh\necho "$1" >> {calls}\nexec {real} "$@"\n')
    engine.chmod(0o755)
    return engine


def ws(stack: Path):
    return runs.open_workspace(stack_dir=stack, selection=Selection(all=True))


def _state_value(unit: Path) -> str:
    return str(json.loads((unit / "terraform.tfstate").read_text())["outputs"]["value"]["value"])


def test_plan_and_apply_start_no_engine_for_init_or_dependency_outputs(
    dag_stack: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On an applied stack with local state, Terragrunt's `init` and `output -json` calls never reach
    the engine, and every dependent still plans and applies with its dependencies' current outputs."""
    assert runs.apply(ws(dag_stack), OPTS, auto_approve=True).exit_code == 0
    calls = tmp_path / "calls"
    monkeypatch.setenv("ORCH_ENGINE", str(_logging_engine(tmp_path, calls)))

    report = runs.plan(ws(dag_stack), OPTS)
    assert report.exit_code == 0 and {u.result for u in report.units} == {Result.NO_CHANGES}
    made = calls.read_text().split()
    assert made.count("plan") == 10 and "init" not in made and "output" not in made, sorted(made)

    calls.unlink()
    (dag_stack / "10-a" / "value.txt").write_text("v2\n")
    applied = runs.apply(ws(dag_stack), OPTS, auto_approve=True)
    assert applied.exit_code == 0, [(u.path, u.error) for u in applied.units if u.error]
    made = calls.read_text().split()
    assert "output" not in made and made.count("apply") == 8, sorted(made)  # 10-a and the seven units below it
    # The change reached the bottom of the graph through the answered outputs.
    assert "a=v2" in _state_value(dag_stack / "20-c")
    assert _state_value(dag_stack / "50-j").count("a=v2") == 3


def test_a_skipped_init_the_module_needed_runs_before_the_step_is_tried_again(dag_stack: Path) -> None:
    """The module gains a module call after the first apply: the skipped init leaves it uninstalled, the
    plan fails on that, and orch runs the init and the plan once more: every unit plans."""
    assert runs.apply(ws(dag_stack), OPTS, auto_approve=True).exit_code == 0
    module = dag_stack / "modules" / "data"
    (module / "child").mkdir()
    (module / "child" / "main.tf").write_text('output "greeting" {\n  value = "hello"\n}\n')
    with (module / "main.tf").open("a") as handle:
        handle.write('\nmodule "child" {\n  source = "./child"\n}\n')
    report = runs.plan(ws(dag_stack), OPTS)
    assert report.exit_code == 0, [(u.path, u.error) for u in report.units if u.error]
    assert {u.result for u in report.units} == {Result.NO_CHANGES}
    log = (dag_stack / ".orch" / "runs" / report.run_id / "10-a" / "terragrunt.log").read_text()
    assert "init skipped" in log and "running init, then the step once more" in log
    assert "Module not installed" in log
