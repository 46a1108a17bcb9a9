"""One platform for the end-to-end tests: the whole eks-prod environment applied by
`orch --local` to an emulator of its own, then planned again.

Session-scoped because applying ten layers is the expensive part; every check reads
what this one apply built. Everything runs for real: orch as a subprocess, Terragrunt,
OpenTofu, the AWS provider and a moto server over HTTPS.
"""

from __future__ import annotations

import json
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import REPO, clean_env, emulator_client, run_orch

ENV_NAME = "eks-prod"
ENV_DIR = REPO / "environments" / "LIVE" / ENV_NAME
#: The units of every environment, in dependency order.
LAYERS = [
    "00-foundation",
    "10-networking",
    "20-security",
    "30-eks-cluster",
    "40-nodegroups",
    "50-addons",
    "60-database",
    "70-cache",
    "80-storage",
    "85-backup",
    "90-monitoring",
    "95-cost",
]
#: An apply of every layer waits on the provider's polls for Aurora, ElastiCache and EFS.
APPLY_TIMEOUT = 3000


@dataclass
class Platform:
    env: dict[str, str]
    endpoint: str
    ca_bundle: str | None
    bootstrap: dict[str, Any]
    apply_report: dict[str, Any]
    apply_rc: int
    runs_dir: Path
    state_dir: Path
    #: `orch drift --all` right after the apply: what the nightly job would have said.
    drift_report: dict[str, Any] = field(default_factory=dict)
    drift_rc: int = -1
    env_name: str = ENV_NAME
    outputs: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: Everything the fixture's orch commands printed (stdout and stderr), for the secret scan.
    terminal: str = ""

    def client(self, service: str) -> Any:
        return emulator_client(service, self.endpoint, self.ca_bundle)


def _unit_outputs(platform: Platform) -> dict[str, dict[str, Any]]:
    """Every unit's root outputs, read from its state object in the emulator's state bucket (the
    outputs Terragrunt hands dependents; `terragrunt output` per unit took a Terragrunt and an engine
    process each, and in parallel they race on a shared working directory)."""
    from orchestrator.config import load_env

    prefix = load_env(platform.env_name).state.key_prefix.strip("/")
    s3 = platform.client("s3")
    outputs: dict[str, dict[str, Any]] = {}
    for unit in sorted(p.parent.name for p in (ENV_DIR.parent / platform.env_name).glob("*/terragrunt.hcl")):
        key = "/".join(filter(None, [prefix, unit, "terraform.tfstate"]))
        state = json.loads(s3.get_object(Bucket=platform.bootstrap["bucket"], Key=key)["Body"].read())
        outputs[unit] = {name: output["value"] for name, output in (state.get("outputs") or {}).items()}
    return outputs


def platform_fixture(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    platform = bring_up(tmp_path_factory.mktemp("platform"), ENV_NAME, drift=True)
    try:
        yield platform
    finally:
        tear_down(platform)


_BOOTSTRAP_DIR = threading.Lock()
IAM_BASELINE = ("--local", "apply", "--dir", "bootstrap", "--layer", "10-iam-baseline", "--auto-approve")


def bring_up(root: Path, env_name: str, *, account_id: str | None = None, drift: bool = False) -> Platform:
    """An emulator of its own (in `account_id`, default the emulator's), then what a new account gets:
    `orch bootstrap`, the IAM baseline, `orch apply --all` (and `orch drift --all` when asked)."""
    env = clean_env(
        root,
        ORCH_STATE_DIR=str(root / "state"),
        ORCH_RUNS_DIR=str(root / "runs"),
        # bootstrap/common.hcl picks the account's env.yaml by ORCH_ENV (the IAM baseline below).
        ORCH_ENV=env_name,
    )
    account = ["--account-id", account_id] if account_id else []
    up = run_orch("--local", "local", "up", "--json", *account, env=env, timeout=120)
    assert up.returncode == 0, up.stderr
    status = json.loads(up.stdout)
    state = json.loads((root / "state/local/state.json").read_text())
    platform = Platform(
        env=env,
        endpoint=status["endpoint"],
        ca_bundle=state.get("ca_bundle"),
        bootstrap={},
        apply_report={},
        apply_rc=-1,
        runs_dir=root / "runs",
        state_dir=root / "state",
        env_name=env_name,
    )
    try:
        boot = run_orch("--local", "bootstrap", "--env", env_name, "--json", env=env, timeout=300)
        assert boot.returncode == 0, boot.stdout + boot.stderr
        platform.bootstrap = json.loads(boot.stdout)
        # The account's IAM baseline, as on AWS: it creates the execution role env.yaml names, which
        # orch assumes and 30-eks-cluster gives the cluster's admin access entry. One at a time: a
        # `--dir` run takes its run lock in that directory, and every environment shares bootstrap/.
        with _BOOTSTRAP_DIR:
            iam = run_orch(*IAM_BASELINE, env=env, timeout=APPLY_TIMEOUT)
        assert iam.returncode == 0, iam.stdout + iam.stderr
        applied = run_orch(
            "--local", "apply", "--env", env_name, "--all", "--auto-approve", "--json", env=env, timeout=APPLY_TIMEOUT
        )
        platform.apply_report, platform.apply_rc = _json_or_stderr(applied), applied.returncode
        procs = [up, boot, iam, applied]
        if drift:
            drifted = run_orch("--local", "drift", "--env", env_name, "--all", "--json", env=env, timeout=APPLY_TIMEOUT)
            platform.drift_report, platform.drift_rc = _json_or_stderr(drifted), drifted.returncode
            procs.append(drifted)
        platform.terminal = "\n".join(p.stdout + p.stderr for p in procs)
        if applied.returncode == 0:
            platform.outputs = _unit_outputs(platform)
    except BaseException:
        tear_down(platform)
        raise
    return platform


def tear_down(platform: Platform) -> None:
    run_orch("--local", "local", "down", env=platform.env, timeout=60)


def _json_or_stderr(proc: subprocess.CompletedProcess[str]) -> dict[str, Any]:
    try:
        return json.loads(proc.stdout)
    except json.JSONDecodeError:
        return {"stdout": proc.stdout[-5000:], "stderr": proc.stderr[-5000:]}


def failed_units(report: dict[str, Any]) -> str:
    """A readable account of what did not go right in an orch report, for assertion messages."""
    lines = []
    for unit in report.get("units", []):
        if unit.get("result") not in ("applied", "no-changes", "in-sync", "valid"):
            why = unit.get("error") or unit.get("reason") or unit.get("summary")
            lines.append(f"{unit.get('path')}: {unit.get('result')}: {str(why)[:1500]}")
    return "\n".join(lines) or json.dumps(report)[:5000]
