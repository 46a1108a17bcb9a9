#!/usr/bin/env python3
"""orch against `terragrunt run --all` on the eks-prod environment, against the embedded emulator.

Usage: .venv/bin/python benchmarks/bench_eks.py [--rounds 2] [--parallelism 4] [--count]

An emulator of its own (`orch --local local up`, in a temporary ORCH_STATE_DIR), then what a new
account gets: `orch bootstrap`, the IAM baseline, and a whole-platform `orch apply --all
--auto-approve` (timed, one sample). Then, alternating orch and Terragrunt, `--rounds` times, on
the applied platform (nothing left to change):

- apply: `orch --local apply --env eks-prod --all --auto-approve`
                                                          vs `terragrunt run --all -- apply -auto-approve`
- plan:  `orch --local plan --env eks-prod --all`        vs `terragrunt run --all -- plan`

Terragrunt runs in environments/LIVE/eks-prod with the environment orch gives its own engines
(the emulator's endpoints, the assumed execution role's credentials, the same provider mirror
and download directory), so both read the same state and the same dependency outputs.
Medians of wall and CPU time (the command and everything below it), the ratios, and with
--count the processes spawned per unit (one more run of each under `strace -f -e execve`).
About 12 minutes on 2 cores for two rounds, most of it the first apply. No assertion.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from bench_runs import CPU_LOG, machine_line, median, processes, run  # noqa: E402

from orchestrator.tools import require_tool  # noqa: E402

ENV_NAME = "eks-prod"
STACK = REPO / "environments" / "LIVE" / ENV_NAME
ORCH = [sys.executable, "-m", "orchestrator", "--local"]


def orch_env(root: Path) -> dict[str, str]:
    """orch's environment: nothing of the caller's AWS, orch or engine settings; its own state and runs."""
    drop = ("AWS_", "ORCH_", "TF_", "TG_")
    env = {k: v for k, v in os.environ.items() if not k.startswith(drop)}
    env.update(
        HOME=str(root),
        AWS_CONFIG_FILE=str(root / "no-aws-config"),
        AWS_SHARED_CREDENTIALS_FILE=str(root / "no-aws-credentials"),
        AWS_EC2_METADATA_DISABLED="true",
        ORCH_STATE_DIR=str(root / "state"),
        ORCH_RUNS_DIR=str(root / "runs"),
        ORCH_ENV=ENV_NAME,
        PYTHONPATH=str(REPO),
    )
    return env


def terragrunt_env(env: dict[str, str]) -> dict[str, str]:
    """The environment orch gives its engines for this environment (orchestrator.runs.build_env), but
    for orch's answers to Terragrunt's start-up probes (orchestrator/engine_probe.py): those are part
    of what orch does, and Terragrunt runs as a user runs it."""
    from orchestrator.aws.session import open_session
    from orchestrator.config import load_env
    from orchestrator.engine_probe import without_probes
    from orchestrator.runs import build_env

    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(env)
    try:
        session = open_session(load_env(ENV_NAME), local=True, profile=None, guard=True)
        built = build_env(session)
        return {**built, "PATH": without_probes(built["PATH"])}
    finally:
        os.environ.clear()
        os.environ.update(saved)


def bring_up(env: dict[str, str], root: Path) -> float:
    """Emulator, bootstrap, IAM baseline; returns the wall time of the whole-platform apply."""
    for argv in (
        [*ORCH, "local", "up", "--json"],
        [*ORCH, "bootstrap", "--env", ENV_NAME, "--json"],
        [*ORCH, "apply", "--dir", str(REPO / "bootstrap"), "--layer", "10-iam-baseline", "--auto-approve"],
    ):
        run(argv, root, env)
    return run([*ORCH, "apply", "--env", ENV_NAME, "--all", "--auto-approve"], root, env)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--parallelism", type=int, default=4)
    parser.add_argument("--count", action="store_true", help="count processes per unit (needs strace; slow)")
    args = parser.parse_args()
    tg = require_tool("terragrunt").path
    units = len(list(STACK.glob("*/terragrunt.hcl")))
    print(machine_line(f"{ENV_NAME}: {units} units against the embedded emulator, parallelism {args.parallelism}"))
    with tempfile.TemporaryDirectory(prefix="orch-bench-eks-") as name:
        root = Path(name)
        env = orch_env(root)
        try:
            first = bring_up(env, root)
            print(f"  first whole-platform apply (orch, one sample): {first:.1f}s", flush=True)
            tg_env = terragrunt_env(env)
            p = ["--parallelism", str(args.parallelism)]
            # Apply first: `orch apply` reuses the newest unapplied plan run of an unchanged stack
            # (it applies exactly what was planned and shown), so after `orch plan` it would plan
            # nothing; here each apply plans every unit afresh, as Terragrunt's does.
            commands = {
                "apply": (
                    [*ORCH, "apply", "--env", ENV_NAME, "--all", "--auto-approve", *p],
                    [tg, "run", "--all", "--non-interactive", *p, "--", "apply", "-auto-approve", "-input=false"],
                ),
                "plan": (
                    [*ORCH, "plan", "--env", ENV_NAME, "--all", *p],
                    [tg, "run", "--all", "--non-interactive", *p, "--", "plan", "-input=false"],
                ),
            }
            for what, (orch_argv, tg_argv) in commands.items():
                times: dict[str, list[float]] = {"orch": [], "tg": [], "orch cpu": [], "tg cpu": []}
                for _ in range(args.rounds):
                    times["orch"].append(run(orch_argv, root, env))
                    times["orch cpu"].append(CPU_LOG[-1])
                    times["tg"].append(run(tg_argv, STACK, tg_env))
                    times["tg cpu"].append(CPU_LOG[-1])
                o, t = median(times["orch"]), median(times["tg"])
                oc, tc = median(times["orch cpu"]), median(times["tg cpu"])
                line = (
                    f"  {what:<6} wall: orch {o:6.1f}s terragrunt {t:6.1f}s ratio {o / t:4.2f} | "
                    f"CPU: orch {oc:6.1f}s terragrunt {tc:6.1f}s ratio {oc / tc:4.2f}"
                )
                if args.count:
                    trace = root / "trace"
                    o_n, t_n = processes(orch_argv, root, env, trace), processes(tg_argv, STACK, tg_env, trace)
                    if o_n is not None and t_n is not None:
                        line += (
                            f" | processes/unit orch {o_n[0] / units:.1f} (engine {o_n[1] / units:.1f}) "
                            f"terragrunt {t_n[0] / units:.1f} (engine {t_n[1] / units:.1f})"
                        )
                print(line, flush=True)
                print(
                    f"         (wall runs: orch {', '.join(f'{x:.1f}' for x in times['orch'])}; "
                    f"terragrunt {', '.join(f'{x:.1f}' for x in times['tg'])})",
                    flush=True,
                )
        finally:
            run([*ORCH, "local", "down"], root, env)
            print(json.dumps({"load average at the end": round(os.getloadavg()[0], 1)}))


if __name__ == "__main__":
    main()
