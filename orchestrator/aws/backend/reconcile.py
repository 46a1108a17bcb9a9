"""The one pattern every part of the state backend follows: create what is missing, read back
what exists, and report a difference as drift or fix it (`--repair`).

A `Setting` is one such difference check: how to read the current value, whether it is the
wanted one (None when it cannot be known, e.g. on an emulator that does not keep it), and how
to put the wanted one. kms.py, s3.py and dynamodb.py each hold a table of them; a
`Reconciler` runs a table against one resource and keeps the record `orch bootstrap` prints.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from botocore.exceptions import ClientError

from orchestrator.config import EnvConfig
from orchestrator.errors import OrchError

DENIED = ("403", "AccessDenied", "Forbidden", "AccessDeniedException")
NOT_FOUND = ("404", "NoSuchBucket", "NotFound")

#: The resource a table of settings is checked against (a bucket, a key, a table).
Resource = TypeVar("Resource")


class BackendError(OrchError):
    """An AWS call of the bootstrap failed."""


def error_code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))


def call(what: str, fn: Callable[..., Any], **kwargs: Any) -> Any:
    """`fn(**kwargs)`, its failure reported as one line naming the API action `what`."""
    try:
        return fn(**kwargs)
    except ClientError as exc:
        message = exc.response.get("Error", {}).get("Message", "")
        raise BackendError(f"{what} failed: {error_code(exc)}: {message}") from None


def orch_command(env: EnvConfig, local: bool, *args: str) -> str:
    """The orch command line a hint tells the user to run for `env`."""
    return " ".join(["orch", *(["--local"] if local else []), *args, "--env", env.name])


@dataclass(frozen=True)
class Setting(Generic[Resource]):
    """One wanted setting of a resource.

    `what` is the drift message; `{r.…}` in it names the resource's fields. `read` returns the
    current value (None where the setting is missing), `is_ok` judges it (None: cannot be known),
    `put` writes the wanted value and gets what `read` returned (None on a new resource).
    `unverifiable` is the message when `is_ok` cannot judge, if it differs from `what`.
    """

    what: str
    read: Callable[[Resource], Any]
    is_ok: Callable[[Resource, Any], bool | None]
    put: Callable[[Resource, Any], None]
    unverifiable: str | None = None


class Reconciler:
    """Runs tables of settings and records what was created, drifted, repaired or unknown."""

    def __init__(self, repair: bool) -> None:
        self.repair = repair
        self.changed = False
        self.actions: list[str] = []
        self.drift: list[str] = []
        self.unverified: list[str] = []

    def created(self, what: str) -> None:
        self.actions.append(f"created: {what}")
        self.changed = True

    def drifted(self, what: str, fix: Callable[[], None]) -> None:
        """A setting differs from the wanted one: report it, fix it when repairing."""
        if self.repair:
            fix()
            self.actions.append(f"repaired: {what}")
            self.changed = True
        else:
            self.drift.append(what)
            self.actions.append(f"drift: {what} (run with --repair)")

    def unverifiable(self, what: str) -> None:
        self.unverified.append(what)
        self.actions.append(f"unverifiable on emulator: {what}")

    def reconcile(self, resource: Resource, settings: Iterable[Setting[Resource]], *, new: bool = False) -> None:
        """Put every setting on a `new` resource; on an existing one, check each in turn."""
        for setting in settings:
            if new:
                setting.put(resource, None)
                continue
            have = setting.read(resource)
            verdict = setting.is_ok(resource, have)
            what = setting.what.format(r=resource)
            if verdict is None:
                self.unverifiable((setting.unverifiable or setting.what).format(r=resource))
            elif not verdict:
                self.drifted(what, functools.partial(setting.put, resource, have))
