"""orchestrator/settings.py is the one list of orch's ORCH_* variables, read when called (issue 14)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from orchestrator import settings
from orchestrator.errors import OrchError

REPO = Path(__file__).resolve().parents[2]
NAME = re.compile(r"\bORCH_[A-Z][A-Z_]*[A-Z]\b")
READ = re.compile(r"""(?:environ(?:\.get\(|\[)|getenv\()\s*["'](ORCH_[A-Z_]+)""")

#: Modules that still read ORCH_* variables themselves. engine_shim.py runs with `python -S` and
#: imports nothing of orch's; cli/ moves to settings.* in its own rewrite (issue 14): remove it
#: from here then.
OWN_READERS = (
    "orchestrator/settings.py",
    "orchestrator/runs/engine_shim.py",
    "orchestrator/cli/",
)


def _sources() -> list[Path]:
    found = [*(REPO / "orchestrator").rglob("*.py"), *(REPO / "scripts").glob("*.sh")]
    for tree in ("environments", "bootstrap"):
        found += (REPO / tree).rglob("*.hcl")
    return sorted(p for p in found if ".terragrunt-cache" not in p.parts)


def test_every_orch_variable_is_documented_in_settings() -> None:
    documented = set(NAME.findall(settings.__doc__ or ""))
    missing = {
        f"{name} ({path.relative_to(REPO)})"
        for path in _sources()
        for name in NAME.findall(path.read_text())
        if name not in documented
    }
    assert not missing, "document these in orchestrator/settings.py:\n" + "\n".join(sorted(missing))


def test_orch_variables_are_read_through_settings() -> None:
    readers = []
    for path in (REPO / "orchestrator").rglob("*.py"):
        where = str(path.relative_to(REPO))
        if where.startswith(OWN_READERS):
            continue
        readers += [f"{where}: {name}" for name in READ.findall(path.read_text())]
    assert not readers, "read these through orchestrator.settings:\n" + "\n".join(sorted(readers))


def test_settings_are_read_when_called_not_at_import(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("ORCH_RUNS_DIR", raising=False)
    monkeypatch.delenv("ORCH_STATE_DIR", raising=False)
    assert settings.runs_dir() is None
    assert settings.state_dir() == settings.REPO_ROOT / ".orch"
    monkeypatch.setenv("ORCH_RUNS_DIR", str(tmp_path / "runs"))
    monkeypatch.setenv("ORCH_STATE_DIR", str(tmp_path))
    monkeypatch.setenv("ORCH_STOP_GRACE", "not a number")
    monkeypatch.setenv("ORCH_RUN_MODE", " Per-Unit ")
    assert settings.runs_dir() == tmp_path / "runs"
    assert settings.state_dir() == tmp_path
    assert settings.stop_grace() == settings.DEFAULT_STOP_GRACE
    assert settings.per_unit_runs()


def test_a_min_free_mb_that_is_not_a_number_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ORCH_MIN_FREE_MB", raising=False)
    assert settings.min_free_mb() == settings.DEFAULT_MIN_FREE_MB
    monkeypatch.setenv("ORCH_MIN_FREE_MB", "lots")
    with pytest.raises(OrchError, match="ORCH_MIN_FREE_MB='lots' is not a number of MB"):
        settings.min_free_mb()
