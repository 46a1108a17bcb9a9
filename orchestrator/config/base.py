"""What the env.yaml blocks share: no unknown keys, and the formats AWS names take."""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict

ACCOUNT = re.compile(r"^\d{12}$")
ROLE_ARN = re.compile(r"^arn:aws[a-z-]*:iam::\d{12}:role/[\w+=,.@/-]+$")
REGION = re.compile(r"^[a-z]{2}(-gov)?-[a-z]+-\d$")
# The same check as terraform/modules/monitoring's alarm_email_addresses validation.
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")
