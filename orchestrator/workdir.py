"""Where Terragrunt ran the engine for a unit: the unit itself, or one of its source copies."""

from __future__ import annotations

import base64
import hashlib
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def terragrunt_copies_dir(unit_dir: Path, download_dir: str | Path | None = None) -> Path:
    """Where Terragrunt keeps a unit's source copies: `<unit>/.terragrunt-cache/<sha1(unit)>`, or
    `<TG_DOWNLOAD_DIR>/<sha1(unit)>` (Terragrunt's own layout: internal/tf/source.go)."""
    canonical = str(unit_dir.resolve())
    encoded = base64.urlsafe_b64encode(hashlib.sha1(canonical.encode()).digest()).decode().rstrip("=")
    return (Path(download_dir) if download_dir else unit_dir / ".terragrunt-cache") / encoded


def latest_initialised_dir(unit_dir: Path, download_dir: str | Path | None = None) -> Path:
    """The unit's directory or its Terragrunt source copy that was initialised most recently.

    Only Terragrunt's source copies count (`<hash>/` with a `.terragrunt-source-version`, under
    the unit's .terragrunt-cache or TG_DOWNLOAD_DIR), not the temporary directories Terragrunt
    creates there while reading a dependency's outputs.
    """
    candidates = [unit_dir] if (unit_dir / ".terraform").is_dir() else []
    cache = terragrunt_copies_dir(unit_dir, download_dir)
    if cache.is_dir():
        for version in cache.glob("*/.terragrunt-source-version"):
            copy = version.parent
            candidates += [
                p.parent
                for p in copy.rglob(".terraform")
                if p.is_dir() and ".terraform" not in p.parent.relative_to(copy).parts
            ]
    return max(candidates, key=_last_used) if candidates else unit_dir


def _last_used(directory: Path) -> float:
    try:
        times = [f.stat().st_mtime for f in directory.iterdir() if f.is_file()]
        return max(times, default=directory.stat().st_mtime)
    except OSError:  # removed meanwhile
        return 0.0


@contextmanager
def private_download_dir() -> Iterator[list[str]]:
    """`--download-dir` arguments for a Terragrunt command that only reads configuration (`render`).

    Rendering a unit reads its dependencies' outputs. For a dependency without a `remote_state`
    block Terragrunt runs `init` and `output` in that dependency's own source copy, the directory a
    run may be initialising at that moment: both take the engine's lock on
    `.terraform/terraform.tfstate`, and the run's unit fails with "Error acquiring the state lock".
    A download directory of the command's own keeps every source copy it makes apart from the runs'
    and from other renders. Removed afterwards.
    """
    with tempfile.TemporaryDirectory(prefix="orch-render-") as directory:
        yield ["--download-dir", directory]
