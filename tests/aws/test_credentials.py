"""Account guard, missing credentials, role assumption and refresh, against a real moto server."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from orchestrator import emulator
from orchestrator.aws import credentials
from orchestrator.aws.credentials import AccountMismatchError
from orchestrator.aws.session import open_session
from orchestrator.config import EnvConfig, load_env
from tests.helpers import Emu, clean_env, run_orch, scan_for_secrets

pytestmark = pytest.mark.emulator

ENV = load_env("eks-prod")
ROLE = "arn:aws:iam::111111111111:role/orch-terraform-execution"


def with_role(external_id: str | None = None, duration: int = 3600) -> EnvConfig:
    role = ENV.execution_role.model_copy(update={"arn": ROLE, "external_id": external_id, "session_duration": duration})
    return ENV.model_copy(update={"execution_role": role})


def with_role_arn(arn: str | None) -> EnvConfig:
    return ENV.model_copy(update={"execution_role": ENV.execution_role.model_copy(update={"arn": arn})})


def test_emulator_with_another_account_is_refused(tmp_path: Path) -> None:
    state = tmp_path / "state"
    emulator.start(state / "local", account_id="999999999999")
    try:
        env = clean_env(tmp_path, ORCH_STATE_DIR=str(state), ORCH_LOCAL_ACCOUNT_ID="123456789012")
        out = run_orch("--local", "bootstrap", "--env", "eks-prod", "--json", env=env)
    finally:
        emulator.stop(state / "local")
    assert out.returncode == 1
    assert "999999999999" in out.stderr and "123456789012" in out.stderr
    assert "Traceback" not in out.stderr and out.stdout == ""


def test_real_mode_guard_compares_with_env_account(emu: Emu, monkeypatch: pytest.MonkeyPatch) -> None:
    """Not local: the identity Terragrunt will use (here from the emulator, through AWS_ENDPOINT_URL) must be
    env.account_id. Without an execution role that is the caller, the emulator's 123456789012; with one,
    the assumed role, whose credentials are the role's account as on AWS (emulator.patches.accounts)."""
    for key, value in {
        "AWS_ENDPOINT_URL": emu.endpoint,
        "AWS_CA_BUNDLE": emu.status.ca_bundle,
        "AWS_ACCESS_KEY_ID": "test",
        "AWS_SECRET_ACCESS_KEY": "test",
    }.items():
        monkeypatch.setenv(key, value)
    with pytest.raises(AccountMismatchError) as err:
        open_session(with_role_arn(None), local=False, profile=None, guard=True)
    message = str(err.value)
    assert "123456789012" in message and "111111111111" in message and "env.yaml" in message
    # A role of another account than env.yaml's (config validation would refuse it first): named too.
    with pytest.raises(AccountMismatchError, match="credentials are for account 222222222222"):
        open_session(with_role_arn("arn:aws:iam::222222222222:role/elsewhere"), local=False, profile=None, guard=True)
    # The environment's own role: its account, so the guard lets the run go on.
    run = open_session(ENV, local=False, profile=None, guard=True)
    assert run.account_id == "111111111111" and run.role_arn == ENV.execution_role.arn
    # guard=False (validate, graph): no AWS call at all
    run = open_session(ENV, local=False, profile=None, guard=False)
    assert run.account_id is None and run.env["AWS_REGION"] == "ap-northeast-2"


def test_missing_credentials_is_one_clear_line(tmp_path: Path) -> None:
    out = run_orch("bootstrap", "--env", "eks-prod", env=clean_env(tmp_path))
    assert out.returncode == 1
    lines = [line for line in out.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, out.stderr
    assert credentials.LOOKED_FOR in lines[0]

    out = run_orch("--profile", "nope", "bootstrap", "--env", "eks-prod", env=clean_env(tmp_path))
    assert out.returncode == 1 and "'nope'" in out.stderr and "Traceback" not in out.stderr


def test_role_is_assumed_and_reaches_the_engine_env(emu: Emu, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ORCH_STATE_DIR", str(emu.state_root))
    monkeypatch.setenv("BUILD_TAG", "jenkins-eks-prod-42")
    run = open_session(with_role(external_id="ext-123"), local=True, profile=None, guard=True)
    assert run.role_arn == "arn:aws:iam::123456789012:role/orch-terraform-execution"  # mapped account
    assert run.caller_arn == (
        "arn:aws:sts::123456789012:assumed-role/orch-terraform-execution/orch-jenkins-eks-prod-42"
    )
    env = run.env
    assert env["ORCH_ROLE_ASSUMED"] == "1" and env["ORCH_LOCAL_ENDPOINT"] == emu.endpoint
    assert env["ORCH_LOCAL_ACCOUNT_ID"] == "123456789012" and env["AWS_SESSION_TOKEN"]
    assert env["AWS_SECRET_ACCESS_KEY"] in run.secrets and env["AWS_SESSION_TOKEN"] in run.secrets
    # the engine identity is the role
    sts = emu.client(
        "sts",
        aws_access_key_id=env["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"],
        aws_session_token=env["AWS_SESSION_TOKEN"],
    )
    assert "assumed-role/orch-terraform-execution" in sts.get_caller_identity()["Arn"]
    # nothing orch keeps on disk holds them
    assert scan_for_secrets([emu.state_root], run.secrets) == []


def test_refresh_before_expiry(emu: Emu, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ORCH_STATE_DIR", str(emu.state_root))
    run = open_session(with_role(), local=True, profile=None, guard=True)
    token = run.env["AWS_SESSION_TOKEN"]
    run.refresh_if_needed()
    assert run.env["AWS_SESSION_TOKEN"] == token  # an hour left: nothing to do
    run._role = run._role.model_copy(update={"expiration": datetime.now(UTC) + timedelta(minutes=5)})
    run.refresh_if_needed()
    assert run.env["AWS_SESSION_TOKEN"] != token
    assert run.expires_at > datetime.now(UTC) + timedelta(minutes=30)


def test_session_names() -> None:
    assert credentials.default_session_name("my run/1") == "my-run-1"
    assert len(credentials.default_session_name("x" * 100)) == 64


def test_the_one_redact_function_removes_a_secret_value() -> None:
    """orchestrator.redact.redact is the one redaction function (logs, plan JSON, reports,
    notifications); redaction_values feeds it the run's secrets."""
    from orchestrator.redact import redact

    assert redact("key=SECRETVALUE123 ok", ["SECRETVALUE123"]) == "key=*** ok"


def test_local_runs_reinitialise_a_moved_backend_but_real_runs_do_not(
    emu: Emu, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The emulator's port changes between restarts, and with it the generated backend block:
    local runs pass -reconfigure to every init; real runs must stop on a changed backend."""
    monkeypatch.setenv("ORCH_STATE_DIR", str(emu.state_root))
    local = open_session(ENV, local=True, profile=None, guard=True)
    assert local.env["TF_CLI_ARGS_init"] == "-reconfigure"
    real = open_session(ENV, local=False, profile=None, guard=False)
    assert "TF_CLI_ARGS_init" not in real.env
