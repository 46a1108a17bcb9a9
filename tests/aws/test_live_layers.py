"""A Terragrunt unit with the real root.hcl on the emulator: S3 backend state, lock and assumed role.

The environment folder is copied to a temp dir (environments/root.hcl, LIVE/settings.hcl, env.yaml with an
execution role, emulator-overrides.yaml) and one unit that uses tests/fixtures/aws-probe is added.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from pathlib import Path

import pytest
import yaml

from orchestrator import tools
from orchestrator.aws import backend
from orchestrator.aws.session import RunSession, open_session
from orchestrator.config import load_env_file
from tests.helpers import REPO, Emu, scan_for_secrets, tofu_runner, wait_until

pytestmark = [pytest.mark.emulator, pytest.mark.engines]


LIVE = REPO / "environments" / "LIVE" / "eks-prod"
FIXTURE = REPO / "tests" / "fixtures" / "aws-probe"
UNIT = "99-probe"


@pytest.fixture
def live_copy(tmp_path: Path, engine_env: dict[str, str]) -> Path:
    env_dir = tmp_path / "environments" / "LIVE" / "eks-prod"
    env_dir.mkdir(parents=True)
    shutil.copy(LIVE.parent / "settings.hcl", env_dir.parent / "settings.hcl")
    for name in ("root.hcl", "local-mode.hcl", "emulator-overrides.yaml"):
        shutil.copy(REPO / "environments" / name, tmp_path / "environments" / name)
    config = yaml.safe_load((LIVE / "env.yaml").read_text())
    config["execution_role"]["arn"] = "arn:aws:iam::111111111111:role/orch-terraform-execution"
    (env_dir / "env.yaml").write_text(yaml.safe_dump(config, sort_keys=False))
    unit = env_dir / UNIT
    unit.mkdir()
    (unit / "terragrunt.hcl").write_text(
        'include "root" {\n  path   = find_in_parent_folders("root.hcl")\n  expose = true\n}\n'
        f'terraform {{\n  source = "{FIXTURE}"\n}}\n'
    )
    return env_dir


def terragrunt(
    unit: Path, session: RunSession, base: dict[str, str], *args: str, **extra: str
) -> subprocess.Popen[str]:
    session.refresh_if_needed()
    env = {**base, **session.env, **extra}
    command = [str(tools.find_tool("terragrunt")), "run", "--non-interactive", "--", *args]
    return subprocess.Popen(command, cwd=unit, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def finish(proc: subprocess.Popen[str], timeout: float = 300) -> tuple[int, str]:
    out, _ = proc.communicate(timeout=timeout)
    return proc.returncode, out


def test_apply_state_lock_and_role(
    fresh_emu: Emu, live_copy: Path, engine_env: dict[str, str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """State encrypted in the bucket, the role reaching the provider, the lock refusing and then waiting,
    no secret on disk: one test, because each needs the same bootstrap and first apply (minutes of engine
    time) and the later checks build on the earlier ones' state."""
    monkeypatch.setenv("ORCH_STATE_DIR", str(fresh_emu.state_root))
    env = load_env_file(live_copy / "env.yaml")
    session = open_session(env, local=True, profile=None, guard=True, session_name="orch-test-apply")
    backend.bootstrap(env, session)
    unit = live_copy / UNIT

    code, out = finish(terragrunt(unit, session, engine_env, "apply", "-auto-approve"))
    assert code == 0, out

    # state is in the bucket, encrypted with the state key
    s3 = fresh_emu.client("s3")
    key = f"{env.state.key_prefix}/{UNIT}/terraform.tfstate"
    head = s3.head_object(Bucket=env.state.bucket, Key=key)
    assert head["ServerSideEncryption"] == "aws:kms"
    state = json.loads(s3.get_object(Bucket=env.state.bucket, Key=key)["Body"].read())
    outputs = state["outputs"]
    # the role orch assumed reached Terragrunt and the provider
    assert outputs["caller_arn"]["value"] == (
        "arn:aws:sts::123456789012:assumed-role/orch-terraform-execution/orch-test-apply"
    )
    assert outputs["account_id"]["value"] == "123456789012"

    # a concurrent apply on the same unit fails on the lock with a clear message
    holder = terragrunt(
        unit, session, engine_env, "apply", "-auto-approve", TF_VAR_hold_seconds="20", TF_VAR_run_id="2"
    )
    lock_key = f"{key}.tflock"

    def locked() -> bool:
        """Whether the holder's .tflock is there; the holder must not have ended before writing it."""
        if s3.list_objects_v2(Bucket=env.state.bucket, Prefix=lock_key).get("KeyCount"):
            return True
        assert holder.poll() is None, holder.communicate()[0]
        return False

    if not wait_until(locked, timeout=120, interval=0.5):
        pytest.fail("the first apply never wrote its .tflock")
    code, out = finish(terragrunt(unit, session, engine_env, "apply", "-auto-approve", "-lock-timeout=0s"))
    assert code != 0
    assert "Error acquiring the state lock" in out, out
    held_code, held_out = finish(holder)
    assert held_code == 0, held_out
    assert not s3.list_objects_v2(Bucket=env.state.bucket, Prefix=lock_key).get("KeyCount")

    # with a lock timeout, the second apply waits for the first instead of failing
    holder = terragrunt(unit, session, engine_env, "apply", "-auto-approve", TF_VAR_hold_seconds="8", TF_VAR_run_id="3")
    while not locked():
        time.sleep(0.5)
    code, out = finish(
        terragrunt(unit, session, engine_env, "apply", "-auto-approve", "-lock-timeout=120s", TF_VAR_run_id="3")
    )
    assert code == 0, out
    assert finish(holder)[0] == 0

    # no credential in anything written on disk during the run
    assert scan_for_secrets([tmp_path, fresh_emu.state_root, REPO / ".orch"], session.secrets) == []


BACKEND = """terraform {{
  backend "s3" {{
    bucket         = "{bucket}"
    key            = "eks-prod/tofu-only/terraform.tfstate"
    region         = "ap-northeast-2"
    use_lockfile   = true
    endpoints      = {{ s3 = "{endpoint}", sts = "{endpoint}" }}
    use_path_style = true
    skip_credentials_validation = true
    skip_metadata_api_check     = true
    skip_region_validation      = true
    {encryption}
  }}
}}
resource "terraform_data" "x" {{
  input = "state"
}}
"""


def test_backend_policy_admits_the_encrypted_backend_only(
    fresh_emu: Emu, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """OpenTofu alone (no provider): state and .tflock PUTs pass the bucket policy only with SSE-KMS."""
    monkeypatch.setenv("ORCH_STATE_DIR", str(fresh_emu.state_root))
    env = load_env_file(LIVE / "env.yaml")
    session = open_session(env, local=True, profile=None, guard=True)
    backend.bootstrap(env, session)
    base = {**tools.engine_env(), **session.env}
    kms = f'encrypt = true\n    kms_key_id = "arn:aws:kms:ap-northeast-2:123456789012:{env.state.kms_alias}"'
    for name, encryption, ok in (("plain", "encrypt = false", False), ("kms", kms, True)):
        work = tmp_path / name
        work.mkdir()
        (work / "main.tf").write_text(
            BACKEND.format(bucket=env.state.bucket, endpoint=fresh_emu.endpoint, encryption=encryption)
        )
        run = tofu_runner(work, base, ca_bundle=None)  # the session's environment names the emulator's CA
        init = run("init")
        assert init.returncode == 0, init.stdout + init.stderr
        apply = run("apply", "-auto-approve")
        output = apply.stdout + apply.stderr
        if ok:
            assert apply.returncode == 0, output
        else:
            assert apply.returncode != 0 and "Error acquiring the state lock" in output and "403" in output
    head = fresh_emu.client("s3").head_object(Bucket=env.state.bucket, Key="eks-prod/tofu-only/terraform.tfstate")
    assert head["ServerSideEncryption"] == "aws:kms"


@pytest.mark.slow
def test_bootstrap_layers_on_the_emulator(
    fresh_emu: Emu, engine_env: dict[str, str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """bootstrap/10-iam-baseline applies in local mode; 00-state-backend imports what orch bootstrap made."""
    monkeypatch.setenv("ORCH_STATE_DIR", str(fresh_emu.state_root))
    env = load_env_file(LIVE / "env.yaml")
    session = open_session(env, local=True, profile=None, guard=True)
    result = backend.bootstrap(env, session)
    base = {**engine_env, "TG_DOWNLOAD_DIR": str(tmp_path / "tg-cache")}

    iam_unit = REPO / "bootstrap" / "10-iam-baseline"
    code, out = finish(terragrunt(iam_unit, session, base, "apply", "-auto-approve"))
    assert code == 0, out
    iam = fresh_emu.client("iam")
    role = iam.get_role(RoleName="orch-terraform-execution")["Role"]
    assert role["Arn"] == "arn:aws:iam::123456789012:role/orch-terraform-execution"
    assert iam.get_role(RoleName="orch-eks-admin")["Role"]["Arn"].endswith(":role/orch-eks-admin")
    assert iam.get_role(RoleName="orch-ci")["Role"]
    key = f"{env.state.key_prefix}/bootstrap/10-iam-baseline/terraform.tfstate"
    head = fresh_emu.client("s3").head_object(Bucket=env.state.bucket, Key=key)
    assert head["ServerSideEncryption"] == "aws:kms"

    # 00-state-backend: import what orch bootstrap created, then the plan shows no changes.
    state_unit = REPO / "bootstrap" / "00-state-backend"
    key_id = result.kms_key.rsplit("/", 1)[-1]
    imports = [("aws_kms_key.state", key_id), ("aws_kms_alias.state", env.state.kms_alias)] + [
        (f"{r}.state", env.state.bucket)
        for r in (
            "aws_s3_bucket",
            "aws_s3_bucket_ownership_controls",
            "aws_s3_bucket_public_access_block",
            "aws_s3_bucket_versioning",
            "aws_s3_bucket_server_side_encryption_configuration",
            "aws_s3_bucket_lifecycle_configuration",
            "aws_s3_bucket_policy",
        )
    ]
    for address, ident in imports:
        code, out = finish(terragrunt(state_unit, session, base, "import", address, ident))
        assert code == 0, f"{address}: {out}"
    code, out = finish(terragrunt(state_unit, session, base, "plan", "-detailed-exitcode", "-no-color"))
    assert code in (0, 2), out
    # Everything orch made is imported: nothing to add or destroy. What remains are in-place updates:
    # the Name/Layer tags the module adds and moto not reading back the lifecycle rule's empty filter.
    assert ("0 to add" in out and "0 to destroy" in out) or "No changes" in out, out
    assert scan_for_secrets([tmp_path, fresh_emu.state_root], session.secrets) == []
