"""`python -m orchestrator.cli`: the `orch` command, like `python -m orchestrator` (which starts
discovery's `terragrunt find` before this package is imported: orchestrator/launch.py)."""

import os

from orchestrator.launch import main

# Child processes (the engines) inherit it, so their output reaches the unit logs as it is written.
os.environ.setdefault("PYTHONUNBUFFERED", "1")
main()
