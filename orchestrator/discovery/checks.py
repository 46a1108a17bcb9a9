"""What orch checks itself because `terragrunt find` lists broken units without complaint:
includes and dependencies that point nowhere, and which units a broken file belongs to.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from orchestrator.discovery.paths import (
    UNIT_FILES,
    UnitFiles,
    is_unit_dir,
    is_unit_path,
    line_of,
    rel_up,
    shown,
    unit_file,
)
from orchestrator.discovery.problems import Problem
from orchestrator.discovery.stacks import Generated
from orchestrator.graph import Unit


def missing_includes(stack: Path, labels: dict[str, dict[str, str]]) -> list[Problem]:
    """Each `include` block (by label, per unit) whose file does not exist."""
    problems: list[Problem] = []
    for rel, blocks in labels.items():
        for label, include in sorted(blocks.items()):
            if not (stack / include).is_file():
                config = unit_file(stack / rel)
                line = line_of(config, re.compile(rf'^\s*include\s+"{re.escape(label)}"'))
                missing = shown(Path(os.path.normpath(stack / include)))
                problems.append(Problem(config, f'include "{label}": {missing} does not exist', line, [rel]))
    return problems


def split_dependencies(
    stack: Path, units: dict[str, Unit], files: dict[str, UnitFiles], generated: Generated
) -> list[Problem]:
    """Keep the dependencies that are discovered units, set the external ones apart, report the rest.

    A unit outside the stack directory (or in a hidden directory orch skips) is an external
    dependency, never run by orch. Updates `units` in place.
    """
    problems: list[Problem] = []
    for rel, unit in list(units.items()):
        inside, external = [], []
        for dep in unit.dependencies:
            if dep in units:
                inside.append(dep)
                continue
            target = Path(dep) if Path(dep).is_absolute() else stack / dep
            if is_unit_dir(target) and not (target.is_relative_to(stack) and is_unit_path(rel_up(stack, target))):
                external.append(str(target))
                continue
            if target.is_dir():
                why = "holds no terragrunt.hcl" if not is_unit_dir(target) else "is not a unit orch discovered"
            else:
                why = "does not exist"
            file, line = dependency_line(stack, rel, dep, files, generated)
            problems.append(Problem(file, f"depends on {shown(target)}, which {why}", line, [rel]))
        units[rel] = unit.model_copy(update={"dependencies": inside, "external": sorted(external)})
    return problems


def owned_problems(
    problems: list[Problem], stack: Path, units: dict[str, Unit], files: dict[str, UnitFiles], generated: Generated
) -> list[Problem]:
    """The problems that are orch's, each naming its units and the catalog file to fix.

    Problems found in files only skipped directories use (a hidden unit, a cache) are not orch's.
    """
    kept: list[Problem] = []
    for problem in problems:
        if not problem.units:
            problem.units = _owners(problem.file, stack, units, files)
        in_stack = problem.file.is_relative_to(stack)
        if in_stack and not is_unit_path(rel_up(stack, problem.file)) and not problem.units:
            continue
        problem.file = generated.original(problem.file)
        kept.append(problem)
    return kept


def _owners(file: Path, stack: Path, units: dict[str, Unit], files: dict[str, UnitFiles]) -> list[str]:
    """Units whose configuration is `file` or includes/reads it."""
    for rel in units:
        if file.parent == stack / rel and file.name in UNIT_FILES:
            return [rel]
    target = rel_up(stack, file)
    return sorted(rel for rel, f in files.items() if target in f.includes or target in f.reading)


def dependency_line(
    stack: Path, rel: str, dep: str, files: dict[str, UnitFiles], generated: Generated
) -> tuple[Path, int | None]:
    """Best effort: the file and line naming `dep` among the unit's configuration files.

    Terragrunt reports resolved dependency paths only, so the line is found by the last
    path component written in a string (`"../db"`, `values.db_path = "../db"`).
    """
    unit_dir = stack / rel
    candidates = [unit_file(unit_dir)]
    candidates += [stack / f for f in (files.get(rel) or UnitFiles()).includes]
    stack_file = generated.stack_file(unit_dir) if unit_dir in generated.sources else None
    if stack_file is not None:
        candidates.append(stack_file)
    base = Path(dep).name
    pattern = re.compile(r"[\"/]" + re.escape(base) + r"[\"/]")
    for candidate in candidates:
        line = line_of(candidate, pattern)
        if line is not None:
            return generated.original(candidate), line
    return generated.original(candidates[0]), None
