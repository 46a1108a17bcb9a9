"""The opaque-token pagination every EKS list operation shares (nextToken, maxResults 1..100)."""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any


def encode_token(offset: int) -> str:
    return base64.urlsafe_b64encode(json.dumps({"offset": offset}).encode()).decode()


def decode_token(token: str) -> int:
    try:
        offset = json.loads(base64.urlsafe_b64decode(token.encode()))["offset"]
    except (ValueError, KeyError, TypeError, binascii.Error):
        raise ValueError("The nextToken is not valid.") from None
    if not isinstance(offset, int) or offset < 0:
        raise ValueError("The nextToken is not valid.")
    return offset


def paginate(items: list[Any], max_results: Any, next_token: Any) -> tuple[list[Any], str | None]:
    """An opaque-token page of `items` (maxResults 1..100, default 100), as every EKS list pages."""
    limit = 100 if max_results in (None, "") else int(max_results)
    if not 1 <= limit <= 100:
        raise ValueError("maxResults must be between 1 and 100.")
    start = decode_token(next_token) if next_token else 0
    page = items[start : start + limit]
    return page, encode_token(start + limit) if start + limit < len(items) else None
