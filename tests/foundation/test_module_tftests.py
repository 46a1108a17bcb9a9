"""Every module validates, and its own test files (plan-only, mock providers) pass, with both engines.

The test files are written once, in the dialect both engines share, with one difference handled here:

- Values of `override_resource`/`override_data`/`override_module` and of mock providers are known at
  plan time in OpenTofu. Terraform applies them only during apply unless the block says
  `override_during = plan` (Terraform >= 1.11), an argument OpenTofu rejects. The Terraform run
  therefore uses a copy of terraform/modules whose test files carry `override_during = plan` in each
  such block (`terraform_dialect`); the files in the repository stay as they are.
- Terraform's mock providers do not support ephemeral resources ("The provider mocking mechanism does
  not yet support ephemeral resource types", Terraform 1.16). elasticache-redis's test mocks an
  ephemeral `aws_secretsmanager_random_password`, so under Terraform only its `validate` runs
  (TERRAFORM_UNSUPPORTED); OpenTofu runs the file.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from orchestrator import tools
from tests.helpers import REPO

pytestmark = pytest.mark.engines

MODULES_DIR = REPO / "terraform/modules"
ALL_MODULES = sorted(p.parent.name for p in MODULES_DIR.glob("*/variables.tf"))
MODULES = sorted(p.parent.name for p in MODULES_DIR.glob("*/tests") if any(p.glob("*.tftest.hcl")))
ENGINES = ["tofu", "terraform"]

#: Test files Terraform cannot run, with the reason (module/tests/file).
TERRAFORM_UNSUPPORTED = {
    "elasticache-redis/tests/redis.tftest.hcl": "Terraform's mock providers do not support ephemeral "
    "resources (the AUTH token's aws_secretsmanager_random_password)",
    "rds-aurora/tests/engine_version.tftest.hcl": "with override_during = plan, Terraform's mock provider "
    "generates the cluster's computed attributes again at apply (inconsistent final plan) in `command = apply` runs",
}

_OVERRIDE_BLOCK = re.compile(
    r"^(?P<indent>[ \t]*)"
    r"(?P<head>(?:override_resource|override_data|override_module)\s*\{|mock_provider\s+\"[^\"]+\"\s*\{)"
    r"(?P<empty>\s*\})?[ \t]*$",
    re.MULTILINE,
)


def terraform_dialect(text: str) -> str:
    """A test file as Terraform needs it: `override_during = plan` in every override and mock provider."""

    def mark(m: re.Match[str]) -> str:
        indent = m.group("indent")
        line = f"{indent}{m.group('head')}\n{indent}  override_during = plan"
        return line + (f"\n{indent}}}" if m.group("empty") else "")

    return _OVERRIDE_BLOCK.sub(mark, text)


def _engine(name: str) -> str:
    path = tools.find_tool(name)
    if path is None:
        pytest.skip(f"{name} not installed: run ./scripts/setup.sh")
    info = tools.tool_info(name)
    if info is None or info.version_tuple < tools.MIN_VERSIONS[name]:
        pytest.skip(f"{name} at {path} is older than {tools.MIN_VERSIONS[name]}: run ./scripts/setup.sh")
    return str(path)


def _modules_for(engine: str, tmp_path: Path) -> Path:
    """terraform/modules as the engine runs it: in place for OpenTofu, a Terraform-dialect copy else."""
    if engine == "tofu":
        return MODULES_DIR
    copy = tmp_path / "modules"
    shutil.copytree(MODULES_DIR, copy, ignore=shutil.ignore_patterns(".terraform", ".terraform.lock.hcl"))
    for test in copy.glob("*/tests/*.tftest.hcl"):
        rel = test.relative_to(copy).as_posix()
        if rel in TERRAFORM_UNSUPPORTED:
            test.unlink()
        else:
            test.write_text(terraform_dialect(test.read_text()))
    return copy


def _run(cmd: list[str], cwd: Path, env: dict[str, str], timeout: int) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False)


def _init(binary: str, workdir: Path, env: dict[str, str]) -> None:
    init = _run([binary, "init", "-backend=false", "-input=false", "-no-color"], workdir, env, 600)
    assert init.returncode == 0, init.stdout + init.stderr


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("module", ALL_MODULES)
def test_module_validates(module: str, engine: str, engine_env: dict[str, str], tmp_path: Path) -> None:
    binary = _engine(engine)
    workdir = _modules_for(engine, tmp_path) / module
    _init(binary, workdir, engine_env)
    proc = _run([binary, "validate", "-no-color"], workdir, engine_env, 600)
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("module", MODULES)
def test_module_tftests_pass(module: str, engine: str, engine_env: dict[str, str], tmp_path: Path) -> None:
    binary = _engine(engine)
    workdir = _modules_for(engine, tmp_path) / module
    if not any((workdir / "tests").glob("*.tftest.hcl")):
        reasons = {k: v for k, v in TERRAFORM_UNSUPPORTED.items() if k.startswith(f"{module}/")}
        pytest.skip(f"{engine}: {'; '.join(reasons.values())}")
    _init(binary, workdir, engine_env)
    proc = _run([binary, "test", "-no-color"], workdir, engine_env, 900)
    assert proc.returncode == 0, proc.stdout[-6000:] + proc.stderr[-3000:]
    assert " passed, 0 failed" in proc.stdout


def test_terraform_dialect_marks_every_override_and_mock_provider() -> None:
    text = """mock_provider "aws" {
  mock_resource "aws_iam_role" {
    defaults = { arn = "x" }
  }
}
mock_provider "aws" {
  alias = "east"
}
mock_provider "helm" {}
override_data {
  target = data.aws_caller_identity.current
}
run "a" {
  override_resource {
    target = aws_iam_role.this
  }
}
"""
    out = terraform_dialect(text)
    assert out.count("override_during = plan") == 5
    assert 'mock_provider "helm" {\n  override_during = plan\n}\n' in out
    assert "  override_resource {\n    override_during = plan\n    target = aws_iam_role.this" in out
    assert terraform_dialect(out).count("override_during = plan") == 10  # not idempotent: applied once, on a copy


def test_every_override_block_in_the_repository_is_seen() -> None:
    """Each override/mock block of the real test files gets the argument (the regex misses no form)."""
    for test in MODULES_DIR.glob("*/tests/*.tftest.hcl"):
        text = test.read_text()
        blocks = len(re.findall(r"^\s*(?:override_resource|override_data|override_module|mock_provider)\b", text, re.M))
        assert terraform_dialect(text).count("override_during = plan") == blocks, test
