"""What the tests share: the repository's paths, `orch` as a child process, the emulator, OpenTofu.

Tests import from here (`from tests.helpers import run_orch`), never from one another: a helper two
tiers need lives here once, and a test file holds only tests and what is particular to them.
"""

from tests.helpers.emulator import (
    REGION,
    Emu,
    emulator_client,
    error_of,
    replication_group,
    scan_for_secrets,
    throttle_state,
)
from tests.helpers.engines import emulator_missing_reason, engines_missing_reason
from tests.helpers.processes import ORCH_BIN, clean_env, run_orch, start_orch, wait_until
from tests.helpers.repo import FIXTURES, REPO, copy_stack
from tests.helpers.tofu import emulator_network, emulator_provider, redis_module_config, tofu_runner

__all__ = [
    "FIXTURES",
    "ORCH_BIN",
    "REGION",
    "REPO",
    "Emu",
    "clean_env",
    "copy_stack",
    "emulator_client",
    "emulator_missing_reason",
    "emulator_network",
    "emulator_provider",
    "engines_missing_reason",
    "error_of",
    "redis_module_config",
    "replication_group",
    "run_orch",
    "scan_for_secrets",
    "start_orch",
    "throttle_state",
    "tofu_runner",
    "wait_until",
]
