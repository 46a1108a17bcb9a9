"""`orch local up|status|down` and `--local` auto-start: real moto processes, files under .orch/."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from orchestrator import emulator
from orchestrator.pids import pid_alive
from tests.helpers import clean_env, run_orch, wait_until

pytestmark = pytest.mark.emulator


def test_up_status_down(tmp_path: Path) -> None:
    env = clean_env(tmp_path, ORCH_STATE_DIR=str(tmp_path / ".orch"))
    up = run_orch("local", "up", "--json", env=env)
    assert up.returncode == 0, up.stderr
    info = json.loads(up.stdout)
    try:
        assert set(info) == {"endpoint", "pid", "account_id", "proxy", "ca_bundle"}
        assert info["ca_bundle"] == str(tmp_path / ".orch" / "local" / "tls" / "cert.pem")
        assert info["proxy"].startswith("http://127.0.0.1:")
        assert info["endpoint"].startswith("https://127.0.0.1:") and info["account_id"] == "123456789012"
        local = tmp_path / ".orch" / "local"
        assert (local / "moto.pid").read_text().strip() == str(info["pid"])
        assert (local / "moto.log").exists() and (local / "tls" / "cert.pem").exists()
        assert emulator.healthy(info["endpoint"], cafile=local / "tls" / "cert.pem")

        status = run_orch("local", "status", "--json", env=env)
        assert status.returncode == 0 and json.loads(status.stdout) == info
        again = run_orch("local", "up", "--json", env=env)  # already up: same server
        assert json.loads(again.stdout)["pid"] == info["pid"]

        # `eval "$(orch local env)"` then the AWS SDK reaches the emulator over verified TLS,
        # with no endpoint or certificate given in code.
        exports = run_orch("local", "env", "--region", "eu-west-1", env=env)
        assert exports.returncode == 0, exports.stderr
        probe = (
            "import boto3; "
            "print(boto3.client('sts').get_caller_identity()['Account'], boto3.client('ec2').meta.region_name)"
        )
        script = f"{exports.stdout}\n{sys.executable} -c {shlex.quote(probe)}"
        shell = subprocess.run(
            ["bash", "-c", script],
            env={**env, "AWS_PROFILE": "someone-real"},
            capture_output=True,
            text=True,
            check=False,
        )
        assert shell.returncode == 0, shell.stderr
        assert shell.stdout.split() == ["123456789012", "eu-west-1"]
    finally:
        down = run_orch("local", "down", "--json", env=env)
    assert down.returncode == 0 and json.loads(down.stdout) == {"stopped": True}
    wait_until(lambda: not pid_alive(info["pid"]), timeout=5, interval=0.1)
    assert not pid_alive(info["pid"])
    status = run_orch("local", "status", "--json", env=env)
    assert status.returncode == 1 and json.loads(status.stdout)["endpoint"] is None
    none = run_orch("local", "env", env=env)
    assert none.returncode == 1 and "no emulator is running" in none.stderr and "Traceback" not in none.stderr


def test_local_flag_starts_the_emulator_and_leaves_it_running(tmp_path: Path) -> None:
    state = tmp_path / ".orch"
    env = clean_env(tmp_path, ORCH_STATE_DIR=str(state), ORCH_LOCAL="1")
    try:
        out = run_orch("bootstrap", "--env", "eks-prod", "--json", env=env)
        assert out.returncode == 0, out.stderr
        assert json.loads(out.stdout)["changed"] is True
        running = emulator.status(state / "local")
        assert running is not None and running.pid and os.path.exists(f"/proc/{running.pid}")
    finally:
        emulator.stop(state / "local")


def test_port_and_account_options(tmp_path: Path) -> None:
    port = emulator.free_port()
    state = tmp_path / "local"
    status = emulator.start(state, port=port, account_id="210987654321")
    try:
        assert status.port == port and status.account_id == "210987654321"
        assert json.loads((state / "state.json").read_text())["account_id"] == "210987654321"
    finally:
        assert emulator.stop(state)
    assert emulator.status(state) is None


@pytest.mark.engines
def test_plans_keep_working_after_the_emulator_restarts(tmp_path: Path) -> None:
    """A restarted emulator listens on another port, so the backend block changes; Terragrunt does
    not re-run init for that. Local runs keep their source copies per emulator port, so the plan
    after a restart initialises afresh instead of failing with "Backend initialization required",
    and the units' own .terragrunt-cache (real AWS) is left alone."""
    env = clean_env(tmp_path, ORCH_STATE_DIR=str(tmp_path / ".orch"), ORCH_RUNS_DIR=str(tmp_path / "runs"))
    try:
        for _ in range(2):
            assert (up := run_orch("local", "up", env=env)).returncode == 0, up.stderr
            boot = run_orch("--local", "bootstrap", "--env", "eks-prod", env=env, timeout=300)
            assert boot.returncode == 0, boot.stderr
            plan = run_orch(
                "--local", "plan", "--env", "eks-prod", "--layer", "00-foundation", "--json", env=env, timeout=600
            )
            assert plan.returncode == 0, plan.stdout[-3000:] + plan.stderr[-3000:]
            assert json.loads(plan.stdout)["units"][0]["result"] == "changes"
            port = json.loads((tmp_path / ".orch/local/state.json").read_text())["port"]
            assert list((tmp_path / ".orch/local/tg-cache" / str(port)).glob("*/*/.terragrunt-source-version"))
            assert (down := run_orch("local", "down", env=env)).returncode == 0, down.stderr
            assert not (tmp_path / ".orch/local/tg-cache").exists()
    finally:
        run_orch("local", "down", env=env)


def test_an_emulator_gone_during_a_command_is_named_with_the_command_that_starts_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The emulator stops after the command opened its session (killed, `orch local down` in another
    shell): bootstrap and the plan's state-backend check say so in one line naming the endpoint, with
    the command that starts one, instead of a traceback or a credentials error."""
    from orchestrator.aws import backend
    from orchestrator.aws.credentials import resolve_caller
    from orchestrator.aws.session import open_session
    from orchestrator.config import load_env
    from orchestrator.errors import OrchError

    env_cfg = load_env("eks-prod")
    state = tmp_path / ".orch"
    monkeypatch.setenv("ORCH_STATE_DIR", str(state))
    status = emulator.start(state / "local")
    try:
        session = open_session(env_cfg, local=True, profile=None, guard=True)
    finally:
        emulator.stop(state / "local")
    want = f"the local emulator at {status.endpoint} does not answer (EndpointConnectionError)"
    for call in (
        lambda: backend.bootstrap(env_cfg, session),
        lambda: backend.require_state_bucket(env_cfg, session, local=True),
        lambda: resolve_caller(session.boto_session(), endpoint=session.endpoint, ca_bundle=status.ca_bundle),
    ):
        with pytest.raises(OrchError) as err:
            call()
        assert err.value.message == want
        assert err.value.hint is not None and "orch --local local up" in err.value.hint
