"""Real drift: an AWS resource in the local emulator (moto) edited behind Terraform's back.

Needs the hashicorp/aws provider from the mirror (skipped without it).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import copy_stack, emulator_client

pytestmark = pytest.mark.engines


@pytest.mark.emulator
def test_drift_detects_changes_made_outside_terraform(
    tmp_path: Path, moto_endpoint: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A real `resource_drift`: the SSM parameter is edited in the emulator behind Terraform's back."""
    from orchestrator import runs
    from orchestrator.selection import Selection

    stack = copy_stack("aws-drift", tmp_path)
    monkeypatch.setenv("ORCH_TEST_AWS_ENDPOINT", moto_endpoint)
    opts = runs.RunOptions(quiet=True)

    def workspace():
        return runs.open_workspace(stack_dir=stack, selection=Selection(layers=["param"]))

    assert runs.apply(workspace(), opts, auto_approve=True).exit_code == 0
    ssm = emulator_client("ssm", moto_endpoint, region="us-east-1")
    ssm.put_parameter(Name="/orch/drift-fixture", Value="edited-by-hand", Type="String", Overwrite=True)
    report = runs.drift(workspace(), opts)
    assert report.exit_code == 2
    unit = report.unit("param")
    assert unit.result.value == "drifted"
    assert unit.summary.drift == ["aws_ssm_parameter.this"]


@pytest.mark.emulator
def test_rules_the_configuration_made_are_not_drift_but_a_rule_added_by_hand_is(
    tmp_path: Path, moto_endpoint: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Right after apply: in sync (apply recorded the refreshed state). Then a hand-made opening and a
    hand-edited tag are drift naming the attribute paths; the SG's own rules never are."""
    from orchestrator import runs
    from orchestrator.selection import Selection

    stack = copy_stack("aws-drift", tmp_path)
    monkeypatch.setenv("ORCH_TEST_AWS_ENDPOINT", moto_endpoint)
    opts = runs.RunOptions(quiet=True)

    def workspace():
        return runs.open_workspace(stack_dir=stack, selection=Selection(layers=["network"]))

    applied = runs.apply(workspace(), opts, auto_approve=True)
    assert applied.exit_code == 0 and applied.refreshed == ["network"]
    clean = runs.drift(workspace(), opts)
    assert clean.exit_code == 0, clean.unit("network").summary
    assert clean.unit("network").result.value == "in-sync"

    outputs = json.loads((stack / "network" / "terraform.tfstate").read_text())["outputs"]
    ec2 = emulator_client("ec2", moto_endpoint, region="us-east-1")
    ec2.authorize_security_group_ingress(
        GroupId=outputs["security_group_id"]["value"],
        IpPermissions=[{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}],
    )
    ec2.create_tags(Resources=[outputs["vpc_id"]["value"]], Tags=[{"Key": "Name", "Value": "changed-by-hand"}])
    report = runs.drift(workspace(), opts)
    assert report.exit_code == 2
    unit = report.unit("network")
    assert unit.result.value == "drifted"
    found = {f.address: f for f in unit.summary.drift_details}
    assert set(found) == {"aws_security_group.this", "aws_vpc.this"}
    (opening,) = found["aws_security_group.this"].attributes
    assert opening.path == "ingress" and "0.0.0.0/0" in (opening.after or "") and "443" not in (opening.after or "")
    assert 'tags.Name "orch-drift-fixture" -> "changed-by-hand"' in [
        a.describe() for a in found["aws_vpc.this"].attributes
    ]


@pytest.mark.emulator
def test_a_unit_planned_during_the_apply_with_drift_is_planned_to_a_file_first(
    tmp_path: Path, moto_endpoint: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`param` is planned only once `seed` has applied, and the parameter was edited by hand meanwhile.
    Classifying that drift needs the plan JSON, which a plan answered at OpenTofu's prompt has none
    of: orch answers "no" there (nothing applied), then plans to a file, shows and applies it."""
    from orchestrator import runs
    from orchestrator.selection import Selection

    stack = copy_stack("aws-drift", tmp_path)
    seed, param = stack / "seed", stack / "param"
    seed.mkdir()
    (seed / "terragrunt.hcl").write_text(
        'include "root" {\n  path = find_in_parent_folders("root.hcl")\n}\n'
        'inputs = { value = trimspace(file("${get_terragrunt_dir()}/value.txt")) }\n'
    )
    (seed / "main.tf").write_text(
        'variable "value" {\n  type = string\n}\nresource "terraform_data" "this" {\n  input = var.value\n}\n'
        'output "value" {\n  value = terraform_data.this.output\n}\n'
    )
    (seed / "value.txt").write_text("one\n")
    (param / "terragrunt.hcl").write_text(
        (param / "terragrunt.hcl").read_text()
        + 'dependency "seed" {\n  config_path = "../seed"\n}\n'
        + "inputs = { description = dependency.seed.outputs.value }\n"
    )
    (param / "main.tf").write_text(
        'variable "description" {\n  type = string\n}\n'
        + (param / "main.tf")
        .read_text()
        .replace('type  = "String"', 'type  = "String"\n  description = var.description')
    )
    monkeypatch.setenv("ORCH_TEST_AWS_ENDPOINT", moto_endpoint)
    opts = runs.RunOptions(quiet=True)

    def workspace():
        return runs.open_workspace(stack_dir=stack, selection=Selection(layers=["seed", "param"]))

    assert runs.apply(workspace(), opts, auto_approve=True).exit_code == 0
    ssm = emulator_client("ssm", moto_endpoint, region="us-east-1")
    ssm.put_parameter(Name="/orch/drift-fixture", Value="edited-by-hand", Type="String", Overwrite=True)
    (seed / "value.txt").write_text("two\n")
    report = runs.apply(workspace(), opts, auto_approve=True)
    assert report.exit_code == 0, report.to_json()
    unit = report.unit("param")
    assert unit.result.value == "applied" and unit.replanned
    assert unit.summary.drift == ["aws_ssm_parameter.this"] and unit.plan_json is not None
    log = (stack / ".orch" / "runs" / report.run_id / unit.log).read_text()
    combined, planned = log.index("-json-into="), log.index("$ tofu plan")
    assert combined < log.index("Apply cancelled.") < planned < log.index("$ tofu show -json")
    assert "orch: the plan shows drift, or its stream could not be read: planning to a file instead" in log
    stored = ssm.get_parameter(Name="/orch/drift-fixture")["Parameter"]
    assert stored["Value"] == "managed-by-terraform"
    described = ssm.describe_parameters(ParameterFilters=[{"Key": "Name", "Values": ["/orch/drift-fixture"]}])
    assert described["Parameters"][0]["Description"] == "two"
