"""The one error handler of `orch`: a bug becomes one line plus a crash log, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from orchestrator import cli


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
    assert exit_info.value.code == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert "internal error: KeyError: 'unit-that-vanished'" in err
    (log,) = tmp_path.glob("crash-*.log")
    assert str(log) in err.replace("\n", "")
    assert "Traceback" in log.read_text() and "unit-that-vanished" in log.read_text()
