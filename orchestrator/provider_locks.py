"""This checkout's provider lock files against the provider mirror orch installs from.

The live units' `.terraform.lock.hcl` files are not committed (docs/development.md, "Provider
lock files"): the first `init` in a checkout records the packages it installed, from whichever
source is in use (orch's offline mirror of source builds, or the official registry), and later
inits verify against that record. The files sit next to each terragrunt.hcl (Terragrunt copies
them there) and in the units' Terragrunt working copies; git ignores them.

One thing goes stale: a lock recorded from another source or before a provider bump selects a
version the mirror does not have, or an older one than it pins, and the engine either fails
(version not in the mirror) or keeps the old provider without saying so (Terragrunt only re-runs
`init` when a working copy has no lock file). So before a run that installs from orch's own
mirror, `forget_stale_locks` deletes such an untracked lock file and its working-copy copies; the
next `init` records the mirror's package again. A lock for the same version whose checksum does
not match (another Go toolchain's build, or the registry's package) is left to the engine,
which refuses it; `checksum_hint` explains that refusal. Tracked lock files (a fork that commits
them) are never touched: a stale one stops the run with the fix.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from orchestrator import settings, tools
from orchestrator.errors import OrchError
from orchestrator.workdir import terragrunt_copies_dir

LOCK_FILE = ".terraform.lock.hcl"

#: The hosts the mirror serves (install-tools.sh lists each provider under both).
MIRROR_HOSTS = ("registry.opentofu.org", "registry.terraform.io")

_PROVIDER_BLOCK = re.compile(r'^provider\s+"([^"]+)"\s*\{(.*?)^\}', re.MULTILINE | re.DOTALL)
_VERSION = re.compile(r'^\s*version\s*=\s*"([^"]*)"', re.MULTILINE)
_HASH = re.compile(r'"((?:h1|zh):[^"]+)"')

#: The engines' words when a package does not match the lock file (OpenTofu and Terraform, on
#: install and on a cached package); a log may wrap them over lines.
CHECKSUM_MISMATCH = re.compile(r"match any of the checksums (?:previously )?recorded in the dependency lock file")


@dataclass
class LockedProvider:
    address: str  # registry.opentofu.org/hashicorp/aws
    version: str
    hashes: list[str] = field(default_factory=list)

    @property
    def host(self) -> str:
        return self.address.split("/", 1)[0]

    @property
    def name(self) -> str:  # hashicorp/aws
        return self.address.split("/", 1)[-1]


def read_lock(path: Path) -> list[LockedProvider]:
    """The provider entries of a lock file (an unreadable file reads as empty)."""
    try:
        text = path.read_text()
    except OSError:
        return []
    entries = []
    for address, body in _PROVIDER_BLOCK.findall(text):
        version = _VERSION.search(body)
        entries.append(LockedProvider(address, version.group(1) if version else "", _HASH.findall(body)))
    return entries


def uses_own_mirror(env: Mapping[str, str] | None = None) -> bool:
    """True when the engines install from the mirror install-tools.sh wrote (orch's default)."""
    env = os.environ if env is None else env
    if settings.tf_cli_config_file(env):
        return False
    config = tools.cli_config_file()
    return config is not None and env.get("TF_CLI_CONFIG_FILE", str(config)) == str(config)


def stale_entries(lock: Path, mirror: dict[str, dict[str, str]]) -> list[str]:
    """What in `lock` the mirror cannot satisfy: "hashicorp/aws 6.48.0 (the mirror has 6.47.1)"."""
    stale = []
    for entry in read_lock(lock):
        have = mirror.get(entry.name)
        if entry.host in MIRROR_HOSTS and have is not None and entry.version != have["version"]:
            stale.append(f"{entry.name} {entry.version or '(no version)'} (the mirror has {have['version']})")
    return stale


def working_copy_locks(unit_dir: Path, download_dir: str | Path | None) -> list[Path]:
    """The lock files in the unit's Terragrunt working copies (not in provider caches)."""
    found = []
    for root, dirs, files in os.walk(terragrunt_copies_dir(unit_dir, download_dir)):
        dirs[:] = [d for d in dirs if d != ".terraform"]  # installed providers and modules
        if LOCK_FILE in files:
            found.append(Path(root) / LOCK_FILE)
    return found


def _tracked(paths: list[Path]) -> set[Path]:
    """Which of `paths` git tracks (none when git or a repository is missing)."""
    tracked: set[Path] = set()
    for path in paths:
        try:
            proc = subprocess.run(
                ["git", "ls-files", "--error-unmatch", path.name],
                cwd=path.parent,
                capture_output=True,
                text=True,
                timeout=30,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired):
            return set()
        if proc.returncode == 0:
            tracked.add(path)
    return tracked


def forget_stale_locks(
    unit_dirs: dict[str, Path],
    download_dir: str | Path | None = None,
    *,
    env: dict[str, str] | None = None,
    mirror: dict[str, dict[str, str]] | None = None,
) -> list[str]:
    """Delete the untracked lock files of `unit_dirs` that select another version than the mirror has.

    Returns one line per unit whose lock was forgotten. Does nothing unless the run installs
    from orch's own mirror. Raises OrchError for a stale lock file that git tracks.
    """
    if not uses_own_mirror(env):
        return []
    mirror = tools.mirror_providers() if mirror is None else mirror
    if not mirror:
        return []
    notes: list[str] = []
    stale_units: dict[str, tuple[Path, list[str]]] = {}
    for label, unit_dir in unit_dirs.items():
        lock = unit_dir / LOCK_FILE
        if lock.is_file():
            stale = stale_entries(lock, mirror)
            if stale:
                stale_units[label] = (lock, stale)
    tracked = _tracked([lock for lock, _ in stale_units.values()])
    for label, (lock, stale) in stale_units.items():
        if lock in tracked:
            raise OrchError(
                f"{label}: the committed {LOCK_FILE} selects {', '.join(stale)}",
                hint="provider lock files are not committed in this project (docs/development.md); "
                f"`git rm {lock}` and run again, or install providers that match it",
            )
    for label, unit_dir in unit_dirs.items():
        own = stale_units.get(label)
        copies = working_copy_locks(unit_dir, download_dir)
        if own is None:
            copies = [c for c in copies if stale_entries(c, mirror)]
            if not copies:
                continue
        what = list(own[1]) if own is not None else []
        for copy in copies:
            what += [item for item in stale_entries(copy, mirror) if item not in what]
        if own is not None:
            own[0].unlink(missing_ok=True)
        # Without a lock file in its working copy Terragrunt runs `init` again, which records
        # the mirror's package; a copy left behind would keep the old selection in use.
        for copy in copies:
            copy.unlink(missing_ok=True)
        notes.append(
            f"{label}: forgot the provider lock recorded for {', '.join(what)}; "
            "the next init records the mirror's packages"
        )
    return notes


def checksum_hint(log_text: str, unit_label: str) -> str | None:
    """A hint for the engine's checksum refusal, or None when the log has none."""
    if not CHECKSUM_MISMATCH.search(" ".join(log_text.split())):
        return None
    return (
        f"{unit_label}/{LOCK_FILE} was recorded from another package of that provider version "
        "(the registry's release, or a mirror built by another Go toolchain); lock files are local "
        "to a checkout (docs/development.md): delete it, or `make relock`, to record the package in use"
    )
