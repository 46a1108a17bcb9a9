"""Amazon Managed Service for Prometheus: the workspace's customer managed KMS key.

Why: moto 5.2's CreateWorkspace drops kmsKeyArn and DescribeWorkspace never returns it. The
provider's aws_prometheus_workspace reads kms_key_arn back (the argument forces replacement), so
90-monitoring's workspace, encrypted with the platform's key, would be planned for replacement
on every run. Here the key ARN given to CreateWorkspace is kept and returned as AWS does
(`kmsKeyArn` in the workspace description, botocore's amp model); a key that is not a KMS key
ARN is refused with ValidationException, as AWS refuses it.
"""

from __future__ import annotations

import json
import re
from typing import Any

_KMS_ARN = re.compile(r"^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key/.+$")


def install() -> None:
    from moto.amp.models import Workspace
    from moto.amp.responses import PrometheusServiceResponse
    from moto.core.exceptions import JsonRESTError

    original_to_dict = Workspace.to_dict

    def to_dict(self: Any) -> dict[str, Any]:
        described = original_to_dict(self)
        key = getattr(self, "_orch_kms_key_arn", None)
        if key:
            described["kmsKeyArn"] = key
        return described

    Workspace.to_dict = to_dict  # type: ignore[method-assign]  # replaces moto's method

    original_create = PrometheusServiceResponse.create_workspace

    def create_workspace(self: Any) -> str:
        key = json.loads(self.body or "{}").get("kmsKeyArn")
        if key is not None and not _KMS_ARN.match(key):
            raise JsonRESTError("ValidationException", f"kmsKeyArn {key!r} is not a KMS key ARN")
        answer = original_create(self)
        if key:
            workspace = self.amp_backend.workspaces[json.loads(answer)["workspaceId"]]
            workspace._orch_kms_key_arn = key
            answer = json.dumps({**json.loads(answer), "kmsKeyArn": key})
        return answer

    PrometheusServiceResponse.create_workspace = create_workspace  # type: ignore[method-assign]  # replaces moto's method
