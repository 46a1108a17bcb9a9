"""Helpers for the AWS tests (imported by conftest and the tests)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request
from pathlib import Path
from typing import Any

import boto3

from orchestrator import emulator

REPO = Path(__file__).resolve().parents[2]
REGION = "ap-northeast-2"


def clean_env(home: Path, **extra: str) -> dict[str, str]:
    """The environment of a child `orch`: no real AWS settings, a throwaway HOME."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "ORCH_", "BUILD_TAG", "TF_", "TG_"))}
    env.update(
        HOME=str(home),
        AWS_CONFIG_FILE=str(home / "no-aws-config"),
        AWS_SHARED_CREDENTIALS_FILE=str(home / "no-aws-credentials"),
        AWS_EC2_METADATA_DISABLED="true",
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


def run_orch(args: list[str], env: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "orchestrator.cli", *args],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


class Emu:
    """One running moto server and the ways to talk to it."""

    def __init__(self, status: emulator.EmulatorStatus, state_root: Path) -> None:
        self.status = status
        self.state_root = state_root  # ORCH_STATE_DIR (the emulator lives in state_root/local)

    @property
    def endpoint(self) -> str:
        return self.status.endpoint

    def client(self, service: str, **creds: Any) -> Any:
        kwargs = {"aws_access_key_id": "test", "aws_secret_access_key": "test", **creds}
        return boto3.client(
            service, endpoint_url=self.endpoint, region_name=REGION, verify=self.status.ca_bundle, **kwargs
        )

    def reset(self) -> None:
        import ssl

        context = ssl.create_default_context(cafile=self.status.ca_bundle)
        request = urllib.request.Request(f"{self.endpoint}/moto-api/reset", method="POST", data=b"")
        with urllib.request.urlopen(request, context=context, timeout=10) as resp:
            assert resp.status == 200

    def orch_env(self, home: Path, **extra: str) -> dict[str, str]:
        return clean_env(home, ORCH_STATE_DIR=str(self.state_root), **extra)

    def as_account(self, account_id: str) -> dict[str, str]:
        """Credentials of another account: a role there assumed through the emulator's STS."""
        creds = self.client("sts").assume_role(
            RoleArn=f"arn:aws:iam::{account_id}:role/someone-else", RoleSessionName="someone-else"
        )["Credentials"]
        return {
            "aws_access_key_id": creds["AccessKeyId"],
            "aws_secret_access_key": creds["SecretAccessKey"],
            "aws_session_token": creds["SessionToken"],
        }

    def throttle(self, spec: str | None = None) -> dict[str, Any]:
        """The emulator's injected throttles (`/_orch/throttle`); `spec` replaces them, "" turns them off."""
        return throttle_state(self.endpoint, self.status.ca_bundle, spec)


def throttle_state(endpoint: str, ca_bundle: str | None, spec: str | None = None) -> dict[str, Any]:
    import ssl

    context = ssl.create_default_context(cafile=ca_bundle)
    data = None if spec is None else spec.encode()
    request = urllib.request.Request(f"{endpoint}/_orch/throttle", method="GET" if data is None else "POST", data=data)
    with urllib.request.urlopen(request, context=context, timeout=10) as resp:
        return json.loads(resp.read())


def tofu_runner(work: Path, env: dict[str, str], ca_bundle: str | None) -> Any:
    """`run("apply", "-auto-approve")`: the real OpenTofu in `work`, trusting the emulator's certificate."""
    from orchestrator import tools

    tofu = str(tools.find_tool("tofu"))
    run_env = {**env, "AWS_CA_BUNDLE": str(ca_bundle)} if ca_bundle else dict(env)

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        # show and output take no -input.
        flags = ["-no-color"] if args[0] in ("show", "output") else ["-input=false", "-no-color"]
        return subprocess.run(
            # Flags right after the subcommand: a saved plan file must stay the last argument.
            [tofu, args[0], *flags, *args[1:]],
            cwd=work,
            env=run_env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )

    return run


def read_json(text: str) -> dict[str, Any]:
    return json.loads(text)


def scan_for_secrets(roots: list[Path], secrets: list[str]) -> list[str]:
    """Files under `roots` that contain any of `secrets` (binary-safe)."""
    hits = []
    needles = [s.encode() for s in secrets if s and len(s) >= 8]
    for root in roots:
        if not root.exists():
            continue
        for path in root.rglob("*"):
            if not path.is_file() or path.is_symlink() or path.stat().st_size > 50_000_000:
                continue
            if "terraform-provider" in path.name:
                continue
            data = path.read_bytes()
            hits.extend(f"{path}: {n.decode()[:6]}..." for n in needles if n in data)
    return hits


def redis_module_config(endpoint: str, name: str, cidr_octet: int, extra: str = "") -> str:
    """A root configuration applying terraform/modules/elasticache-redis on the emulator, with the
    VPC, subnets, security group and KMS key it needs; `extra` goes inside the module block."""
    return f"""
terraform {{
  required_providers {{
    aws = {{ source = "hashicorp/aws" }}
  }}
}}

provider "aws" {{
  region                      = "{REGION}"
  access_key                  = "test"
  secret_key                  = "test"
  skip_credentials_validation = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
  endpoints {{
    ec2            = "{endpoint}"
    elasticache    = "{endpoint}"
    kms            = "{endpoint}"
    logs           = "{endpoint}"
    secretsmanager = "{endpoint}"
    sts            = "{endpoint}"
  }}
}}

resource "aws_vpc" "this" {{
  cidr_block = "10.{cidr_octet}.0.0/16"
}}

resource "aws_subnet" "this" {{
  for_each          = {{ a = "10.{cidr_octet}.1.0/24", c = "10.{cidr_octet}.2.0/24" }}
  vpc_id            = aws_vpc.this.id
  cidr_block        = each.value
  availability_zone = "{REGION}${{each.key}}"
}}

resource "aws_security_group" "this" {{
  name   = "{name}-test"
  vpc_id = aws_vpc.this.id
}}

resource "aws_kms_key" "this" {{
  description = "{name} test"
}}

module "redis" {{
  source = "{REPO / "terraform/modules/elasticache-redis"}"

  name                           = "{name}"
  subnet_ids                     = [for s in aws_subnet.this : s.id]
  security_group_ids             = [aws_security_group.this.id]
  kms_key_arn                    = aws_kms_key.this.arn
  cloudwatch_logs_kms_key_arn    = aws_kms_key.this.arn
  secret_recovery_window_in_days = 0
{extra}}}
"""
