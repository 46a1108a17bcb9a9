"""Terragrunt's `-version` probes answered without starting the engine (orchestrator/engine_probe.py):
the `tofu` orch puts first on PATH, and the wrapper of a delegated run. Real Terragrunt and OpenTofu;
a stand-in engine where a test must see whether the engine itself ran (it logs each call).
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from orchestrator import engine_probe, tools
from orchestrator.runs.engine_server import wrapper_script

pytestmark = pytest.mark.engines

UNIT = 'terraform {\n  source = "."\n}\n'


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """orch's cache in tmp_path, so each test asks its engines afresh."""
    monkeypatch.setenv("ORCH_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def _logging_engine(tmp_path: Path) -> tuple[Path, Path]:
    """A `tofu` that logs its arguments, then runs the real OpenTofu: (its directory, its log)."""
    real = tools.find_tool("tofu")
    assert real is not None
    directory, log = tmp_path / "logging-engine", tmp_path / "engine-calls.log"
    directory.mkdir()
    script = directory / "tofu"
    script.write_text(f'#!/bin/sh\necho "$*" >> {log}\nexec {real} "$@"\n')
    script.chmod(0o755)
    return directory, log


def _env_with_first_on_path(directory: Path) -> dict[str, str]:
    env = tools.engine_env()
    env["PATH"] = f"{directory}{os.pathsep}{env['PATH']}"
    return env


def _calls(log: Path) -> list[str]:
    return log.read_text().splitlines() if log.exists() else []


def test_the_probe_answers_what_the_engine_prints_without_running_it(tmp_path: Path, cache: Path) -> None:
    directory, log = _logging_engine(tmp_path)
    env = _env_with_first_on_path(directory)
    probes = engine_probe.probe_dir(env)
    assert probes is not None and probes.is_relative_to(cache)
    empty = tmp_path / "empty"
    empty.mkdir()
    real = subprocess.run(["tofu", "-version"], cwd=empty, env=env, capture_output=True, text=True, check=True)
    asked = len(_calls(log))  # the real engine was asked once to build the answer, and once just now
    probed_env = {**env, "PATH": f"{probes}{os.pathsep}{env['PATH']}"}
    answered = subprocess.run(["tofu", "-version"], cwd=empty, env=probed_env, capture_output=True, text=True)
    assert answered.returncode == 0
    assert answered.stdout == real.stdout
    assert "OpenTofu v" in answered.stdout
    assert len(_calls(log)) == asked, "the probe started the engine"


@pytest.mark.parametrize(
    ("args", "where", "extra_env"),
    [
        (["version"], "empty", {}),
        (["-version", "-json"], "empty", {}),
        (["-version"], "initialised", {}),  # an initialised directory adds its providers to the answer
        (["-version"], "empty", {"TF_DATA_DIR": "elsewhere"}),
        (["-version"], "empty", {"TF_CLI_CONFIG_FILE": "/nonexistent.tfrc"}),  # it warns about that file
    ],
)
def test_everything_else_runs_the_engine(
    tmp_path: Path, cache: Path, args: list[str], where: str, extra_env: dict[str, str]
) -> None:
    directory, log = _logging_engine(tmp_path)
    env = _env_with_first_on_path(directory)
    probes = engine_probe.probe_dir(env)
    assert probes is not None
    cwd = tmp_path / where
    cwd.mkdir()
    if where == "initialised":
        (cwd / ".terraform").mkdir()
    before = len(_calls(log))
    run_env = {**env, **extra_env, "PATH": f"{probes}{os.pathsep}{env['PATH']}"}
    subprocess.run(["tofu", *args], cwd=cwd, env=run_env, capture_output=True, text=True, check=False)
    assert _calls(log)[before:] == [" ".join(args)]


def test_terragrunt_starts_no_engine_for_its_start_up_probe(tmp_path: Path, cache: Path) -> None:
    """`terragrunt find` with orch's environment: the engine is never asked `-version` (without the
    probe it is: the control run, which also shows Terragrunt still probes at all)."""
    directory, log = _logging_engine(tmp_path)
    stack = tmp_path / "stack"
    (stack / "unit").mkdir(parents=True)
    (stack / "unit" / "terragrunt.hcl").write_text(UNIT)
    env = _env_with_first_on_path(directory)
    find = [str(tools.find_tool("terragrunt")), "find", "--json", "--non-interactive"]
    subprocess.run(find, cwd=stack, env=env, capture_output=True, text=True, check=True)
    assert "-version" in _calls(log), "Terragrunt no longer probes `tofu -version`: engine_probe.py is obsolete"
    log.unlink()
    probes = engine_probe.probe_dir(env)
    assert probes is not None
    log.unlink(missing_ok=True)  # building the answer asked the engine once
    probed = {**env, "PATH": f"{probes}{os.pathsep}{env['PATH']}"}
    found = subprocess.run(find, cwd=stack, env=probed, capture_output=True, text=True, check=True)
    assert "unit" in found.stdout
    assert "-version" not in _calls(log)


def test_engine_env_puts_the_probe_first_once(cache: Path) -> None:
    env = tools.engine_env()
    first = env["PATH"].split(os.pathsep)[0]
    assert Path(first).is_relative_to(cache / "engine-probes")
    again = tools.engine_env(env)
    assert again["PATH"].split(os.pathsep).count(first) == 1


def test_without_a_writable_cache_nothing_changes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocked = tmp_path / "not-a-dir"
    blocked.write_text("a file where the cache would be")
    monkeypatch.setenv("ORCH_CACHE_DIR", str(blocked))
    env = tools.engine_env()
    assert engine_probe.probe_dir(env) is None
    assert str(blocked) not in env["PATH"]


def test_a_rebuilt_engine_is_asked_again(tmp_path: Path, cache: Path) -> None:
    """The answer belongs to one build (path, size, mtime): a changed binary gets its own."""
    engine = tmp_path / "bin" / "tofu"
    engine.parent.mkdir()
    engine.write_text("#!/bin/sh\necho 'OpenTofu v9.9.1'\n")
    engine.chmod(0o755)
    env = {"PATH": str(engine.parent)}
    assert engine_probe.version_text(engine, env) == "OpenTofu v9.9.1\n"
    engine.write_text("#!/bin/sh\necho 'OpenTofu v9.9.20'\n")  # another size
    assert engine_probe.version_text(engine, env) == "OpenTofu v9.9.20\n"


def test_the_run_wrapper_answers_the_probe_too(tmp_path: Path, cache: Path) -> None:
    """A delegated run's `--tf-path` answers Terragrunt's `-version` itself and passes the rest on."""
    directory, log = _logging_engine(tmp_path)
    env = _env_with_first_on_path(directory)
    engine = directory / "tofu"
    wrapper = tmp_path / "wrapper"
    wrapper.write_text(wrapper_script(str(engine), token="t", answers=tmp_path / "answers", env=env))
    wrapper.chmod(0o700)
    empty = tmp_path / "empty"
    empty.mkdir()
    expected = engine_probe.version_text(engine, env)
    log.unlink(missing_ok=True)
    answered = subprocess.run([str(wrapper), "-version"], cwd=empty, env=env, capture_output=True, text=True)
    assert answered.returncode == 0 and answered.stdout == expected
    assert _calls(log) == []
    subprocess.run([str(wrapper), "version"], cwd=empty, env=env, capture_output=True, text=True, check=False)
    assert _calls(log) == ["version"]
