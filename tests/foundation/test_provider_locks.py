"""Provider lock files: not committed; each checkout records them from the provider source it uses.

Issue 12, item 12: the committed `.terraform.lock.hcl` files held only the `h1:` hash of our source
build of each provider (linux_amd64, one Go toolchain) under registry.opentofu.org, so a fresh clone
whose `init` installed any other package of those providers (the official release from a registry,
or our build on another platform or toolchain) failed its checksum check. docs/development.md
("Provider lock files") says why they are no longer committed instead of carrying official hashes.

The official path is played by a stand-in: a packed filesystem mirror whose zip packages are not
our build, which OpenTofu verifies against the lock exactly as it verifies a registry download.
The offline path uses the real mirror (`.venv/orch.tfrc`) with OpenTofu and, when it is
installed, Terraform.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from orchestrator import provider_locks, runs, tools
from orchestrator.errors import OrchError
from orchestrator.runs import Result, RunOptions
from orchestrator.selection import Selection
from orchestrator.workdir import terragrunt_copies_dir
from tests.helpers import REPO

LOCK = ".terraform.lock.hcl"
HOST = {"tofu": "registry.opentofu.org", "terraform": "registry.terraform.io"}


def git(*args: str) -> str:
    return subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True, check=True).stdout


def live_units() -> list[str]:
    """Every live unit (a terragrunt.hcl under environments/ or bootstrap/), as a fresh clone has them."""
    files = git("ls-files", "--", "environments", "bootstrap").splitlines()
    return sorted(str(Path(f).parent) for f in files if Path(f).name == "terragrunt.hcl")


def package_h1(directory: Path) -> str:
    """OpenTofu's and Terraform's `h1:` hash of an unpacked provider package (Go's dirhash Hash1)."""
    lines = []
    for path in sorted(p for p in directory.rglob("*") if p.is_file()):
        digest = hashlib.sha256()
        with path.open("rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
        lines.append(f"{digest.hexdigest()}  {path.relative_to(directory).as_posix()}\n")
    return "h1:" + base64.b64encode(hashlib.sha256("".join(lines).encode()).digest()).decode()


@pytest.fixture(scope="module")
def fresh_clone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's tracked files as a fresh clone of this tree would have them."""
    clone = tmp_path_factory.mktemp("clone")
    for rel in git("ls-files", "-z").split("\0"):
        source = REPO / rel
        if rel and source.is_file():
            (clone / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, clone / rel)
    return clone


def layer_workdir(clone: Path, unit: str, dest: Path) -> Path:
    """What Terragrunt runs the engine in: the unit's module from terraform/modules, with the unit's
    own files (its lock file, when there is one) copied on top."""
    # Environment units take their source from their catalog file (environments/catalog/units).
    catalog = clone / "environments/catalog/units" / f"{Path(unit).name}.hcl"
    hcl = (catalog if unit.startswith("environments/") else clone / unit / "terragrunt.hcl").read_text()
    module_ref = r'source\s*=\s*"\$\{(?:include\.root\.locals\.settings|local\.settings)\.modules\}//([\w-]+)"'
    module = re.search(module_ref, hcl)
    assert module, f"{unit}: no terraform.source into terraform/modules"
    shutil.copytree(clone / "terraform/modules", dest / "modules")
    workdir = dest / "modules" / module.group(1)
    if (clone / unit / LOCK).exists():
        shutil.copy2(clone / unit / LOCK, workdir / LOCK)
    return workdir


def engine(name: str) -> str:
    """The engine at a supported version (the modules require Terraform >= 1.14: scripts/setup.sh builds it)."""
    info = tools.tool_info(name)
    if info is None or info.version_tuple < tools.MIN_VERSIONS[name]:
        pytest.skip(f"{name} >= {'.'.join(map(str, tools.MIN_VERSIONS[name]))} not installed: run ./scripts/setup.sh")
    return info.path


def init(engine_path: str, workdir: Path, env: dict[str, str], *flags: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [engine_path, "init", "-backend=false", "-input=false", "-no-color", *flags],
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def locked(workdir: Path) -> dict[str, provider_locks.LockedProvider]:
    return {entry.address: entry for entry in provider_locks.read_lock(workdir / LOCK)}


# ------------------------------------------------------------------ the repository


def test_no_provider_lock_file_is_committed_and_recorded_ones_are_ignored() -> None:
    assert [f for f in git("ls-files").splitlines() if Path(f).name == LOCK] == []
    units = live_units()
    assert len(units) >= 12, units
    for unit in units:
        ignored = subprocess.run(["git", "check-ignore", "-q", f"{unit}/{LOCK}"], cwd=REPO, check=False)
        assert ignored.returncode == 0, f"{unit}/{LOCK} is not ignored by git"


# ------------------------------------------------------------------ official path (stand-in)


@pytest.fixture(scope="module")
def stand_in_registry(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """A packed mirror of zip packages that are not our build, at the versions the mirror pins.

    Returns its CLI configuration and, per provider, the h1 of the stand-in package.
    """
    mirror = tools.mirror_providers()
    if not mirror:
        pytest.skip("no provider mirror: run ./scripts/setup.sh")
    root = tmp_path_factory.mktemp("stand-in-registry")
    hashes = {}
    for name, info in mirror.items():
        ptype = name.split("/")[1]
        platform = Path(info["path"]).parent.name  # linux_amd64
        unpacked = root / "unpacked" / name
        unpacked.mkdir(parents=True)
        binary = unpacked / f"terraform-provider-{ptype}_v{info['version']}_x5"
        binary.write_text(f"#!/bin/sh\necho 'stand-in for the official {name} {info['version']}'\n")
        binary.chmod(0o755)
        hashes[name] = package_h1(unpacked)
        for host in HOST.values():
            target = root / "mirror" / host / name / f"terraform-provider-{ptype}_{info['version']}_{platform}.zip"
            target.parent.mkdir(parents=True, exist_ok=True)
            with zipfile.ZipFile(target, "w") as archive:
                archive.write(binary, binary.name)
    config = root / "registry.tfrc"
    config.write_text(f'provider_installation {{\n  filesystem_mirror {{\n    path = "{root / "mirror"}"\n  }}\n}}\n')
    return config, hashes


def distinct_units() -> list[str]:
    """One environment's units and bootstrap's: every environment runs the same catalog units
    (tests/foundation/test_environments.py), so another environment would repeat the same inits."""
    return [u for u in live_units() if not u.startswith("environments/") or u.startswith("environments/LIVE/eks-prod/")]


@pytest.mark.engines
@pytest.mark.parametrize("unit", distinct_units())
def test_a_fresh_clone_installs_a_provider_package_that_is_not_our_source_build(
    unit: str,
    fresh_clone: Path,
    stand_in_registry: tuple[Path, dict[str, str]],
    engine_env: dict[str, str],
    tmp_path: Path,
) -> None:
    """With the old committed locks: "the current package for registry.opentofu.org/hashicorp/aws
    6.47.1 doesn't match any of the checksums previously recorded in the dependency lock file"."""
    config, stand_in_h1 = stand_in_registry
    workdir = layer_workdir(fresh_clone, unit, tmp_path)
    env = {**engine_env, "TF_CLI_CONFIG_FILE": str(config)}
    proc = init(engine("tofu"), workdir, env)
    assert proc.returncode == 0, f"{unit}: init with another package failed:\n{proc.stdout}\n{proc.stderr}"
    entries = locked(workdir)
    assert entries, f"{unit}: init recorded no providers"
    for address, entry in entries.items():
        name = entry.name
        assert stand_in_h1[name] in entry.hashes, f"{unit}: {address} does not record the installed package"


# ------------------------------------------------------------------ offline path (the real mirror)


@pytest.mark.engines
@pytest.mark.parametrize("engine_name", ["tofu", "terraform"])
def test_offline_init_records_the_mirror_build_and_a_second_checkout_inits_read_only(
    engine_name: str, fresh_clone: Path, engine_env: dict[str, str], tmp_path: Path
) -> None:
    """50-addons needs all three providers. The first init records the mirror's packages; another
    working copy with that lock file then initialises with `-lockfile=readonly`, lock unchanged.
    (Terraform: the mirror lists each provider under registry.terraform.io in real directories,
    which its search needs; a symlinked version directory was not found.)"""
    binary = engine(engine_name)
    unit = "environments/LIVE/eks-prod/50-addons"
    mirror = tools.mirror_providers()
    needed = ("hashicorp/aws", "hashicorp/helm", "hashicorp/kubernetes")
    assert set(needed) <= set(mirror)
    env = {**engine_env, "TF_CLI_CONFIG_FILE": str(tools.cli_config_file())}

    first = layer_workdir(fresh_clone, unit, tmp_path / "first")
    proc = init(binary, first, env)
    assert proc.returncode == 0, f"{engine_name} init from the mirror failed:\n{proc.stdout}\n{proc.stderr}"
    entries = locked(first)
    assert set(entries) == {f"{HOST[engine_name]}/{name}" for name in needed}
    for entry in entries.values():
        package = Path(mirror[entry.name]["path"]).parent
        assert entry.version == mirror[entry.name]["version"]
        assert entry.hashes == [package_h1(package)], entry

    second = layer_workdir(fresh_clone, unit, tmp_path / "second")
    shutil.copy2(first / LOCK, second / LOCK)
    recorded = (second / LOCK).read_bytes()
    proc = init(binary, second, env, "-lockfile=readonly")
    assert proc.returncode == 0, f"read-only init failed:\n{proc.stdout}\n{proc.stderr}"
    assert (second / LOCK).read_bytes() == recorded


# ------------------------------------------------------------------ orch and stale local locks

STALE = """provider "{host}/hashicorp/{ptype}" {{
  version     = "{version}"
  constraints = ">= 1.0.0"
  hashes = [
    "h1:{h1}",
    "zh:0000000000000000000000000000000000000000000000000000000000000000",
  ]
}}
"""


@pytest.fixture
def own_mirror(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> dict[str, dict[str, str]]:
    config = tmp_path / "orch.tfrc"
    config.write_text("provider_installation {}\n")
    monkeypatch.setattr(tools, "cli_config_file", lambda: config)
    monkeypatch.delenv("ORCH_TF_CLI_CONFIG_FILE", raising=False)
    monkeypatch.delenv("TF_CLI_CONFIG_FILE", raising=False)
    return {"hashicorp/aws": {"version": "6.47.1", "path": "unused"}}


def write_lock(unit: Path, version: str, host: str = "registry.terraform.io", h1: str = "x") -> Path:
    unit.mkdir(parents=True, exist_ok=True)
    (unit / LOCK).write_text(STALE.format(host=host, ptype="aws", version=version, h1=h1))
    return unit / LOCK


def test_orch_forgets_an_untracked_lock_recorded_for_another_provider_version(
    own_mirror: dict[str, dict[str, str]], tmp_path: Path
) -> None:
    stack = tmp_path / "stack"
    stale = write_lock(stack / "a", "6.48.0")  # e.g. recorded by a registry install
    current = write_lock(stack / "b", "6.47.1", host="registry.opentofu.org")
    download = tmp_path / "tg-cache"
    copy = terragrunt_copies_dir(stack / "a", download) / "x1" / "mod" / LOCK
    copy.parent.mkdir(parents=True)
    shutil.copy2(stale, copy)

    notes = provider_locks.forget_stale_locks({"a": stack / "a", "b": stack / "b"}, download, mirror=own_mirror)

    assert notes == [
        "a: forgot the provider lock recorded for hashicorp/aws 6.48.0 (the mirror has 6.47.1); "
        "the next init records the mirror's packages"
    ]
    assert not stale.exists() and not copy.exists()
    assert current.exists()


def test_orch_never_deletes_a_tracked_lock_file(own_mirror: dict[str, dict[str, str]], tmp_path: Path) -> None:
    stack = tmp_path / "stack"
    lock = write_lock(stack / "a", "6.40.0")
    subprocess.run(["git", "init", "-q", str(stack)], check=True)
    subprocess.run(["git", "add", "a/" + LOCK], cwd=stack, check=True)
    with pytest.raises(OrchError, match=r"committed \.terraform\.lock\.hcl selects hashicorp/aws 6\.40\.0"):
        provider_locks.forget_stale_locks({"a": stack / "a"}, None, mirror=own_mirror)
    assert lock.exists()


def test_orch_leaves_locks_alone_with_another_provider_source(
    own_mirror: dict[str, dict[str, str]], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    lock = write_lock(tmp_path / "a", "6.48.0")
    monkeypatch.setenv("ORCH_TF_CLI_CONFIG_FILE", str(tmp_path / "registry.tfrc"))
    assert provider_locks.forget_stale_locks({"a": tmp_path / "a"}, None, env=dict(os.environ), mirror=own_mirror) == []
    assert lock.exists()


STACK_UNIT = """
terraform {
  required_providers {
    helm = { source = "hashicorp/helm" }
  }
}
"""


@pytest.mark.engines
def test_orch_validate_recovers_from_a_stale_lock_and_explains_a_foreign_checksum(
    engine_env: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A lock recorded for helm 3.1.0 (say, by a registry install) in a checkout whose mirror pins
    3.2.0: orch forgets it and the run records the mirror's package. A lock for the mirror's version
    with another package's checksum is refused by the engine, and orch's error says why."""
    helm = tools.mirror_providers().get("hashicorp/helm")
    if helm is None:
        pytest.skip("hashicorp/helm not in the provider mirror")
    monkeypatch.delenv("ORCH_TF_CLI_CONFIG_FILE", raising=False)
    for name in ("ORCH_ENGINE", "TG_TF_PATH", "TG_DOWNLOAD_DIR"):
        monkeypatch.delenv(name, raising=False)
    stack = tmp_path / "stack"
    (stack / "charts").mkdir(parents=True)
    (stack / "charts" / "terragrunt.hcl").write_text("")
    (stack / "charts" / "main.tf").write_text(STACK_UNIT)
    lock = stack / "charts" / LOCK
    lock.write_text(STALE.format(host="registry.opentofu.org", ptype="helm", version="3.1.0", h1="x"))

    def validate():
        ws = runs.open_workspace(stack_dir=stack, selection=Selection(all=True))
        return runs.validate(ws, RunOptions(quiet=True))

    report = validate()
    assert [u.result for u in report.units] == [Result.VALID], report.units[0].error
    entry = provider_locks.read_lock(lock)
    assert [(e.address, e.version) for e in entry] == [("registry.opentofu.org/hashicorp/helm", helm["version"])]
    assert entry[0].hashes == [package_h1(Path(helm["path"]).parent)]

    # Same version, another package's checksum (the registry's release, say): the engine refuses it.
    lock.write_text(STALE.format(host="registry.opentofu.org", ptype="helm", version=helm["version"], h1="x"))
    shutil.rmtree(stack / ".orch" / "validate-cache", ignore_errors=True)
    report = validate()
    assert [u.result for u in report.units] == [Result.INVALID]
    assert "recorded from another package of that provider version" in report.units[0].error
