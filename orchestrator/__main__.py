"""`python -m orchestrator`: the `orch` command (tests and benchmarks start it this way)."""

import os

from orchestrator.launch import main

# Child processes (the engines) inherit it, so their output reaches the unit logs as it is written.
os.environ.setdefault("PYTHONUNBUFFERED", "1")
main()
