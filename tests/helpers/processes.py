"""`orch` as a child process, the environment it gets, and waiting on what it does."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path

from tests.helpers.repo import REPO

#: The installed `orch` script, for the tests that drive a run themselves (signals, a log to follow).
ORCH_BIN = Path(sys.executable).parent / "orch"


def run_orch(
    *args: str, env: Mapping[str, str] | None = None, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    """`orch ARGS` as Jenkins runs it: a child process with pipes (not a TTY) and no standard input.

    Started as `python -m orchestrator` from the checkout so that it runs this checkout's code
    even where the venv's editable install points at another one; `env` None inherits this process's.
    """
    return subprocess.run(
        [sys.executable, "-m", "orchestrator", *args],
        cwd=REPO,
        env=None if env is None else dict(env),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def start_orch(*args: str, env: Mapping[str, str]) -> subprocess.Popen[str]:
    """`orch ARGS` started in the background with pipes and no standard input (a Jenkins step), for a
    test that signals, kills or races it; the installed `orch` entry point, so signals reach orch."""
    return subprocess.Popen(
        [str(ORCH_BIN), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
        env=dict(env),
    )


def clean_env(home: Path, **extra: str) -> dict[str, str]:
    """The environment of a child `orch`: no real AWS settings, a throwaway HOME, then `extra`.

    Settings of orch, Terragrunt and the engines are dropped too, so that the child reads only what
    the test gives it (orch sets what its engines need, the offline provider mirror included).
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "ORCH_", "BUILD_TAG", "TF_", "TG_"))}
    env.update(
        HOME=str(home),
        AWS_CONFIG_FILE=str(home / "no-aws-config"),
        AWS_SHARED_CREDENTIALS_FILE=str(home / "no-aws-credentials"),
        AWS_EC2_METADATA_DISABLED="true",
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


def wait_until(condition: Callable[[], object], timeout: float, interval: float = 0.2) -> bool:
    """Whether `condition()` came true within `timeout` seconds (asked every `interval`)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() >= deadline:
            return False
        time.sleep(interval)
    return True
