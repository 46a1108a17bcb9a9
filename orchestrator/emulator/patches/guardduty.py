"""GuardDuty: DisableOrganizationAdminAccount, and the organization rules of EnableOrganizationAdminAccount.

Why: moto 5.2 answers EnableOrganizationAdminAccount and ListOrganizationAdminAccounts but has no
DisableOrganizationAdminAccount, so destroying the provider's aws_guardduty_organization_admin_account
(bootstrap/05-organization, terraform/modules/organization) fails. Its Enable also appends the same
account again on every call and accepts any caller and any account.

Shapes follow botocore's guardduty model: POST /admin/disable with `adminAccountId`, an empty answer;
errors are the model's BadRequestException (HTTP 400, JSON `message`). As on AWS, only the
organization's management account may enable or disable the delegated administrator, the account must be
a member of the organization, and an organization has one GuardDuty administrator: enabling the same one
again is accepted, another one is refused until the first is disabled.
"""

from __future__ import annotations

import json
from typing import Any, cast


def _bad_request(message: str) -> Exception:
    from moto.guardduty.exceptions import GuardDutyException

    class BadRequestException(GuardDutyException):
        code = 400

        def get_headers(self, *args: Any, **kwargs: Any) -> list[tuple[str, str]]:
            return [("X-Amzn-ErrorType", "BadRequestException"), ("Content-Type", "application/json")]

    return BadRequestException("BadRequestException", message)


def _organization(account_id: str) -> dict[str, Any]:
    """The caller's organization (moto keeps it in the management account's backend)."""
    from moto.organizations.exceptions import AWSOrganizationsNotInUseException
    from moto.organizations.models import organizations_backends

    try:
        return cast("dict[str, Any]", organizations_backends[account_id]["aws"].describe_organization()["Organization"])
    except AWSOrganizationsNotInUseException:
        raise _bad_request(
            "The request is rejected because the current account is not a member of an organization."
        ) from None


def _check_caller_and_member(backend: Any, admin_account_id: str) -> None:
    from moto.organizations.models import organizations_backends

    org = _organization(backend.account_id)
    if org["MasterAccountId"] != backend.account_id:
        raise _bad_request(
            "The request is rejected because the current account is not the management account of the organization."
        )
    from moto.organizations.exceptions import AccountNotFoundException

    try:
        organizations_backends[backend.account_id]["aws"].get_account_by_id(admin_account_id)
    except AccountNotFoundException:
        raise _bad_request(
            f"The request is rejected because the account {admin_account_id} is not a member of"
            f" organization {org['Id']}."
        ) from None


def install() -> None:
    from moto.guardduty import urls
    from moto.guardduty.models import GuardDutyBackend
    from moto.guardduty.responses import GuardDutyResponse

    urls.url_paths.setdefault("{0}/admin/disable$", GuardDutyResponse.dispatch)

    def enable_organization_admin_account(self: Any, admin_account_id: str) -> None:
        _check_caller_and_member(self, admin_account_id)
        current = list(dict.fromkeys(self.admin_account_ids))
        if current and admin_account_id not in current:
            raise _bad_request(
                f"The request is rejected because the organization already has a delegated administrator"
                f" ({current[0]}); disable it first."
            )
        self.admin_account_ids = [admin_account_id]

    def disable_organization_admin_account(self: Any, admin_account_id: str) -> None:
        _check_caller_and_member(self, admin_account_id)
        if admin_account_id not in self.admin_account_ids:
            raise _bad_request(
                f"The request is rejected because the account {admin_account_id} is not the delegated administrator."
            )
        self.admin_account_ids = [a for a in self.admin_account_ids if a != admin_account_id]

    GuardDutyBackend.enable_organization_admin_account = enable_organization_admin_account  # type: ignore[method-assign]  # replaces moto's method
    GuardDutyBackend.disable_organization_admin_account = disable_organization_admin_account  # type: ignore[attr-defined]  # new method: moto has none

    def disable_response(self: Any) -> str:
        admin_account = self._get_param("adminAccountId")
        if not admin_account:
            raise _bad_request("The request is rejected because adminAccountId is missing.")
        self.guardduty_backend.disable_organization_admin_account(admin_account)
        return json.dumps({})

    GuardDutyResponse.disable_organization_admin_account = disable_response  # type: ignore[attr-defined]  # new method: moto has none
