"""The request and error plumbing every EKS handler here shares."""

from __future__ import annotations

from typing import Any, NoReturn

from moto.core.responses import BaseResponse
from moto.core.utils import utcnow
from moto.eks import exceptions
from moto.moto_api._internal import mock_random

from orchestrator.emulator.patches.eks.pagination import paginate


def raise_error(kind: str, message: str, **names: Any) -> NoReturn:
    """An EKS error with moto's EKS JSON body (message plus the resource names that apply)."""
    cls = getattr(exceptions, kind, None)
    if cls is None:
        cls = type(kind, (exceptions.EKSError,), {"TYPE": kind, "STATUS": 404 if "NotFound" in kind else 400})
    raise cls(**{k: v for k, v in names.items() if v is not None}, message=message)


def query(response: BaseResponse, name: str) -> Any:
    values = response.querystring.get(name)
    return values[0] if values else None


def page(response: BaseResponse, items: list[Any]) -> tuple[list[Any], str | None]:
    """The page of `items` the request's maxResults and nextToken ask for."""
    try:
        return paginate(items, query(response, "maxResults"), query(response, "nextToken"))
    except ValueError as exc:
        raise_error("InvalidParameterException", str(exc))


def now() -> Any:
    return utcnow()


def new_uuid() -> str:
    return str(mock_random.uuid4())
