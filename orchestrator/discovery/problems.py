"""What is wrong with a stack's configuration, reported as one error naming the file to fix."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from orchestrator.discovery.paths import shown
from orchestrator.errors import OrchError


class DiscoveryError(OrchError):
    """Terragrunt could not read the units' configuration, or the configuration is inconsistent."""


@dataclass
class Problem:
    """One thing wrong with the configuration: the file (and line) to fix, and the units it breaks."""

    file: Path
    text: str
    line: int | None = None
    units: list[str] = field(default_factory=list)

    def render(self, names: dict[str, str]) -> str:
        where = shown(self.file) + (f":{self.line}" if self.line else "")
        named = [names.get(u, u) for u in self.units]
        if not named:
            return f"{where}: {self.text}"
        who = f"unit {named[0]}" if len(named) == 1 else f"units {', '.join(named[:3])}"
        if len(named) > 3:
            who += f" and {len(named) - 3} more"
        return f"{where}: {self.text} ({who})"


def raise_problems(problems: list[Problem], names: dict[str, str]) -> None:
    """One error line for the first broken file (its problem with a line number, if any).

    The other broken files are listed in the hint.
    """
    by_file: dict[Path, Problem] = {}
    for problem in problems:
        chosen = by_file.get(problem.file)
        if chosen is None or (chosen.line is None and problem.line is not None):
            by_file[problem.file] = problem
            if chosen is not None:
                problem.units = sorted({*problem.units, *chosen.units})
        else:
            # One catalog file generates several units (dev/db, prod/db): name them all.
            chosen.units = sorted({*chosen.units, *problem.units})
    unique = list(by_file.values())
    if not unique:
        return
    hint = None
    if len(unique) > 1:
        others = ", ".join(shown(p.file) + (f":{p.line}" if p.line else "") for p in unique[1:4])
        more = f" and {len(unique) - 4} more" if len(unique) > 4 else ""
        hint = f"also broken: {others}{more}"
    raise DiscoveryError(unique[0].render(names), hint=hint)
