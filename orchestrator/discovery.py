"""Discovering the units of a stack directory and their dependencies, with Terragrunt's own evaluation.

One `terragrunt find --json --dependencies --include --reading` process evaluates
`dependency`/`dependencies` blocks, includes, locals and functions for the whole stack.
`find` is lenient by design, and orch must not be: verified with Terragrunt 1.1.2,

- an unparsable terragrunt.hcl (or a file it includes) is still listed, without the blocks
  that did not parse, exit code 0; the HCL diagnostic (file:line) is only logged at debug
  level, as `Suppressed parsing errors <file>:<line>,<col>: <summary>; <detail>`;
- a missing include is logged at debug level (`Suppressing parse error for <file>: Include
  configuration not found: ...`), the unit is listed without the blocks of that include;
- a dependency on a missing directory or on a directory without a unit is listed like any
  other dependency;
- a unit on a dependency cycle is dropped from the output (WARN `Cycle detected`).

So `find` runs with `--log-level debug --log-format json` (one JSON object per stderr line;
no measurable cost on environments/LIVE/eks-prod) and orch turns those debug records into
errors, checks every include and dependency path itself, and compares the units found with
the unit files on disk. Units `find` did not list are rendered one by one with `terragrunt
render --json` (which fails loudly, with the engine's own message) to recover their
dependencies, and a cycle is reported by orchestrator.graph naming every unit on it.

Terragrunt Stacks: a directory holding terragrunt.stack.hcl files is generated first with
`terragrunt stack generate` (it copies each `unit` block's source into
`.terragrunt-stack/<path>`, keeping files it did not write there, such as local state;
verified with 1.1.2). `find` does not generate stacks, and skips `.terragrunt-stack` under
`--no-hidden`, so for such a directory it runs without `--no-hidden` and orch filters out
the hidden directories it does not want. Which catalog directory each generated unit came
from is read from the generator's debug record `Generating: <name> (<source>) to <dest>`.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, Field

from orchestrator.errors import OrchError
from orchestrator.graph import STACK_DIR, STACK_FILE, Graph, Unit, make_graph, readable_name

SKIP_DIRS = {".terragrunt-cache", ".terraform", ".orch", ".git"}
UNIT_FILES = ("terragrunt.hcl", "terragrunt.hcl.json")

# Terragrunt 1.1.2's debug records (internal/discovery/phase_parse.go, pkg/config/stack.go).
_DIAG = re.compile(r"^(?P<file>/.+?):(?P<line>\d+),\d+(?:-\d+(?:,\d+)?)?: (?P<text>.*)$", re.S)
_SUPPRESSED_DIAGS = "Suppressed parsing errors "
_SUPPRESSING_FILE = re.compile(r"^Suppressing parse error for (?P<file>/\S+): (?P<text>.*)$", re.S)
_SUPPRESSED_UNIT = re.compile(r"^Suppressed parse error for (?P<dir>/\S+): (?P<text>.*)$", re.S)
_DISCOVERY_ERRORS = "Errors encountered while discovering components"
_GENERATING = re.compile(r"^Generating: (?P<name>.+?) \((?P<source>.*)\) to (?P<dest>/.+)$")


class DiscoveryError(OrchError):
    """Terragrunt could not read the units' configuration, or the configuration is inconsistent."""


class UnitFiles(BaseModel):
    """Files a unit reads besides its own directory (relative to the stack directory)."""

    includes: list[str] = Field(default_factory=list)
    reading: list[str] = Field(default_factory=list)


class Discovered(BaseModel):
    graph: Graph
    files: dict[str, UnitFiles] = Field(default_factory=dict)


def is_unit_path(rel: str) -> bool:
    """False for anything inside a hidden directory, a Terragrunt/Terraform cache or .orch.

    `.terragrunt-stack` (units generated from a terragrunt.stack.hcl) is the one hidden
    directory that holds units.
    """
    return not any(
        part in SKIP_DIRS or (part.startswith(".") and part not in (".", "..", STACK_DIR)) for part in Path(rel).parts
    )


# ------------------------------------------------------------------ processes


def _terragrunt(binary: str, cwd: Path, args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    # Problems are read from `--log-format json` records: a custom format or disabled
    # logging in the caller's environment would hide them.
    env = {k: v for k, v in env.items() if k not in ("TG_LOG_CUSTOM_FORMAT", "TG_LOG_DISABLE")}
    return subprocess.run(
        [binary, *args, "--non-interactive"],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        stdin=subprocess.DEVNULL,
    )


def _records(stderr: str) -> list[tuple[str, str]]:
    """(level, message) of each `--log-format json` record; other lines as ("raw", line)."""
    found = []
    for line in stderr.splitlines():
        line = line.strip()
        if not line:
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            found.append(("raw", line))
            continue
        if isinstance(record, dict):
            found.append((str(record.get("level", "")), str(record.get("msg", ""))))
    return found


def _engine_failure(proc: subprocess.CompletedProcess[str]) -> str:
    """The engine's error records as one line (the last one carries the cause)."""
    errors = [msg for level, msg in _records(proc.stderr) if level in ("error", "raw")]
    text = errors[-1] if errors else (proc.stderr.strip().splitlines() or [f"exit code {proc.returncode}"])[-1]
    return _one_line(text)


def _one_line(text: str) -> str:
    """Join a multi-line engine message, without Terragrunt's generic troubleshooting list."""
    lines, skipping = [], False
    for raw in text.splitlines():
        line = " ".join(raw.split())
        if line.startswith("Troubleshooting:"):
            skipping = True
            continue
        if skipping:
            if not line:
                skipping = False
            continue
        if line and line not in lines:
            lines.append(line)
    return "; ".join(lines)


def _parse_json(text: str, what: str) -> object:
    start = min((i for i in (text.find("["), text.find("{")) if i >= 0), default=-1)
    if start < 0:
        raise DiscoveryError(f"{what}: no JSON in Terragrunt's output")
    try:
        return json.loads(text[start:])
    except json.JSONDecodeError as exc:
        raise DiscoveryError(f"{what}: Terragrunt printed invalid JSON ({exc})") from None


# ------------------------------------------------------------------ paths


def _rel(stack: Path, unit_dir: Path, target: str) -> str:
    path = Path(target)
    if not path.is_absolute():
        path = unit_dir / path
    absolute = Path(os.path.normpath(path))
    try:
        return absolute.relative_to(stack).as_posix() or "."
    except ValueError:
        return str(absolute)


def _rel_up(stack: Path, path: Path) -> str:
    """Path relative to the stack directory, with ../ when outside it (as git paths are mapped)."""
    return Path(os.path.relpath(path, stack)).as_posix()


def _shown(path: Path) -> str:
    """A file as people should see it: relative to the working directory when below it."""
    try:
        return path.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return str(path)


def _is_unit_dir(path: Path) -> bool:
    return any((path / name).is_file() for name in UNIT_FILES)


def _unit_file(directory: Path) -> Path:
    return next((directory / n for n in UNIT_FILES if (directory / n).is_file()), directory / UNIT_FILES[0])


def _walk(stack: Path, with_stacks: bool) -> Iterable[tuple[Path, list[str]]]:
    """Directories under the stack orch looks at (no caches, no hidden ones but .terragrunt-stack)."""
    for base, dirs, names in os.walk(stack):
        dirs[:] = sorted(
            d for d in dirs if d not in SKIP_DIRS and (not d.startswith(".") or (with_stacks and d == STACK_DIR))
        )
        yield Path(base), names


def _has_stack_file(stack: Path) -> bool:
    return any(STACK_FILE in names for _, names in _walk(stack, with_stacks=False))


# ------------------------------------------------------------------ problems


@dataclass
class _Problem:
    """One thing wrong with the configuration: the file (and line) to fix, and the units it breaks."""

    file: Path
    text: str
    line: int | None = None
    units: list[str] = field(default_factory=list)

    def render(self, names: dict[str, str]) -> str:
        where = _shown(self.file) + (f":{self.line}" if self.line else "")
        shown = [names.get(u, u) for u in self.units]
        if not shown:
            return f"{where}: {self.text}"
        who = f"unit {shown[0]}" if len(shown) == 1 else f"units {', '.join(shown[:3])}"
        if len(shown) > 3:
            who += f" and {len(shown) - 3} more"
        return f"{where}: {self.text} ({who})"


def _raise_problems(problems: list[_Problem], names: dict[str, str]) -> None:
    """One error line for the first broken file (its problem with a line number, if any).

    The other broken files are listed in the hint.
    """
    by_file: dict[Path, _Problem] = {}
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
        others = ", ".join(_shown(p.file) + (f":{p.line}" if p.line else "") for p in unique[1:4])
        more = f" and {len(unique) - 4} more" if len(unique) > 4 else ""
        hint = f"also broken: {others}{more}"
    raise DiscoveryError(unique[0].render(names), hint=hint)


def _line_of(file: Path, pattern: re.Pattern[str]) -> int | None:
    try:
        for number, line in enumerate(file.read_text(errors="replace").splitlines(), start=1):
            if pattern.search(line.split("#", 1)[0]):
                return number
    except OSError:
        return None
    return None


# ------------------------------------------------------------------ stacks


@dataclass
class _Generated:
    """Units `terragrunt stack generate` wrote: destination directory → where it came from."""

    sources: dict[Path, Path | None] = field(default_factory=dict)

    def stack_file(self, dest: Path) -> Path | None:
        """The terragrunt.stack.hcl whose `unit`/`stack` block generated `dest`."""
        parts = dest.parts
        if STACK_DIR in parts:
            last = len(parts) - 1 - parts[::-1].index(STACK_DIR)
            return Path(*parts[:last]) / STACK_FILE
        for parent in dest.parents:
            if (parent / STACK_FILE).is_file():
                return parent / STACK_FILE
        return None

    def origins(self, dest: Path) -> list[Path]:
        """Catalog directories and terragrunt.stack.hcl files a generated directory derives from.

        A unit of a nested stack derives from its own catalog source, from the catalog stack
        it was generated by, and so on up to a terragrunt.stack.hcl that was not generated.
        """
        found: list[Path] = []
        current: Path | None = dest
        while current is not None and current in self.sources:
            source = self.sources[current]
            if source is not None:
                found.append(source)
            stack_file = self.stack_file(current)
            if stack_file is None:
                break
            parent = stack_file.parent
            if parent not in self.sources:
                found.append(stack_file)
                break
            current = parent
        return found

    def original(self, file: Path) -> Path:
        """The catalog file a generated file was copied from (the file to fix), when known."""
        for dest, source in self.sources.items():
            if source is not None and file.is_relative_to(dest):
                candidate = source / file.relative_to(dest)
                if candidate.is_file():
                    return candidate
        return file


def _local_source(source: str, base: Path) -> Path | None:
    """The local directory a `unit`/`stack` block's source names, or None for a remote source."""
    if source.startswith("file://"):
        source = source[len("file://") :]
    if "::" in source or "?" in source or re.match(r"^[a-z0-9+.-]+://", source):
        return None
    path = Path(source) if Path(source).is_absolute() else base / source
    path = Path(os.path.normpath(path))
    return path if path.is_dir() else None


def _generate_failure(stack: Path, failure: str) -> str:
    """`terragrunt stack generate`'s error as one line naming the stack file and block.

    Terragrunt 1.1.2 names the file and line for HCL errors (`<file>:<line>,<col>: ...`), and
    the block and destination for a source it cannot fetch (`failed to fetch unit db ...
    Destination: <dir>`); the block's line is looked up in the stack file.
    """
    diag = re.search(r"(/\S+/" + re.escape(STACK_FILE) + r"):(\d+),\d+", failure)
    if diag:
        where = f"{_shown(Path(diag.group(1)))}:{diag.group(2)}"
        return f"{where}: terragrunt stack generate failed: {failure}"
    dest = re.search(r"Destination: (/\S+)", failure)
    block = re.search(r"\bfetch (unit|stack) ([\w.-]+)", failure)
    stack_file = _Generated().stack_file(Path(dest.group(1))) if dest else None
    if stack_file is None:
        named = re.search(r"(/\S+/" + re.escape(STACK_FILE) + ")", failure)
        stack_file = Path(named.group(1)) if named else None
    if stack_file is None:
        return f"{STACK_FILE} under {_shown(stack)}: terragrunt stack generate failed: {failure}"
    line = _line_of(stack_file, re.compile(rf'^\s*{block.group(1)}\s+"{re.escape(block.group(2))}"')) if block else None
    where = _shown(stack_file) + (f":{line}" if line else "")
    return f"{where}: terragrunt stack generate failed: {failure}"


def _generate_stacks(stack: Path, binary: str, env: dict[str, str]) -> _Generated:
    """Run `terragrunt stack generate`; read which source each generated directory came from."""
    proc = _terragrunt(binary, stack, ["stack", "generate", "--log-level", "debug", "--log-format", "json"], env)
    if proc.returncode != 0:
        raise DiscoveryError(
            _generate_failure(stack, _engine_failure(proc)),
            hint=f"run `terragrunt stack generate` in {_shown(stack)} to see the full output",
        )
    generated = _Generated()
    for _, message in _records(proc.stderr):
        match = _GENERATING.match(message)
        if match:
            dest = Path(os.path.normpath(match["dest"]))
            generated.sources[dest] = None
            stack_file = generated.stack_file(dest)
            if stack_file is not None:
                generated.sources[dest] = _local_source(match["source"], stack_file.parent)
    return generated


# ------------------------------------------------------------------ discovery


def _render_dependencies(binary: str, stack: Path, rel: str, env: dict[str, str]) -> list[str] | _Problem:
    """Dependencies of one unit from `terragrunt render --json` (units `find` did not list)."""
    unit_dir = stack / rel
    proc = _terragrunt(binary, unit_dir, ["render", "--json", "--log-format", "json"], env)
    if proc.returncode != 0:
        failure = _engine_failure(proc)
        diag = re.search(r"(/\S+):(\d+),\d+", failure)
        if diag:
            return _Problem(Path(diag.group(1)), failure.replace(diag.group(0), "").lstrip(":; "), int(diag.group(2)))
        return _Problem(_unit_file(unit_dir), f"terragrunt render failed: {failure}")
    data = _parse_json(proc.stdout, f"{rel}: terragrunt render")
    assert isinstance(data, dict)
    deps: list[str] = []
    for block in (data.get("dependency") or {}).values():
        if block and block.get("config_path"):
            deps.append(_rel(stack, unit_dir, block["config_path"]))
    for path in (data.get("dependencies") or {}).get("paths") or []:
        deps.append(_rel(stack, unit_dir, path))
    return deps


def _find_args(with_stacks: bool) -> list[str]:
    args = [
        "find",
        "--json",
        "--dependencies",
        "--include",
        "--reading",
        "--log-level",
        "debug",
        "--log-format",
        "json",
    ]
    # .terragrunt-stack is hidden: only walk hidden directories when stacks were generated.
    return args if with_stacks else [*args, "--no-hidden"]


def _log_problems(records: list[tuple[str, str]], stack: Path) -> list[_Problem]:
    """Errors `terragrunt find` only logs (debug level) or logs without failing."""
    problems: list[_Problem] = []
    generic: list[str] = []
    for level, message in records:
        if message.startswith(_SUPPRESSED_DIAGS):
            text = re.sub(r", and \d+ other diagnostic\(s\)$", "", message[len(_SUPPRESSED_DIAGS) :])
            diag = _DIAG.match(text)
            if diag:
                summary, _, detail = diag["text"].partition("; ")
                problems.append(
                    _Problem(Path(diag["file"]), f"{summary}: {detail}" if detail else summary, int(diag["line"]))
                )
            else:
                generic.append(text)
        elif match := _SUPPRESSING_FILE.match(message):
            problems.append(_Problem(Path(match["file"]), _one_line(match["text"])))
        elif match := _SUPPRESSED_UNIT.match(message):
            problems.append(_Problem(_unit_file(Path(match["dir"])), _one_line(match["text"])))
        elif message.startswith(_DISCOVERY_ERRORS) or level == "error":
            generic.append(_one_line(message))
    if generic and not problems:
        problems.append(_Problem(stack, f"terragrunt find: {generic[0]}"))
    return problems


def _owners(file: Path, stack: Path, units: dict[str, Unit], files: dict[str, UnitFiles]) -> list[str]:
    """Units whose configuration is `file` or includes/reads it."""
    for rel in units:
        if file.parent == stack / rel and file.name in UNIT_FILES:
            return [rel]
    target = _rel_up(stack, file)
    return sorted(rel for rel, f in files.items() if target in f.includes or target in f.reading)


def _dependency_line(
    stack: Path, rel: str, dep: str, files: dict[str, UnitFiles], generated: _Generated
) -> tuple[Path, int | None]:
    """Best effort: the file and line naming `dep` among the unit's configuration files.

    Terragrunt reports resolved dependency paths only, so the line is found by the last
    path component written in a string (`"../db"`, `values.db_path = "../db"`).
    """
    unit_dir = stack / rel
    candidates = [_unit_file(unit_dir)]
    candidates += [stack / f for f in (files.get(rel) or UnitFiles()).includes]
    stack_file = generated.stack_file(unit_dir) if unit_dir in generated.sources else None
    if stack_file is not None:
        candidates.append(stack_file)
    base = Path(dep).name
    pattern = re.compile(r"[\"/]" + re.escape(base) + r"[\"/]")
    for candidate in candidates:
        line = _line_of(candidate, pattern)
        if line is not None:
            return generated.original(candidate), line
    return generated.original(candidates[0]), None


def discover(stack_dir: Path, binary: str, env: dict[str, str]) -> Discovered:
    """All units under stack_dir in topological order.

    Raises DiscoveryError for configuration Terragrunt could not read or that points nowhere,
    and CycleError on a cycle, each naming the file to fix and the unit.
    """
    stack = stack_dir.resolve()
    if not stack.is_dir():
        raise DiscoveryError(f"{stack_dir}: not a directory")
    with_stacks = _has_stack_file(stack)
    generated = _generate_stacks(stack, binary, env) if with_stacks else _Generated()
    proc = _terragrunt(binary, stack, _find_args(with_stacks), env)
    if proc.returncode != 0:
        raise DiscoveryError(f"{_shown(stack)}: terragrunt find failed: {_engine_failure(proc)}")
    found = _parse_json(proc.stdout or "[]", "terragrunt find")
    assert isinstance(found, list)

    units: dict[str, Unit] = {}
    files: dict[str, UnitFiles] = {}
    labels: dict[str, dict[str, str]] = {}
    for item in found:
        if item.get("type", "unit") != "unit" or not is_unit_path(item["path"]):
            continue
        rel = Path(item["path"]).as_posix()
        units[rel] = Unit(path=rel, dependencies=[_rel(stack, stack, d) for d in item.get("dependencies") or []])
        labels[rel] = dict(item.get("include") or {})
        files[rel] = UnitFiles(includes=sorted(labels[rel].values()), reading=sorted(item.get("reading") or []))

    problems = _log_problems(_records(proc.stderr), stack)
    # Units on disk that find did not list (it drops units on a cycle, and units whose
    # configuration it could not parse at all): render each, which fails loudly.
    on_disk = [_rel_up(stack, base) for base, names in _walk(stack, with_stacks) if any(n in names for n in UNIT_FILES)]
    lost = [rel for rel in on_disk if rel not in units]
    if lost:
        with ThreadPoolExecutor(max_workers=4) as pool:
            rendered = dict(
                zip(lost, pool.map(lambda r: _render_dependencies(binary, stack, r, env), lost), strict=True)
            )
        for rel, deps in rendered.items():
            if isinstance(deps, _Problem):
                problems.append(deps)
                continue
            units[rel] = Unit(path=rel, dependencies=deps)
            files.setdefault(rel, UnitFiles())

    for rel, blocks in labels.items():
        for label, include in sorted(blocks.items()):
            if not (stack / include).is_file():
                unit_file = _unit_file(stack / rel)
                line = _line_of(unit_file, re.compile(rf'^\s*include\s+"{re.escape(label)}"'))
                missing = _shown(Path(os.path.normpath(stack / include)))
                problems.append(_Problem(unit_file, f'include "{label}": {missing} does not exist', line, [rel]))

    # Dependencies must be discovered units; a unit outside the stack directory (or in a
    # hidden directory orch skips) is an external dependency, never run by orch.
    for rel, unit in list(units.items()):
        inside, external = [], []
        for dep in unit.dependencies:
            if dep in units:
                inside.append(dep)
                continue
            target = Path(dep) if Path(dep).is_absolute() else stack / dep
            if _is_unit_dir(target) and not (target.is_relative_to(stack) and is_unit_path(_rel_up(stack, target))):
                external.append(str(target))
                continue
            if target.is_dir():
                why = "holds no terragrunt.hcl" if not _is_unit_dir(target) else "is not a unit orch discovered"
            else:
                why = "does not exist"
            file, line = _dependency_line(stack, rel, dep, files, generated)
            problems.append(_Problem(file, f"depends on {_shown(target)}, which {why}", line, [rel]))
        units[rel] = unit.model_copy(update={"dependencies": inside, "external": sorted(external)})

    # Problems found in files only skipped directories use (a hidden unit, a cache) are not orch's.
    kept: list[_Problem] = []
    for problem in problems:
        if not problem.units:
            problem.units = _owners(problem.file, stack, units, files)
        in_stack = problem.file.is_relative_to(stack)
        if in_stack and not is_unit_path(_rel_up(stack, problem.file)) and not problem.units:
            continue
        problem.file = generated.original(problem.file)
        kept.append(problem)

    for rel, unit in units.items():
        unit_dir = stack / rel
        if unit_dir in generated.sources or STACK_DIR in Path(rel).parts:
            origins = generated.origins(unit_dir) or [p for p in [generated.stack_file(unit_dir)] if p]
            units[rel] = unit.model_copy(
                update={"name": readable_name(rel), "generated_from": [_rel_up(stack, p) for p in origins]}
            )
    names = _unique_names(units)
    _raise_problems(kept, names)
    if not units:
        raise DiscoveryError(
            f"{_shown(stack)}: no Terragrunt unit under this directory (no terragrunt.hcl or {STACK_FILE})",
            hint="check --dir; orch skips hidden directories and caches",
        )
    units = {rel: unit.model_copy(update={"name": names[rel]}) for rel, unit in units.items()}

    def locate(unit: str, dep: str) -> str:
        file, line = _dependency_line(stack, unit, dep, files, generated)
        return _shown(file) + (f":{line}" if line else "")

    graph = make_graph(stack, list(units.values()), locate)
    return Discovered(graph=graph, files=files)


def _unique_names(units: dict[str, Unit]) -> dict[str, str]:
    """Readable names, falling back to the path where two units would read the same."""
    counts: dict[str, int] = {}
    for unit in units.values():
        counts[unit.name] = counts.get(unit.name, 0) + 1
    return {rel: unit.name if counts[unit.name] == 1 else rel for rel, unit in units.items()}
