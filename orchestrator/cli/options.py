"""Options every command sees (set by `orch`'s global flags)."""

from __future__ import annotations

from pydantic import BaseModel


class GlobalOptions(BaseModel):
    local: bool = False
    profile: str | None = None
    verbose: bool = False
