"""The engine runner without engines: captured logs, redaction, Ctrl-C forwarding and escalation."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from orchestrator.terragrunt import Interrupted, Terragrunt


def test_output_goes_to_the_log_redacted_and_stdout_can_be_captured(tmp_path: Path) -> None:
    lines: list[tuple[str, str]] = []
    tg = Terragrunt(
        "/bin/sh",
        {"PATH": "/usr/bin:/bin"},
        secrets=["s3cret-token"],
        verbose=lambda unit, line: lines.append((unit, line)),
    )
    log = tmp_path / "u" / "terragrunt.log"
    result = tg.run(tmp_path, ["-c", "echo out s3cret-token; echo err >&2"], log, label="u")
    assert result.ok
    text = log.read_text()
    assert "out ***" in text and "err" in text and "s3cret-token" not in text
    assert ("u", "out ***") in lines
    captured = tg.run(tmp_path, ["-c", "echo '{\"a\": 1}'"], log, capture_stdout=True)
    assert captured.stdout.strip() == '{"a": 1}'


def test_first_interrupt_sigint_then_escalates(tmp_path: Path) -> None:
    tg = Terragrunt("/bin/sh", {"PATH": "/usr/bin:/bin"})
    log = tmp_path / "log"
    box: dict = {}
    # The child ignores SIGINT (like an engine finishing a write): the second Ctrl-C ends it.
    thread = threading.Thread(
        target=lambda: box.update(r=tg.run(tmp_path, ["-c", "trap '' INT; sleep 30 & wait"], log))
    )
    thread.start()
    while tg.running == 0:
        time.sleep(0.01)
    time.sleep(0.2)
    tg.interrupt()
    time.sleep(0.3)
    assert thread.is_alive()  # SIGINT alone did not stop it
    tg.interrupt()
    thread.join(10)
    assert not thread.is_alive()
    assert box["r"].interrupted and box["r"].returncode != 0
    with pytest.raises(Interrupted):
        tg.run(tmp_path, ["-c", "true"], log)
