"""The Redis AUTH token never reaches state or a plan: elasticache-redis applied with the real
provider against the emulator, then every state and plan file searched for the token the secret holds.

The token is an ephemeral value end to end (ephemeral random password, write-only secret value,
ephemeral read of the secret, write-only RBAC user password); a plain `data` source or a
non-write-only argument would store it in state in clear text.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import Emu, redis_module_config, scan_for_secrets, tofu_runner

pytestmark = [pytest.mark.emulator, pytest.mark.engines]


def test_auth_token_is_in_no_state_and_no_plan(fresh_emu: Emu, engine_env: dict[str, str], tmp_path: Path) -> None:
    run = tofu_runner(tmp_path, engine_env, fresh_emu.status.ca_bundle)

    secrets = fresh_emu.client("secretsmanager")

    def configure(version: int) -> None:
        (tmp_path / "main.tf").write_text(
            redis_module_config(fresh_emu.endpoint, "tok-redis", 43, f"  auth_token_version = {version}\n")
            + 'output "secret_arn" {\n  value = module.redis.auth_token_secret_arn\n}\n'
        )

    def show_plan(name: str) -> str:
        planned = run("plan", f"-out={name}")
        assert planned.returncode == 0, planned.stdout[-3000:] + planned.stderr[-3000:]
        shown = run("show", "-json", name)
        assert shown.returncode == 0, shown.stderr
        (tmp_path / f"{name}.json").write_text(shown.stdout)
        return shown.stdout

    configure(1)
    init = run("init")
    assert init.returncode == 0, init.stdout + init.stderr
    show_plan("first.tfplan")
    applied = run("apply", "-auto-approve", "first.tfplan")
    assert applied.returncode == 0, applied.stdout[-3000:] + applied.stderr[-3000:]
    secret_arn = run("output", "-raw", "secret_arn").stdout.strip()
    token = secrets.get_secret_value(SecretId=secret_arn)["SecretString"]
    assert 16 <= len(token) <= 128 and token.isalnum()

    # The cluster authenticates through the user group's default user, which has the password.
    elasticache = fresh_emu.client("elasticache")
    group = elasticache.describe_replication_groups(ReplicationGroupId="tok-redis")["ReplicationGroups"][0]
    assert group["AuthTokenEnabled"] is False and group["UserGroupIds"] == ["tok-redis"]
    user_group = elasticache.describe_user_groups(UserGroupId="tok-redis")["UserGroups"][0]
    assert user_group["UserIds"] == ["tok-redis-default"] and user_group["ReplicationGroups"] == ["tok-redis"]
    user = elasticache.describe_users(UserId="tok-redis-default")["Users"][0]
    assert user["UserName"] == "default" and user["Authentication"] == {"Type": "password", "PasswordCount": 1}

    # A later plan (the ephemeral read of the secret happens again) changes nothing; then a rotation.
    show_plan("again.tfplan")
    assert run("plan", "-detailed-exitcode").returncode == 0
    configure(2)
    show_plan("rotate.tfplan")
    rotated = run("apply", "-auto-approve", "rotate.tfplan")
    assert rotated.returncode == 0, rotated.stdout[-3000:] + rotated.stderr[-3000:]
    new_token = secrets.get_secret_value(SecretId=secret_arn)["SecretString"]
    assert new_token != token
    assert run("plan", "-detailed-exitcode").returncode == 0

    state = (tmp_path / "terraform.tfstate").read_text()
    assert secret_arn in state  # the state is there and is the module's
    hits = scan_for_secrets([tmp_path], [token, new_token])
    assert hits == [], f"the AUTH token is stored in: {hits}"
