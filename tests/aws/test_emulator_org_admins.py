"""What orch adds to moto's GuardDuty and Security Hub (orchestrator/emulator/patches/guardduty.py and
securityhub.py): the organization's delegated administrator, enabled, listed and disabled.

Each operation is called with boto3 against a real emulator process (shapes and error codes as
botocore's models declare them), then once through OpenTofu and the AWS provider, which the patches
exist for (bootstrap/05-organization): apply, an empty plan, destroy.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.helpers import REGION, Emu, emulator_provider, tofu_runner

pytestmark = pytest.mark.emulator

MANAGEMENT = "123456789012"


def error(exc: pytest.ExceptionInfo[ClientError]) -> tuple[str, int, str]:
    response = exc.value.response
    return response["Error"]["Code"], response["ResponseMetadata"]["HTTPStatusCode"], response["Error"]["Message"]


@pytest.fixture
def members(fresh_emu: Emu) -> list[str]:
    """An organization in the emulator's account with two member accounts."""
    org = fresh_emu.client("organizations")
    org.create_organization(FeatureSet="ALL")
    ids = []
    for name in ("audit", "other"):
        status = org.create_account(AccountName=name, Email=f"{name}@example.com")["CreateAccountStatus"]
        ids.append(
            org.describe_create_account_status(CreateAccountRequestId=status["Id"])["CreateAccountStatus"]["AccountId"]
        )
    return ids


# ------------------------------------------------------------------------------------------ GuardDuty


def test_guardduty_enable_is_idempotent_and_one_per_organization(fresh_emu: Emu, members: list[str]) -> None:
    audit, other = members
    gd = fresh_emu.client("guardduty")
    gd.enable_organization_admin_account(AdminAccountId=audit)
    gd.enable_organization_admin_account(AdminAccountId=audit)  # again: accepted, still one
    assert gd.list_organization_admin_accounts()["AdminAccounts"] == [
        {"AdminAccountId": audit, "AdminStatus": "ENABLED"}
    ]
    with pytest.raises(ClientError) as exc:
        gd.enable_organization_admin_account(AdminAccountId=other)
    code, status, message = error(exc)
    assert (code, status) == ("BadRequestException", 400) and audit in message


def test_guardduty_enable_refuses_non_members_and_member_callers(fresh_emu: Emu, members: list[str]) -> None:
    gd = fresh_emu.client("guardduty")
    with pytest.raises(ClientError) as exc:
        gd.enable_organization_admin_account(AdminAccountId="999999999999")
    code, status, message = error(exc)
    assert (code, status) == ("BadRequestException", 400) and "not a member of organization" in message
    outsider = fresh_emu.client("guardduty", **fresh_emu.as_account("210987654321"))
    with pytest.raises(ClientError) as exc:
        outsider.enable_organization_admin_account(AdminAccountId=members[0])
    assert error(exc)[:2] == ("BadRequestException", 400)


def test_guardduty_disable(fresh_emu: Emu, members: list[str]) -> None:
    audit, other = members
    gd = fresh_emu.client("guardduty")
    gd.enable_organization_admin_account(AdminAccountId=audit)
    with pytest.raises(ClientError) as exc:
        gd.disable_organization_admin_account(AdminAccountId=other)
    code, status, message = error(exc)
    assert (code, status) == ("BadRequestException", 400) and "not the delegated administrator" in message
    assert gd.disable_organization_admin_account(AdminAccountId=audit)["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert gd.list_organization_admin_accounts()["AdminAccounts"] == []
    gd.enable_organization_admin_account(AdminAccountId=other)  # after a disable, another may be chosen
    assert [a["AdminAccountId"] for a in gd.list_organization_admin_accounts()["AdminAccounts"]] == [other]


# ------------------------------------------------------------------------------------------ Security Hub


def test_securityhub_enable_answers_the_account_and_list_shows_it(fresh_emu: Emu, members: list[str]) -> None:
    audit, _ = members
    sh = fresh_emu.client("securityhub")
    assert sh.list_organization_admin_accounts()["AdminAccounts"] == []
    answer = sh.enable_organization_admin_account(AdminAccountId=audit)
    assert answer["AdminAccountId"] == audit
    assert sh.list_organization_admin_accounts()["AdminAccounts"] == [{"AccountId": audit, "Status": "ENABLED"}]
    paged = sh.get_paginator("list_organization_admin_accounts").paginate(PaginationConfig={"PageSize": 1})
    assert [a["AccountId"] for page in paged for a in page["AdminAccounts"]] == [audit]


def test_securityhub_disable(fresh_emu: Emu, members: list[str]) -> None:
    audit, other = members
    sh = fresh_emu.client("securityhub")
    sh.enable_organization_admin_account(AdminAccountId=audit)
    with pytest.raises(ClientError) as exc:
        sh.disable_organization_admin_account(AdminAccountId=other)
    code, status, message = error(exc)
    assert (code, status) == ("InvalidInputException", 400) and other in message
    sh.disable_organization_admin_account(AdminAccountId=audit)
    assert sh.list_organization_admin_accounts()["AdminAccounts"] == []


def test_securityhub_list_needs_an_organization_and_its_management_account(fresh_emu: Emu) -> None:
    sh = fresh_emu.client("securityhub")
    with pytest.raises(ClientError) as exc:
        sh.list_organization_admin_accounts()
    code, status, _ = error(exc)
    assert (code, status) == ("InvalidAccessException", 401)
    with pytest.raises(ClientError) as exc:
        sh.disable_organization_admin_account(AdminAccountId="111111111111")
    assert error(exc)[:2] == ("InvalidAccessException", 401)


# ------------------------------------------------------------------------------------------ the provider

PROVIDER_CONFIG = """
resource "aws_organizations_organization" "this" {{
  feature_set                   = "ALL"
  aws_service_access_principals = ["guardduty.amazonaws.com", "securityhub.amazonaws.com"]
}}

resource "aws_organizations_account" "audit" {{
  name      = "audit"
  email     = "audit@example.com"
  parent_id = aws_organizations_organization.this.roots[0].id
}}

resource "aws_guardduty_organization_admin_account" "this" {{
  admin_account_id = aws_organizations_account.audit.id
}}

resource "aws_securityhub_organization_admin_account" "this" {{
  admin_account_id = aws_organizations_account.audit.id
}}
"""


@pytest.mark.engines
def test_provider_applies_and_destroys_the_delegated_administrators(
    fresh_emu: Emu, engine_env: dict[str, str], tmp_path: Path
) -> None:
    run = tofu_runner(tmp_path, engine_env, fresh_emu.status.ca_bundle)
    (tmp_path / "main.tf").write_text(
        emulator_provider(fresh_emu.endpoint, "guardduty", "organizations", "securityhub", "sts")
        + PROVIDER_CONFIG.format(region=REGION, endpoint=fresh_emu.endpoint)
    )
    assert (out := run("init")).returncode == 0, out.stdout + out.stderr
    assert (out := run("apply", "-auto-approve")).returncode == 0, out.stdout[-4000:] + out.stderr[-4000:]
    assert (out := run("plan", "-detailed-exitcode")).returncode == 0, out.stdout[-4000:] + out.stderr[-4000:]

    audit = next(a["Id"] for a in fresh_emu.client("organizations").list_accounts()["Accounts"] if a["Name"] == "audit")
    gd: Any = fresh_emu.client("guardduty")
    sh: Any = fresh_emu.client("securityhub")
    assert [a["AdminAccountId"] for a in gd.list_organization_admin_accounts()["AdminAccounts"]] == [audit]
    assert [a["AccountId"] for a in sh.list_organization_admin_accounts()["AdminAccounts"]] == [audit]

    targets = [
        "-target=aws_guardduty_organization_admin_account.this",
        "-target=aws_securityhub_organization_admin_account.this",
    ]
    assert (out := run("destroy", "-auto-approve", *targets)).returncode == 0, out.stdout[-4000:] + out.stderr[-4000:]
    assert gd.list_organization_admin_accounts()["AdminAccounts"] == []
    assert sh.list_organization_admin_accounts()["AdminAccounts"] == []
