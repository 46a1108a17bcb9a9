"""Bad input: exit 1, one line naming the culprit, no traceback (issue 16; docs/reliability.md).

env.yaml cases go through the library loader (`load_env_file`, what every command calls first) on
edited copies of eks-prod's file; command-line and stack cases run the real `orch` as a subprocess
without AWS credentials, so each must be refused before any AWS call or engine run.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from orchestrator.cli.options import hoist_global_options
from orchestrator.config import load_env_file
from orchestrator.errors import ConfigError
from tests.helpers import FIXTURES, REPO, run_orch

ENV_FILE = REPO / "environments/LIVE/eks-prod/env.yaml"
TEXT = ENV_FILE.read_text()

# (case, old text, new text, what the one line must name)
ENV_CASES = [
    ("yaml syntax", "region: ap-northeast-2", "region: [ap-northeast-2", "not valid YAML at line 7"),
    ("unknown key", "tier: production", "tier: production\nteir: dev", "teir"),
    (
        "wrong type",
        "availability_zones: [ap-northeast-2a, ap-northeast-2c]",
        "availability_zones: ap-northeast-2a",
        "availability_zones",
    ),
    ("bad account id", 'account_id: "111111111111"', "account_id: 1111", "account_id"),
    (
        "zones of another region",
        "availability_zones: [ap-northeast-2a, ap-northeast-2c]",
        "availability_zones: [us-east-1a, us-east-1b]",
        "not zones of region ap-northeast-2",
    ),
    ("malformed cidr", '["203.0.113.0/24"]', '["203.0.113.0/33"]', "not an IPv4 CIDR"),
    ("overlapping cidrs", '["203.0.113.0/24"]', '["203.0.113.0/24", "203.0.113.128/25"]', "overlap"),
    ("open to the internet", '["203.0.113.0/24"]', '["0.0.0.0/0"]', "opens the API endpoint to the internet"),
    (
        "role of another account",
        "arn: arn:aws:iam::111111111111:role/orch-terraform-execution",
        "arn: arn:aws:iam::222222222222:role/orch-terraform-execution",
        "is in account 222222222222",
    ),
    (
        "access role of another account",
        "ci_role_arns: []",
        "ci_role_arns: [arn:aws:iam::222222222222:role/dev]",
        "eks.ci_role_arns",
    ),
    (
        "audit access role of another account",
        "audit_role_arns: [arn:aws:iam::111111111111:role/orch-audit-readonly]",
        "audit_role_arns: [arn:aws:iam::222222222222:role/orch-audit-readonly]",
        "eks.audit_role_arns",
    ),
    ("not a role arn", "ci_role_arns: []", "ci_role_arns: [orch-ci]", "not an IAM role ARN"),
    (
        "trusted ci role not a role",
        "  session_duration: 3600",
        "  session_duration: 3600\n  trusted_ci_role_arn: arn:aws:iam::333333333333:root",
        "execution_role.trusted_ci_role_arn: Value error, not an IAM role ARN",
    ),
    (
        "trusted ci role wildcard",
        "  session_duration: 3600",
        "  session_duration: 3600\n  trusted_ci_role_arn: arn:aws:iam::333333333333:role/jenkins-*",
        "execution_role.trusted_ci_role_arn",
    ),
    ("kubernetes namespace", "applications: [app]", "applications: [kube-system]", "eks.namespaces.applications"),
    ("namespace twice", "applications: [app]", "applications: [monitoring]", "both a platform and an application"),
    ("bad namespace name", "applications: [app]", "applications: [App_1]", "not a Kubernetes namespace name"),
    (
        "wildcard outside sso",
        "ci_principals: []",
        "ci_principals: [arn:aws:iam::111111111111:role/*]",
        "iam.ci_principals",
    ),
    (
        "malformed sso entry",
        "role/aws-reserved/sso.amazonaws.com/*/AWSReservedSSO_Developer_*",
        "role/aws-reserved/sso.amazonaws.com/Developer",
        "iam.developer_principals",
    ),
    ("unknown iam key", "  require_mfa: true", "  require_mfa: true\n  developers: []", "iam.developers"),
    ("unreachable api", '["203.0.113.0/24"]', "[]", "nothing outside the VPC can reach the EKS API"),
    ("zone without acme contact", "  acme_email: platform-oncall@example.com\n", "", "acme_email"),
    ("production without alarm subscriber", "[platform-oncall@example.com]", "[]", "no alarm subscriber"),
    ("unknown lock mode", "lock_mode: s3 ", "lock_mode: dynamo ", "state.lock_mode"),
    # Operations settings (issue 18): 90-monitoring, 85-backup, 95-cost.
    ("slack channel name, not id", "channel_id: C0EXAMPLE01", "channel_id: '#alarms'", "not a Slack channel id"),
    (
        "webhook url instead of its secret",
        "webhook_secret_name: null",
        "webhook_secret_name: https://hooks.example.com/services/T000/B000/XXXX",
        "not the URL itself",
    ),
    (
        "log archive not a destination",
        "archive_destination_arn: null",
        "archive_destination_arn: arn:aws:kinesis:ap-northeast-2:222222222222:stream/logs",
        "not a CloudWatch Logs destination ARN",
    ),
    ("no budget", "monthly_budget_usd: 15000", "monthly_budget_usd: 0", "cost.monthly_budget_usd"),
    ("retention beyond the vault lock", "retention_days: 7 ", "retention_days: 90 ", "backup.retention_days"),
    ("copy to a non-region", "copy_region: null", "copy_region: tokyo", "not an AWS region"),
]


@pytest.mark.parametrize(("case", "old", "new", "named"), ENV_CASES, ids=[c[0] for c in ENV_CASES])
def test_a_bad_env_yaml_is_one_line_naming_file_and_culprit(
    case: str, old: str, new: str, named: str | None, tmp_path: Path
) -> None:
    assert old in TEXT, f"{case}: eks-prod's env.yaml changed; update the case"
    path = tmp_path / "env.yaml"
    path.write_text(TEXT.replace(old, new, 1))
    with pytest.raises(ConfigError) as err:
        load_env_file(path)
    message = str(err.value)
    assert "\n" not in message and message.startswith(str(path)), message
    if named:
        assert named in message, message


def test_a_missing_env_yaml_names_the_path(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="environment file not found"):
        load_env_file(tmp_path / "env.yaml")


def _no_aws(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "ORCH_"))}
    env.update(
        AWS_CONFIG_FILE=str(tmp_path / "no-config"),
        AWS_SHARED_CREDENTIALS_FILE=str(tmp_path / "no-credentials"),
        ORCH_STATE_DIR=str(tmp_path / "state"),
        ORCH_RUNS_DIR=str(tmp_path / "runs"),
    )
    return env


def _one_line_error(proc: object, named: str) -> None:
    stderr = proc.stderr.strip()  # type: ignore[attr-defined]
    assert proc.returncode == 1, (proc.returncode, stderr)  # type: ignore[attr-defined]
    assert "Traceback" not in stderr and len(stderr.splitlines()) == 1, stderr
    assert stderr.startswith("error:") and named in stderr, stderr


CLI_CASES = [
    ("unknown env", ["plan", "--env", "nope", "--all"], "unknown environment 'nope'"),
    ("unknown layer", ["plan", "--env", "eks-prod", "--layer", "99-nothing"], "unknown layer '99-nothing'"),
    ("layer and all", ["plan", "--env", "eks-prod", "--layer", "30", "--all"], "--all selects every unit"),
    ("bad git ref", ["plan", "--env", "eks-prod", "--changed-since", "no-such-ref"], "no-such-ref: not a commit"),
    ("unknown profile", ["--profile", "nosuchprofile", "plan", "--env", "eks-prod", "--all"], "'nosuchprofile'"),
    ("parallelism 0", ["plan", "--env", "eks-prod", "--all", "--parallelism", "0"], "'--parallelism'"),
    ("unknown option", ["plan", "--env", "eks-prod", "--colour"], "No such option: --colour"),
    ("unknown command", ["plna", "--env", "eks-prod"], "No such command 'plna'"),
    ("unknown format", ["graph", "--env", "eks-prod", "--format", "yaml"], "'yaml' is not one of 'tree'"),
    (
        "profile given after the command, unknown",
        ["plan", "--env", "eks-prod", "--all", "--profile", "nope"],
        "AWS profile 'nope' not found",
    ),
]


@pytest.mark.engines
@pytest.mark.parametrize(("case", "args", "named"), CLI_CASES, ids=[c[0] for c in CLI_CASES])
def test_bad_command_lines_exit_1_in_one_line(case: str, args: list[str], named: str, tmp_path: Path) -> None:
    _one_line_error(run_orch(*args, env=_no_aws(tmp_path)), named)


@pytest.mark.engines
def test_global_options_are_accepted_after_the_command(tmp_path: Path) -> None:
    proc = run_orch("graph", "--env", "eks-prod", "--format", "json", "--verbose", env=_no_aws(tmp_path))
    assert proc.returncode == 0, proc.stderr


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["plan", "--env", "x", "--local"], ["--local", "plan", "--env", "x"]),
        (["plan", "--profile", "p", "-e", "x"], ["--profile", "p", "plan", "-e", "x"]),
        (["--local", "apply", "--profile=p"], ["--local", "--profile=p", "apply"]),
        (["--profile", "p", "plan", "--all"], ["--profile", "p", "plan", "--all"]),
        (["plan", "--", "--local"], ["plan", "--", "--local"]),
        (["local", "up"], ["local", "up"]),
    ],
)
def test_hoisting_global_options(argv: list[str], expected: list[str]) -> None:
    """Pure argv rewriting (no orch run)."""
    assert hoist_global_options(argv) == expected


@pytest.mark.engines
def test_unknown_run_id_and_a_run_of_another_stack(tmp_path: Path) -> None:
    env = _no_aws(tmp_path)
    stack = shutil.copytree(FIXTURES / "dag", tmp_path / "dag")
    _one_line_error(run_orch("apply", "--dir", str(stack), "--run-id", "nope-123", env=env), "run 'nope-123' not found")
    other = shutil.copytree(FIXTURES / "dag", tmp_path / "other")
    planned = run_orch("plan", "--dir", str(other), "--layer", "10-a", "--json", env=env)
    assert planned.returncode in (0, 2), planned.stderr
    run_id = sorted(p.name for p in (tmp_path / "runs").iterdir())[-1]
    proc = run_orch("apply", "--dir", str(stack), "--run-id", run_id, "--auto-approve", env=env)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr
    assert run_id in proc.stderr, proc.stderr


@pytest.mark.engines
def test_a_unit_whose_module_source_does_not_exist_is_named(tmp_path: Path) -> None:
    stack = shutil.copytree(FIXTURES / "dag", tmp_path / "dag")
    unit = stack / "10-a/terragrunt.hcl"
    unit.write_text(unit.read_text() + '\nterraform {\n  source = "${get_parent_terragrunt_dir()}/modules//nope"\n}\n')
    proc = run_orch("plan", "--dir", str(stack), "--layer", "10-a", "--json", env=_no_aws(tmp_path))
    assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr
    assert "Working dir nope" in proc.stdout and "does not exist" in proc.stdout, proc.stdout[-2000:]


@pytest.mark.engines
def test_a_run_whose_files_changed_since_the_plan_is_refused(tmp_path: Path) -> None:
    """apply --run-id after the stack changed: refused before any engine runs, nothing applied."""
    env = _no_aws(tmp_path)
    stack = shutil.copytree(FIXTURES / "dag", tmp_path / "dag")
    planned = run_orch("plan", "--dir", str(stack), "--layer", "10-a", "--json", env=env)
    assert planned.returncode in (0, 2), planned.stderr
    run_id = sorted(p.name for p in (tmp_path / "runs").iterdir())[-1]
    (stack / "10-a/value.txt").write_text("changed after the plan\n")
    proc = run_orch("apply", "--dir", str(stack), "--run-id", run_id, "--auto-approve", env=env)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr
    assert "10-a/value.txt changed since it planned; nothing applied" in proc.stderr, proc.stderr
    assert not (stack / "10-a/terraform.tfstate").exists(), "something was applied"


def test_a_webhook_url_put_in_env_yaml_is_refused_without_echoing_it(tmp_path: Path) -> None:
    """The alarm webhook URL is a credential: env.yaml names its secret; a URL there is refused, unprinted."""
    url = "https://hooks.example.com/services/T000/B000/not-to-be-printed"
    path = tmp_path / "env.yaml"
    path.write_text(TEXT.replace("webhook_secret_name: null", f"webhook_secret_name: {url}", 1))
    with pytest.raises(ConfigError) as err:
        load_env_file(path)
    assert "alarms.webhook_secret_name" in str(err.value) and "not-to-be-printed" not in str(err.value)


def test_env_comes_from_e_or_orch_env_and_an_explicit_dir_wins(tmp_path: Path) -> None:
    """`-e NAME` and ORCH_ENV (Jenkins sets it per stage) select the environment like --env; a
    command given --dir uses that directory even with ORCH_ENV in the environment."""
    env = _no_aws(tmp_path)
    short = run_orch("graph", "-e", "eks-prod", "--format", "json", env=env)
    assert short.returncode == 0, short.stderr
    layers = [u["path"] for u in json.loads(short.stdout)["units"]]
    assert "30-eks-cluster" in layers
    from_var = run_orch("graph", "--format", "json", env={**env, "ORCH_ENV": "eks-prod"})
    assert from_var.returncode == 0 and [u["path"] for u in json.loads(from_var.stdout)["units"]] == layers
    stack = shutil.copytree(FIXTURES / "dag", tmp_path / "dag")
    explicit = run_orch("graph", "--dir", str(stack), "--format", "json", env={**env, "ORCH_ENV": "eks-prod"})
    assert explicit.returncode == 0, explicit.stderr
    assert "10-a" in [u["path"] for u in json.loads(explicit.stdout)["units"]]
    both = run_orch("graph", "--dir", str(stack), "--env", "eks-prod", env=env)
    assert both.returncode == 1 and "give exactly one of --dir DIR or --env NAME" in both.stderr
