"""`python -m orchestrator`: the `orch` command."""

import os

from orchestrator.cli import main

# Child processes (the engines) inherit it, so their output reaches the unit logs as it is written.
os.environ.setdefault("PYTHONUNBUFFERED", "1")
main()
