"""The emulator as the tests talk to it: boto3 clients, a reset, its throttles, secrets left on disk."""

from __future__ import annotations

import json
import ssl
import urllib.request
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from orchestrator import emulator
from tests.helpers.processes import clean_env

REGION = "ap-northeast-2"


def emulator_client(
    service: str, endpoint: str, ca_bundle: str | None = None, *, region: str = REGION, **creds: Any
) -> Any:
    """A boto3 client of `service` at `endpoint`, trusting `ca_bundle`, with the emulator's test keys
    unless `creds` names others."""
    kwargs = {"aws_access_key_id": "test", "aws_secret_access_key": "test", **creds}
    return boto3.client(service, endpoint_url=endpoint, region_name=region, verify=ca_bundle, **kwargs)


class Emu:
    """One running moto server and the ways to talk to it."""

    def __init__(self, status: emulator.EmulatorStatus, state_root: Path) -> None:
        self.status = status
        self.state_root = state_root  # ORCH_STATE_DIR (the emulator lives in state_root/local)

    @property
    def endpoint(self) -> str:
        return self.status.endpoint

    def client(self, service: str, **creds: Any) -> Any:
        return emulator_client(service, self.endpoint, self.status.ca_bundle, **creds)

    def reset(self) -> None:
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
    context = ssl.create_default_context(cafile=ca_bundle)
    data = None if spec is None else spec.encode()
    request = urllib.request.Request(f"{endpoint}/_orch/throttle", method="GET" if data is None else "POST", data=data)
    with urllib.request.urlopen(request, context=context, timeout=10) as resp:
        return json.loads(resp.read())


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


def error_of(call: Any, **kwargs: Any) -> tuple[str, int, str]:
    """The code, HTTP status and message of the ClientError that `call(**kwargs)` must raise."""
    with pytest.raises(ClientError) as raised:
        call(**kwargs)
    err = raised.value.response
    return err["Error"]["Code"], err["ResponseMetadata"]["HTTPStatusCode"], err["Error"].get("Message", "")


def replication_group(ec: Any, group_id: str, **kwargs: Any) -> dict[str, Any]:
    """A Redis 7.1 replication group `group_id` created through the ElastiCache client `ec`."""
    return ec.create_replication_group(
        ReplicationGroupId=group_id,
        ReplicationGroupDescription=group_id,
        Engine="redis",
        EngineVersion="7.1",
        CacheNodeType="cache.t4g.micro",
        **kwargs,
    )["ReplicationGroup"]
