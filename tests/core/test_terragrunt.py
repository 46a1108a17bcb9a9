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


#: Asks as OpenTofu's apply does: the plan, then a prompt with no newline, then the answer decides.
ASKING_ENGINE = (
    "echo 'Plan: 1 to add, 0 to change, 0 to destroy.'; printf '  Enter a value: '; "
    'read answer; echo; echo "answered $answer"; [ "$answer" = yes ]'
)


@pytest.mark.parametrize("answer", [True, False])
def test_the_approval_prompt_is_answered_once_the_plan_is_out(tmp_path: Path, answer: bool) -> None:
    tg = Terragrunt("/bin/sh", {"PATH": "/usr/bin:/bin"}, engine="/bin/sh")
    log = tmp_path / "log"
    seen: list[str] = []

    def approve() -> bool:
        seen.append(log.read_text())
        return answer

    result = tg.run_engine(tmp_path, ["-c", ASKING_ENGINE], log, approve=approve)
    assert len(seen) == 1 and "Plan: 1 to add" in seen[0]  # asked once, after the plan was logged
    assert result.approved is answer and result.ok is answer
    typed = "yes" if answer else "no"
    assert f"answered {typed}" in log.read_text()
    assert f"  Enter a value: {typed} (typed by orch)\n" in log.read_text()  # the log shows what was typed


def test_an_engine_that_never_asks_is_not_answered(tmp_path: Path) -> None:
    tg = Terragrunt("/bin/sh", {"PATH": "/usr/bin:/bin"}, engine="/bin/sh")
    asked: list[bool] = []
    result = tg.run_engine(
        tmp_path, ["-c", "echo 'No changes.'"], tmp_path / "log", approve=lambda: asked.append(True) or True
    )
    assert result.ok and result.approved is None and not asked


def test_no_yes_once_the_run_is_interrupted(tmp_path: Path) -> None:
    """A Ctrl-C while orch checks the plan: the engine (here ignoring SIGINT) is told "no"."""
    tg = Terragrunt("/bin/sh", {"PATH": "/usr/bin:/bin"}, engine="/bin/sh")
    log = tmp_path / "log"

    def approve() -> bool:
        tg.interrupt()
        return True

    result = tg.run_engine(tmp_path, ["-c", f"trap '' INT; {ASKING_ENGINE}"], log, approve=approve)
    assert result.approved is False and result.interrupted
    assert "answered no" in log.read_text()
