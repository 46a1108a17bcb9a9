"""`state:` block: the state bucket, its lock and its KMS key (bootstrap creates them)."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import Field, field_validator, model_validator

from orchestrator.config.base import ACCOUNT, Strict

_BUCKET = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")


class StateConfig(Strict):
    bucket: str
    key_prefix: str
    lock_mode: Literal["s3", "dynamodb", "both"] = "s3"
    lock_table: str | None = None
    kms_alias: str
    cross_account_principals: list[str] = Field(default_factory=list)
    # Days a replaced state version is kept before the lifecycle rule expires it.
    noncurrent_version_days: int = Field(90, ge=1, le=3650)

    @model_validator(mode="after")
    def _lock_table(self) -> StateConfig:
        if self.lock_mode in ("dynamodb", "both") and not self.lock_table:
            raise ValueError(f"lock_table is required when lock_mode is {self.lock_mode!r}")
        return self

    @field_validator("bucket")
    @classmethod
    def _bucket(cls, value: str) -> str:
        if not _BUCKET.match(value) or ".." in value:
            raise ValueError(f"not a valid S3 bucket name: {value!r}")
        return value

    @field_validator("kms_alias")
    @classmethod
    def _alias(cls, value: str) -> str:
        if not value.startswith("alias/") or value.startswith("alias/aws/"):
            raise ValueError("must start with 'alias/' and not be an AWS-managed alias")
        return value

    @field_validator("cross_account_principals")
    @classmethod
    def _principals(cls, values: list[str]) -> list[str]:
        for value in values:
            if not (ACCOUNT.match(value) or value.startswith("arn:aws")):
                raise ValueError(f"not an account id or ARN: {value!r}")
        return values
