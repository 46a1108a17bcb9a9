"""Errors that orch reports to people as one clear message and an exit code."""

from __future__ import annotations

# Exit codes scripts can trust (documented in README and `orch --help`).
EXIT_OK = 0
EXIT_ERROR = 1
EXIT_CHANGES = 2  # plan --detailed-exitcode / drift: changes or drift present
EXIT_BUG = 3  # an unexpected exception: a bug in orch, with a crash log to attach to the report
EXIT_INTERRUPTED = 130  # Ctrl-C (128 + SIGINT), as shells report it


class OrchError(Exception):
    """A failure the user can act on: printed without a traceback, exit code attached."""

    exit_code = EXIT_ERROR

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message if not self.hint else f"{self.message}\n  hint: {self.hint}"


class ToolMissingError(OrchError):
    """An engine (tofu, terragrunt) or provider is not installed."""


class ConfigError(OrchError):
    """An environment configuration file is missing or has a wrong value."""
