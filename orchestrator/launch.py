"""The `orch` command's entry point: start discovery's `terragrunt find` (orchestrator/early_find.py),
then import the CLI, which takes most of the time that find needs."""

from __future__ import annotations

import os
import sys

#: The exit code of an interrupted command (orchestrator.errors.EXIT_INTERRUPTED, not imported: that
#: module is not needed to get here).
_INTERRUPTED = 130


def main() -> None:
    try:
        # Before anything starts: run records, logs and plans are this user's only (orchestrator.cli.main).
        os.umask(os.umask(0o077) | 0o077)
        from orchestrator import early_find

        early_find.start(sys.argv[1:])
        from orchestrator.cli import main as cli_main
    except KeyboardInterrupt:
        # Ctrl-C while orch starts, before the CLI's error handler is in place: the same one line it prints.
        sys.stderr.write("interrupted\n")
        sys.exit(_INTERRUPTED)
    cli_main()
