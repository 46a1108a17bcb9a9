"""Real drift: an AWS resource in the local emulator (moto) edited behind Terraform's back.

Needs the hashicorp/aws provider from the mirror (skipped without it).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from _core_helpers import copy_stack, needs_engines

pytestmark = [pytest.mark.engines, needs_engines]


def _aws_provider_missing() -> str | None:
    from orchestrator.tools import cli_config_file, mirror_providers

    if "hashicorp/aws" not in mirror_providers() or cli_config_file() is None:
        return "hashicorp/aws not in the provider mirror (scripts/install-tools.sh)"
    return None


@pytest.mark.emulator
@pytest.mark.skipif(_aws_provider_missing() is not None, reason=str(_aws_provider_missing()))
def test_drift_detects_changes_made_outside_terraform(
    tmp_path: Path, moto_endpoint: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A real `resource_drift`: the SSM parameter is edited in the emulator behind Terraform's back."""
    import boto3

    from orchestrator import operations as ops
    from orchestrator.selection import Selection

    stack = copy_stack("aws-drift", tmp_path)
    monkeypatch.setenv("ORCH_TEST_AWS_ENDPOINT", moto_endpoint)
    opts = ops.RunOptions(quiet=True)

    def workspace():
        return ops.open_workspace(stack_dir=stack, selection=Selection(all=True))

    assert ops.apply(workspace(), opts, auto_approve=True).exit_code == 0
    ssm = boto3.client(
        "ssm",
        endpoint_url=moto_endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    ssm.put_parameter(Name="/orch/drift-fixture", Value="edited-by-hand", Type="String", Overwrite=True)
    report = ops.drift(workspace(), opts)
    assert report.exit_code == 2
    unit = report.unit("param")
    assert unit.result.value == "drifted"
    assert unit.summary.drift == ["aws_ssm_parameter.this"]
