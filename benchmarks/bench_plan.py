#!/usr/bin/env python3
"""Time `orch plan --all` against `terragrunt run --all -- plan` on the `dag` fixture stack.

Usage: .venv/bin/python benchmarks/bench_plan.py [--rounds N] [--parallelism N] [--stack DIR]

Both tools plan the same ten terraform_data units (a DAG five levels deep), each in its own
copy of the stack, after one warm-up run (init, .terragrunt-cache). orch also saves a plan
file and its JSON per unit, which Terragrunt does not; the ratio is orch / terragrunt.
No assertion: this prints numbers.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from orchestrator.tools import engine_env, require_tool  # noqa: E402

FIXTURE = REPO / "tests" / "fixtures" / "stacks" / "dag"


def timed(argv: list[str], cwd: Path, env: dict[str, str]) -> float:
    started = time.perf_counter()
    proc = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, check=False, stdin=subprocess.DEVNULL)
    elapsed = time.perf_counter() - started
    if proc.returncode not in (0, 2):
        sys.exit(f"{' '.join(argv)} failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--parallelism", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--stack", type=Path, default=FIXTURE)
    args = parser.parse_args()

    terragrunt = require_tool("terragrunt").path
    orch = str(Path(sys.executable).parent / "orch")
    env = engine_env()
    env["TG_PARALLELISM"] = str(args.parallelism)
    with tempfile.TemporaryDirectory(prefix="orch-bench-") as tmp:
        orch_dir, tg_dir = Path(tmp) / "orch", Path(tmp) / "terragrunt"
        shutil.copytree(args.stack, orch_dir)
        shutil.copytree(args.stack, tg_dir)
        orch_cmd = [orch, "plan", "--dir", str(orch_dir), "--all", "--parallelism", str(args.parallelism)]
        tg_cmd = [
            terragrunt,
            "run",
            "--all",
            "--non-interactive",
            "--parallelism",
            str(args.parallelism),
            "--",
            "plan",
            "-input=false",
        ]
        # Warm-up: init and source copies for both.
        timed(orch_cmd, orch_dir, env)
        timed(tg_cmd, tg_dir, env)
        orch_times, tg_times = [], []
        for _ in range(args.rounds):
            orch_times.append(timed(orch_cmd, orch_dir, env))
            tg_times.append(timed(tg_cmd, tg_dir, env))
    units = sum(1 for _ in args.stack.glob("*/terragrunt.hcl"))
    o, t = statistics.median(orch_times), statistics.median(tg_times)
    print(f"stack: {args.stack.name} ({units} units), parallelism {args.parallelism}, rounds {args.rounds}")
    print(f"orch plan --all              median {o:6.2f}s  runs {', '.join(f'{x:.2f}' for x in orch_times)}")
    print(f"terragrunt run --all -- plan median {t:6.2f}s  runs {', '.join(f'{x:.2f}' for x in tg_times)}")
    print(f"ratio orch/terragrunt: {o / t:.2f}")


if __name__ == "__main__":
    main()
