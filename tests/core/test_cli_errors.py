"""The one error handler of `orch`: a bug becomes one line plus a crash log, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from orchestrator import cli
from orchestrator.errors import OrchError

pytestmark = pytest.mark.usefixtures("keep_umask")


def test_an_unexpected_exception_is_one_line_and_a_crash_log(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The typer app is replaced by a function that raises (a stand-in for any bug) to isolate main()."""

    def broken(**_: object) -> None:
        raise KeyError("unit-that-vanished")

    monkeypatch.setattr(cli, "app", broken)
    monkeypatch.setenv("ORCH_STATE_DIR", str(tmp_path))
    with pytest.raises(SystemExit) as exit_info:
        cli.main()
    assert exit_info.value.code == 3
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert "unexpected error: KeyError: 'unit-that-vanished'" in err
    (log,) = tmp_path.glob("crash-*.log")
    assert str(log) in err.replace("\n", "")
    assert "Traceback" in log.read_text() and "unit-that-vanished" in log.read_text()


def _exit_and_stderr(
    raised: BaseException, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> tuple[object, str]:
    """main() with the app replaced by a function that raises `raised` (a test double)."""

    def failing(**_: object) -> None:
        raise raised

    monkeypatch.setattr(cli, "app", failing)
    with pytest.raises(SystemExit) as exit_info:
        cli.main()
    return exit_info.value.code, capsys.readouterr().err


def test_an_orch_error_is_its_message_its_hint_and_its_exit_code(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    class Refused(OrchError):
        exit_code = 4

    code, err = _exit_and_stderr(Refused("apply refused", hint="re-run with --allow-destroy"), monkeypatch, capsys)
    assert code == 4
    assert err.splitlines() == ["error: apply refused", "  hint: re-run with --allow-destroy"]


def test_ctrl_c_exits_130(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    code, err = _exit_and_stderr(KeyboardInterrupt(), monkeypatch, capsys)
    assert code == 130 and err.strip() == "interrupted"


def test_a_usage_error_exits_1_not_2_and_points_at_help(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """2 means "changes present" to scripts that run orch."""
    monkeypatch.setattr("sys.argv", ["orch", "plan", "--colour"])
    with pytest.raises(SystemExit) as exit_info:
        cli.main()
    err = capsys.readouterr().err
    assert exit_info.value.code == 1 and len(err.strip().splitlines()) == 1, err
    assert err.startswith("error: No such option: --colour") and "--help`)" in err, err
