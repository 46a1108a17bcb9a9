"""Security Hub: ListOrganizationAdminAccounts and DisableOrganizationAdminAccount.

Why: moto 5.2 answers EnableOrganizationAdminAccount (and keeps the administrator per organization) but
has neither ListOrganizationAdminAccounts, which the provider's aws_securityhub_organization_admin_account
reads after creating it and on every refresh, nor DisableOrganizationAdminAccount, which it calls on
destroy (bootstrap/05-organization, terraform/modules/organization). Its Enable answers `{}` where the
model returns the account.

Shapes follow botocore's securityhub model: GET /organization/admin (MaxResults, NextToken, Feature
in the query string) answers `AdminAccounts: [{AccountId, Status: ENABLED}]`; POST
/organization/admin/disable with `AdminAccountId` answers `{}`; Enable answers `AdminAccountId` (and
`Feature` when given). Errors are the model's InvalidInputException / InvalidAccessException (HTTP 400 /
401, JSON): no organization, a caller that is not the management account, an account that is not the
administrator.
"""

from __future__ import annotations

import json
from typing import Any, cast


def _error(kind: str, message: str) -> Exception:
    from moto.core.exceptions import JsonRESTError

    error = JsonRESTError(kind, message)
    error.code = 401 if kind == "InvalidAccessException" else 400
    return error


def _org_config(backend: Any) -> dict[str, Any]:
    from moto.organizations.exceptions import AWSOrganizationsNotInUseException

    try:
        org = backend.org_backend.describe_organization()["Organization"]
    except AWSOrganizationsNotInUseException:
        raise _error(
            "InvalidAccessException",
            "The request was rejected because AWS Organizations is not in use or not configured for this account.",
        ) from None
    if org["MasterAccountId"] != backend.account_id:
        raise _error(
            "InvalidAccessException",
            "The request was rejected because you don't have sufficient permissions to perform this"
            " operation: only the organization management account can manage the delegated administrator.",
        )
    return cast("dict[str, Any]", backend._get_org_config())


def install() -> None:
    from moto.securityhub import urls
    from moto.securityhub.models import SecurityHubBackend
    from moto.securityhub.responses import SecurityHubResponse

    urls.url_paths.setdefault("{0}/organization/admin$", SecurityHubResponse.dispatch)
    urls.url_paths.setdefault("{0}/organization/admin/disable$", SecurityHubResponse.dispatch)

    def list_organization_admin_accounts(self: Any) -> list[dict[str, str]]:
        admin = _org_config(self)["admin_account_id"]
        return [{"AccountId": admin, "Status": "ENABLED"}] if admin else []

    def disable_organization_admin_account(self: Any, admin_account_id: str) -> None:
        config = _org_config(self)
        if config["admin_account_id"] != admin_account_id:
            raise _error(
                "InvalidInputException",
                f"The request was rejected because the account {admin_account_id} is not the Security Hub"
                " administrator account of the organization.",
            )
        config["admin_account_id"] = None

    SecurityHubBackend.list_organization_admin_accounts = list_organization_admin_accounts  # type: ignore[attr-defined]  # new method: moto has none
    SecurityHubBackend.disable_organization_admin_account = disable_organization_admin_account  # type: ignore[attr-defined]  # new method: moto has none

    original_enable = SecurityHubResponse.enable_organization_admin_account

    def enable_response(self: Any) -> str:
        original_enable(self)
        params = json.loads(self.body) if self.body else {}
        answer = {"AdminAccountId": params.get("AdminAccountId")}
        if params.get("Feature"):
            answer["Feature"] = params["Feature"]
        return json.dumps(answer)

    def list_response(self: Any) -> str:
        accounts = self.securityhub_backend.list_organization_admin_accounts()
        answer: dict[str, Any] = {"AdminAccounts": accounts}
        feature = self._get_param("Feature")
        if feature:
            answer["Feature"] = feature
        return json.dumps(answer)

    def disable_response(self: Any) -> str:
        params = json.loads(self.body) if self.body else {}
        admin = params.get("AdminAccountId")
        if not admin:
            raise _error("InvalidInputException", "The request was rejected because AdminAccountId is missing.")
        self.securityhub_backend.disable_organization_admin_account(admin)
        return json.dumps({})

    SecurityHubResponse.enable_organization_admin_account = enable_response  # type: ignore[method-assign]  # replaces moto's method
    SecurityHubResponse.list_organization_admin_accounts = list_response  # type: ignore[attr-defined]  # new method: moto has none
    SecurityHubResponse.disable_organization_admin_account = disable_response  # type: ignore[attr-defined]  # new method: moto has none
