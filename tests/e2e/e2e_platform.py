"""One platform for the end-to-end tests: the whole eks-prod environment applied by
`orch --local` to an emulator of its own, then planned again.

Session-scoped because applying ten layers is the expensive part; every check reads
what this one apply built. Everything runs for real: orch as a subprocess, Terragrunt,
OpenTofu, the AWS provider and a moto server over HTTPS.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3
import pytest
from _engines import engines_missing_reason

REPO = Path(__file__).resolve().parents[2]
ENV_NAME = "eks-prod"
ENV_DIR = REPO / "environments" / "LIVE" / ENV_NAME
REGION = "ap-northeast-2"


@dataclass
class Platform:
    env: dict[str, str]
    endpoint: str
    ca_bundle: str | None
    bootstrap: dict[str, Any]
    apply_report: dict[str, Any]
    apply_rc: int
    #: `orch drift --all` right after the apply: what the nightly job would have said.
    drift_report: dict[str, Any]
    drift_rc: int
    runs_dir: Path
    state_dir: Path
    outputs: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: Everything the fixture's orch commands printed (stdout and stderr), for the secret scan.
    terminal: str = ""

    def client(self, service: str) -> Any:
        return boto3.client(
            service,
            endpoint_url=self.endpoint,
            region_name=REGION,
            verify=self.ca_bundle,
            aws_access_key_id="test",
            aws_secret_access_key="test",
        )


def orch(args: list[str], env: dict[str, str], timeout: int = 3000) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "orchestrator.cli", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def _unit_outputs(env: dict[str, str]) -> dict[str, dict[str, Any]]:
    """Every unit's outputs, read with Terragrunt in the environment orch gives its engines."""
    from orchestrator.config import load_env
    from orchestrator.operations import build_env
    from orchestrator.session import open_session

    saved = dict(os.environ)
    os.environ.update({k: env[k] for k in ("ORCH_STATE_DIR", "ORCH_RUNS_DIR")})
    try:
        session = open_session(load_env(ENV_NAME), local=True, profile=None, guard=True)
        engine_env = build_env(session)
    finally:
        os.environ.clear()
        os.environ.update(saved)
    outputs: dict[str, dict[str, Any]] = {}
    for unit in sorted(p.parent for p in ENV_DIR.glob("*/terragrunt.hcl")):
        proc = subprocess.run(
            [str(REPO / ".venv/bin/terragrunt"), "output", "-json", "--non-interactive"],
            cwd=unit,
            env=engine_env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        assert proc.returncode == 0, f"{unit.name}: terragrunt output failed:\n{proc.stderr[-3000:]}"
        outputs[unit.name] = {k: v["value"] for k, v in json.loads(proc.stdout or "{}").items()}
    return outputs


def platform_fixture(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    reason = engines_missing_reason()
    if reason:
        pytest.skip(reason)
    root = tmp_path_factory.mktemp("platform")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "ORCH_", "TG_"))}
    env.update(
        ORCH_STATE_DIR=str(root / "state"),
        ORCH_RUNS_DIR=str(root / "runs"),
        PYTHONUNBUFFERED="1",
        AWS_CONFIG_FILE=str(root / "no-aws-config"),
        AWS_SHARED_CREDENTIALS_FILE=str(root / "no-creds"),
    )

    up = orch(["--local", "local", "up", "--json"], env, timeout=120)
    assert up.returncode == 0, up.stderr
    status = json.loads(up.stdout)
    state = json.loads((root / "state/local/state.json").read_text())
    try:
        boot = orch(["--local", "bootstrap", "--env", ENV_NAME, "--json"], env, timeout=300)
        assert boot.returncode == 0, boot.stdout + boot.stderr
        # The account's IAM baseline, as on AWS: it creates the execution role env.yaml names, which
        # orch assumes and 30-eks-cluster gives the cluster's admin access entry.
        iam = orch(["--local", "apply", "--dir", "bootstrap", "--layer", "10-iam-baseline", "--auto-approve"], env)
        assert iam.returncode == 0, iam.stdout + iam.stderr
        applied = orch(["--local", "apply", "--env", ENV_NAME, "--all", "--auto-approve", "--json"], env)
        drifted = orch(["--local", "drift", "--env", ENV_NAME, "--all", "--json"], env)
        platform = Platform(
            env=env,
            endpoint=status["endpoint"],
            ca_bundle=state.get("ca_bundle"),
            bootstrap=json.loads(boot.stdout),
            apply_report=_json_or_stderr(applied),
            apply_rc=applied.returncode,
            drift_report=_json_or_stderr(drifted),
            drift_rc=drifted.returncode,
            runs_dir=root / "runs",
            state_dir=root / "state",
            terminal="\n".join(p.stdout + p.stderr for p in (up, boot, iam, applied, drifted)),
        )
        if applied.returncode == 0:
            platform.outputs = _unit_outputs(env)
        yield platform
    finally:
        orch(["--local", "local", "down"], env, timeout=60)


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
