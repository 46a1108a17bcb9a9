"""EFS: PutBackupPolicy.

Why: moto answers DescribeBackupPolicy but has no PutBackupPolicy, so the provider's
aws_efs_backup_policy retries until its timeout. Here the policy status is stored on the file
system and DescribeBackupPolicy returns it (ENABLED or DISABLED, as AWS does after a put).
"""

from __future__ import annotations

import json
from typing import Any

VALID_STATUSES = ("ENABLED", "ENABLING", "DISABLED", "DISABLING")


def install() -> None:
    from moto.efs.models import EFSBackend, FileSystem
    from moto.efs.responses import EFSResponse

    original_policy = FileSystem.backup_policy

    def backup_policy(self: Any) -> dict[str, str] | None:
        status = getattr(self, "_orch_backup_status", None)
        return {"Status": status} if status else original_policy.fget(self)  # type: ignore[attr-defined]  # a property at run time: mypy sees its getter

    FileSystem.backup_policy = property(backup_policy)  # type: ignore[assignment,method-assign]  # replaces moto's property

    def put_backup_policy(self: Any, file_system_id: str, status: str) -> dict[str, str]:
        from moto.efs.exceptions import BadRequest, FileSystemNotFound

        if file_system_id not in self.file_systems_by_id:
            raise FileSystemNotFound(file_system_id)
        if status not in VALID_STATUSES:
            raise BadRequest(f"Invalid backup policy status {status!r}")
        # ENABLING/DISABLING settle at once: there is no backup service behind the emulator.
        settled = "ENABLED" if status.startswith("ENABL") else "DISABLED"
        file_system = self.file_systems_by_id[file_system_id]
        file_system._orch_backup_status = settled
        file_system._backup = settled == "ENABLED"
        return {"Status": settled}

    EFSBackend.put_backup_policy = put_backup_policy  # type: ignore[attr-defined]  # new method: moto has none

    def put_backup_policy_response(self: Any) -> tuple[str, dict[str, Any]]:
        file_system_id = self._get_param("FileSystemId")
        status = (self._get_param("BackupPolicy") or {}).get("Status", "")
        policy = self.efs_backend.put_backup_policy(file_system_id, status)
        return json.dumps({"BackupPolicy": policy}), {"Content-Type": "application/json"}

    EFSResponse.put_backup_policy = put_backup_policy_response  # type: ignore[attr-defined]  # new method: moto has none
