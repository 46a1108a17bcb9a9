"""The one place where `orch` turns an exception into what the user sees and an exit code.

An OrchError is a failure the user can act on: "error: <message>" (and its hint), its exit code. A usage
error exits 1, not click's 2, because 2 means "changes present" to scripts that run orch. Ctrl-C exits
130. Anything else is a bug: one line for the user, the traceback in a crash log for the bug report,
exit 3.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from rich.console import Console

from orchestrator.errors import EXIT_BUG, EXIT_ERROR, EXIT_INTERRUPTED, OrchError

err_console = Console(stderr=True)


def _error(message: str) -> None:
    err_console.print(f"[bold red]error:[/bold red] {message}", highlight=False, soft_wrap=True)


@contextmanager
def error_handler() -> Iterator[None]:
    """Run the block; turn whatever it raises (except SystemExit) into a message and `sys.exit`."""
    # typer (>= 0.26, pyproject.toml) vendors click as typer._click: its parser raises these, not click's.
    from typer._click.exceptions import UsageError
    from typer.exceptions import Abort

    try:
        yield
    except UsageError as exc:
        command = exc.ctx.command_path if exc.ctx is not None else "orch"
        _error(f"{exc.format_message()} (see `{command} --help`)")
        sys.exit(EXIT_ERROR)
    except (Abort, KeyboardInterrupt):
        err_console.print("interrupted")
        sys.exit(EXIT_INTERRUPTED)
    except OrchError as exc:
        _error(str(exc))
        sys.exit(exc.exit_code)
    except Exception as exc:
        where = write_crash_log(exc)
        _error(
            f"unexpected error: {type(exc).__name__}: {exc}"
            + (f" (traceback in {where}; please attach it to a bug report)" if where else "")
        )
        # 3, not 1: a script can tell a bug in orch from a failure in the stack it runs.
        sys.exit(EXIT_BUG)


def write_crash_log(exc: BaseException) -> str | None:
    """The traceback in `$ORCH_STATE_DIR` (default <repo>/.orch)/crash-<time>.log; None if unwritable."""
    import traceback
    from datetime import UTC, datetime

    from orchestrator.settings import REPO_ROOT

    base = os.environ.get("ORCH_STATE_DIR")
    path = (Path(base) if base else REPO_ROOT / ".orch") / f"crash-{datetime.now(UTC):%Y%m%dT%H%M%S%fZ}.log"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("".join(traceback.format_exception(exc)))
    except OSError:
        return None
    return str(path)
