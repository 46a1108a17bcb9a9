"""Two engine calls of a delegated run that the engine wrapper (engine_server.py) answers itself.

Terragrunt starts OpenTofu for many calls that are not a unit's own step. Two of them
repeat work that was already done. The wrapper answers both with `sh` builtins only,
so it starts no process for them:

- `init` for a module that uses no provider but OpenTofu's built-in one (`terraform_data`,
  `terraform_remote_state`). Terragrunt runs `init` on every run of such a module, because it
  decides from a provider lock file that such a module never gets (and after each fresh copy of
  the source). The wrapper skips that init when the working directory is already initialised,
  has no lock file and Terragrunt gave no init arguments of its own, and it leaves a marker.
  If the unit's plan (or refresh-only step) then fails, orch runs the init and the step once more
  (steps.py). OpenTofu refuses to plan or apply in a directory that needs an
  init (a changed backend, a missing module or provider), so a skipped init that was
  needed shows up there.
- `output -json` in the working directory of a unit orch planned, applied or deferred earlier in
  the same command, when that unit keeps its state in a local file (`publish_outputs`). That answer is the
  state file's outputs in the form `tofu output -json` prints. It is used only while the
  state file is not newer than the answer. With an S3 backend, Terragrunt reads the state
  object itself instead (`--dependency-fetch-output-from-state`, see Workspace.state_objects_exist).
"""

from __future__ import annotations

import atexit
import json
import os
import shlex
import shutil
import tempfile
import threading
from pathlib import Path
from typing import Any

#: Left in a working directory's .terraform/ by a wrapper that skipped Terragrunt's `init`;
#: it holds the run's token.
SKIPPED_INIT = "orch-init-skipped"
#: The init arguments the wrapper may skip (Terragrunt's own; any other argument is the user's).
_PLAIN_INIT = ("init", "init -no-color", "init -input=false", "init -no-color -input=false")


def wrapper_cases(token: str, answers: Path) -> str:
    """The `case "$1"` branches (sh) for `init` and `output`: answer and exit 0, or fall through to the engine."""
    plain = " || ".join(f'[ "$*" = {shlex.quote(a)} ]' for a in _PLAIN_INIT)
    return (
        "  init)\n"
        "    # A module that locks no provider is re-initialised by Terragrunt on every run: skip that\n"
        "    # in an initialised directory (orch inits and plans again if the plan then fails).\n"
        '    if [ -z "$TF_DATA_DIR" ] && [ -f .terraform/terraform.tfstate ] && ! [ -e .terraform.lock.hcl ] \\\n'
        f"       && {{ {plain}; }} \\\n"
        f"       && printf '%s\\n' {shlex.quote(token)} > .terraform/{SKIPPED_INIT}; then\n"
        '      echo "orch: init skipped: this working directory is initialised and its module locks no provider"\n'
        "      exit 0\n"
        "    fi ;;\n"
        "  output)\n"
        "    # Outputs orch read from this unit's local state file after its step in this command.\n"
        '    if [ "$*" = "output -json" ] && cd -P . 2>/dev/null; then\n'
        f'      a={shlex.quote(str(answers))}"$PWD/outputs.json"\n'
        '      if [ -f "$a" ] && read -r s < "$a.state" && [ -f "$s" ] && ! [ "$s" -nt "$a" ]; then\n'
        '        while IFS= read -r line || [ -n "$line" ]; do printf \'%s\\n\' "$line"; done < "$a"\n'
        "        exit 0\n"
        "      fi\n"
        "    fi ;;\n"
    )


_answers_dir: Path | None = None
_answers_lock = threading.Lock()


def answers_dir() -> Path:
    """This process's directory of answered outputs (0700, removed at exit). One for all the runs of
    a command: an apply's second run still answers for units only its first run planned."""
    global _answers_dir
    with _answers_lock:
        if _answers_dir is None:
            _answers_dir = Path(tempfile.mkdtemp(prefix="orch-outputs-"))
            atexit.register(shutil.rmtree, _answers_dir, True)
        return _answers_dir


def answer_file(answers: Path, cwd: Path) -> Path:
    """Where the wrapper looks for the outputs of the unit whose working directory is `cwd`."""
    return answers / os.path.realpath(cwd).lstrip("/") / "outputs.json"


def local_state_file(cwd: Path, env: dict[str, str]) -> Path | None:
    """The state file of the working directory's default workspace when its backend is `local`, else None."""
    if env.get("TF_DATA_DIR") or env.get("TF_WORKSPACE") or (cwd / ".terraform" / "environment").exists():
        return None
    try:
        backend = json.loads((cwd / ".terraform" / "terraform.tfstate").read_text())["backend"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not isinstance(backend, dict) or backend.get("type") != "local":
        return None
    config = backend.get("config") or {}
    path = config.get("path") if isinstance(config, dict) else None
    return cwd / (path or "terraform.tfstate")


def outputs_json(state: dict[str, Any]) -> dict[str, Any]:
    """A state's root outputs as `tofu output -json` prints them."""
    outputs = state.get("outputs") or {}
    return {
        name: {"sensitive": bool(o.get("sensitive", False)), "type": o.get("type"), "value": o.get("value")}
        for name, o in sorted(outputs.items())
    }


def publish_outputs(answers: Path, cwd: Path, env: dict[str, str]) -> bool:
    """Write the answer to `output -json` in `cwd` from its local state file; False when there is none to give."""
    state_file = local_state_file(cwd, env)
    if state_file is None:
        return False
    try:
        state = json.loads(state_file.read_text())
    except (OSError, ValueError):
        return False
    if not isinstance(state, dict) or not isinstance(state.get("outputs", {}), dict):
        return False
    target = answer_file(answers, cwd)
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    # The state file's name first, then the answer (written after the state was read: not older).
    (target.parent / "outputs.json.state").write_text(f"{os.path.realpath(state_file)}\n")
    partial = target.parent / "outputs.json.partial"
    partial.write_text(json.dumps(outputs_json(state)) + "\n")
    partial.replace(target)
    return True


def skipped_init(cwd: Path, token: str) -> bool:
    """Whether the wrapper skipped `init` in `cwd` during this run (the marker stays)."""
    try:
        return (cwd / ".terraform" / SKIPPED_INIT).read_text().strip() == token
    except OSError:
        return False


def take_skipped_init(cwd: Path, token: str) -> bool:
    """Whether the wrapper skipped `init` in `cwd` during this run (the marker is removed)."""
    skipped = skipped_init(cwd, token)
    (cwd / ".terraform" / SKIPPED_INIT).unlink(missing_ok=True)
    return skipped
