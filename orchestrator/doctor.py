"""`orch doctor`: is this machine ready to run the platform, and if not, what is missing."""

from __future__ import annotations

import importlib.metadata
import importlib.util
import os
from typing import Any

from pydantic import BaseModel, Field
from rich.console import Console
from rich.table import Table

from orchestrator import settings, tools

PYTHON_DEPS = ["typer", "rich", "networkx", "boto3", "pydantic", "pyyaml"]
OPTIONAL_PYTHON_DEPS = ["moto", "pytest"]
REQUIRED_PROVIDERS = {"hashicorp/aws": 6}


class DoctorReport(BaseModel):
    # The engine runs use (tofu or terraform: `orch --engine`, ORCH_ENGINE, TG_TF_PATH).
    engine: str = "tofu"
    tools: dict[str, dict[str, str]] = Field(default_factory=dict)
    providers: dict[str, dict[str, str]] = Field(default_factory=dict)
    python: dict[str, str | None] = Field(default_factory=dict)
    cli_config: str | None = None
    aws: dict[str, Any] = Field(default_factory=dict)
    emulator: dict[str, Any] = Field(default_factory=dict)
    # `aws eks get-token`, the Kubernetes/Helm providers' exec credential plugin (path or None).
    aws_cli: str | None = None
    # The Go engine shim delegated runs start once per unit (path), or None: they use the Python one.
    engine_shim: str | None = None
    missing: list[str] = Field(default_factory=list)
    # Not fatal here (local runs and the AWS-only layers do without), but a real run needs them.
    warnings: list[str] = Field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return self.model_dump()


def _check_tools(report: DoctorReport) -> None:
    """Both engines and Terragrunt, with versions. The chosen engine and Terragrunt are required; the
    other engine is optional (a warning). Older than tools.lock's pin: a warning (it runs, untested)."""
    engine = tools.engine_name()
    report.engine = engine
    pins = tools.pinned_versions()
    for name in ("tofu", "terraform", "terragrunt"):
        required = name in (engine, "terragrunt")
        info = tools.tool_info(name)
        if name == engine and os.sep in (settings.engine() or ""):
            path = tools.engine_path()  # ORCH_ENGINE names a binary: report that one
            info = tools.tool_info_at(name, path) if path else None
        if info is None:
            if required:
                report.missing.append(f"{name} (run ./scripts/setup.sh)")
            else:
                report.warnings.append(f"{name} not installed (run ./scripts/setup.sh); orch --engine {name} needs it")
            continue
        report.tools[name] = {"version": info.version, "path": info.path}
        minimum = tools.MIN_VERSIONS.get(name)
        if minimum and info.version_tuple < minimum:
            text = f"{name} >= {'.'.join(map(str, minimum))} (found {info.version})"
            (report.missing if required else report.warnings).append(text)
            continue
        pinned = pins.get(name)
        if pinned and info.version_tuple < tools.parse_version(pinned):
            report.warnings.append(
                f"{name} {info.version} at {info.path} is older than the pinned {pinned} "
                "(scripts/tools.lock; run ./scripts/setup.sh)"
            )


def _check_providers(report: DoctorReport) -> None:
    report.providers = {k: {"version": v["version"]} for k, v in tools.mirror_providers().items()}
    for source, major in REQUIRED_PROVIDERS.items():
        found = report.providers.get(source)
        if found is None or tools.parse_version(found["version"])[0] != major:
            report.missing.append(f"provider {source} {major}.x in the mirror (run ./scripts/setup.sh)")
    config = tools.cli_config_file()
    report.cli_config = str(config) if config else None


def _check_python(report: DoctorReport) -> None:
    for dist in PYTHON_DEPS + OPTIONAL_PYTHON_DEPS:
        try:
            report.python[dist] = importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            report.python[dist] = None
            if dist in PYTHON_DEPS:
                report.missing.append(f"python package {dist}")


def _check_aws(report: DoctorReport, profile: str | None) -> None:
    """Who the AWS chain says we are; never fatal (the emulator needs no credentials)."""
    import boto3
    from botocore.config import Config
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        session = boto3.Session(profile_name=profile) if profile else boto3.Session()
        if session.get_credentials() is None:
            report.aws = {"identity": None, "status": "no credentials"}
            return
        sts = session.client("sts", config=Config(connect_timeout=3, read_timeout=5, retries={"max_attempts": 1}))
        ident = sts.get_caller_identity()
        report.aws = {"identity": ident["Arn"], "account_id": ident["Account"], "status": "ok"}
    except (BotoCoreError, ClientError) as exc:
        report.aws = {"identity": None, "status": f"unavailable: {exc.__class__.__name__}: {exc}"}


def _check_aws_cli(report: DoctorReport) -> None:
    """The providers of the Kubernetes layers sign their tokens with `aws eks get-token` at run time
    (a token stored in a saved plan would expire during the approval), so the agent needs the CLI."""
    import shutil

    report.aws_cli = shutil.which("aws")
    if report.aws_cli is None:
        report.warnings.append(
            "aws CLI not on PATH: the Kubernetes layers (50-addons) get their EKS tokens from `aws eks get-token`"
        )


def _check_engine_shim(report: DoctorReport) -> None:
    """Runs work with either shim; the Python one costs ~16 ms more CPU for every unit of every run."""
    from orchestrator.runs.engine_server import go_shim

    binary = go_shim()
    report.engine_shim = str(binary) if binary is not None else None
    if binary is None:
        report.warnings.append(
            "the Go engine shim is not built: runs use the Python one (~16 ms more CPU per unit); "
            "./scripts/setup.sh builds it (needs go)"
        )


def _check_emulator(report: DoctorReport) -> None:
    available = importlib.util.find_spec("moto") is not None
    report.emulator = {"available": available, "running": None}
    try:
        from orchestrator import emulator  # the emulator module may report a running server
    except ImportError:
        return
    status_fn = getattr(emulator, "status", None)
    if status_fn is None:
        return
    try:
        status = status_fn()
    except Exception as exc:  # doctor must never crash on a stale pid file
        report.emulator["running"] = f"unknown ({exc})"
        return
    if status is not None:
        data = status.model_dump() if hasattr(status, "model_dump") else dict(status)
        report.emulator.update({"running": True, **data})
    else:
        report.emulator["running"] = False


def run(profile: str | None = None) -> DoctorReport:
    """Every check; `profile` is the AWS profile whose identity to report (default: the standard chain)."""
    report = DoctorReport()
    _check_tools(report)
    _check_providers(report)
    _check_python(report)
    _check_aws(report, profile)
    _check_aws_cli(report)
    _check_engine_shim(report)
    _check_emulator(report)
    return report


def render(report: DoctorReport, console: Console) -> None:
    table = Table(title="orch doctor", show_lines=False)
    table.add_column("item")
    table.add_column("status")
    table.add_column("detail", overflow="fold")
    for name, info in report.tools.items():
        chosen = "  (engine)" if name == report.engine else ""
        table.add_row(name, "[green]ok[/green]", f"{info['version']}  {info['path']}{chosen}")
    for name, info in report.providers.items():
        table.add_row(f"provider {name}", "[green]ok[/green]", info["version"])
    table.add_row(
        "CLI config",
        "[green]ok[/green]" if report.cli_config else "[yellow]none[/yellow]",
        report.cli_config or "providers come from the registry (needs internet)",
    )
    table.add_row(
        "aws CLI",
        "[green]ok[/green]" if report.aws_cli else "[yellow]missing[/yellow]",
        report.aws_cli or "needed on agents that apply 50-addons (exec credentials: aws eks get-token)",
    )
    table.add_row(
        "engine shim",
        "[green]ok[/green]" if report.engine_shim else "[yellow]python[/yellow]",
        report.engine_shim or "the Python shim (./scripts/setup.sh builds the Go one, with go)",
    )
    deps = ", ".join(f"{k} {v}" for k, v in report.python.items() if v)
    table.add_row("python deps", "[green]ok[/green]", deps)
    aws_ok = report.aws.get("status") == "ok"
    table.add_row(
        "AWS identity",
        "[green]ok[/green]" if aws_ok else "[yellow]-[/yellow]",
        report.aws.get("identity") or report.aws.get("status", ""),
    )
    emu = report.emulator
    table.add_row(
        "local emulator",
        "[green]ok[/green]" if emu.get("available") else "[red]missing[/red]",
        f"running at {emu['endpoint']}"
        if emu.get("endpoint")
        else "moto installed, not running"
        if emu.get("available")
        else "pip install 'moto[server]'",
    )
    for item in report.warnings:
        table.add_row(item, "[yellow]warning[/yellow]", "")
    for item in report.missing:
        table.add_row(item, "[red]missing[/red]", "")
    console.print(table)
