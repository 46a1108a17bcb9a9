#!/usr/bin/env python3
"""orch against `terragrunt run --all` on generated stacks: plan, apply, processes per unit, graph.

Usage: .venv/bin/python benchmarks/bench_runs.py [--units 30 100] [--rounds 3] [--parallelism 4]
                                                 [--graph-units 1000] [--no-count]

For each stack size, benchmarks/genstack.py writes a stack of terraform_data units in five
layers, each reading the outputs of up to three units of the layer above (local state). Two
copies: one run only by orch, one only by Terragrunt, both applied first (that first apply
is printed too, one sample). Then, alternating orch and Terragrunt, `--rounds` times:

- plan:  `orch plan --all`                  vs `terragrunt run --all -- plan`
- apply: a new `value.txt` in every unit (every unit changes, and so do the outputs every
         dependent reads), then `orch apply --all --auto-approve` vs
         `terragrunt run --all -- apply -auto-approve`

Medians of wall time and of CPU time (the command and every process below it: less sensitive than
wall time to other jobs on a shared machine), the ratios orch/terragrunt, and processes spawned
per unit, of which "engine" ran OpenTofu itself (the rest: orch's `sh` wrapper answering a call
itself, its shim, hooks; one more run of each under `strace -f -e execve`, not timed; skipped
without strace or with --no-count).
orch does more than Terragrunt in each: it keeps a plan file, the plan JSON and a log per
unit; apply plans first (the plan it shows and checks), applies exactly those plans,
re-plans dependents whose inputs changed, and records the refreshed state afterwards.
`orch graph` on a --graph-units stack is compared with Terragrunt's own discovery
(`terragrunt find --json --dependencies`), with orch's peak memory at two sizes.
No assertion: this prints numbers.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from genstack import generate  # noqa: E402

from orchestrator.engine_probe import without_probes  # noqa: E402
from orchestrator.tools import engine_env, require_tool  # noqa: E402

ORCH = [sys.executable, "-m", "orchestrator"]


CPU_LOG: list[float] = []


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(argv: list[str], cwd: Path, env: dict[str, str], prefix: list[str] | None = None) -> float:
    """Wall seconds of one run; its CPU seconds (the command and every process below it) go to CPU_LOG."""
    cpu_before = _children_cpu()
    started = time.perf_counter()
    proc = subprocess.run(
        [*(prefix or []), *argv],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        stdin=subprocess.DEVNULL,
    )
    elapsed = time.perf_counter() - started
    CPU_LOG.append(_children_cpu() - cpu_before)
    if proc.returncode not in (0, 2):
        sys.exit(f"{' '.join(argv)} failed ({proc.returncode}):\n{proc.stdout[-2000:]}\n{proc.stderr[-3000:]}")
    return elapsed


def processes(argv: list[str], cwd: Path, env: dict[str, str], trace: Path) -> tuple[int, int] | None:
    """Processes started by one run: the processes that ran a program (an `exec` in the same
    process, like the engine wrapper's, counts once), the command itself excluded; and how many of
    them ran the engine (OpenTofu) itself, not only orch's `sh` wrapper or shim."""
    if shutil.which("strace") is None:
        return None
    run(argv, cwd, env, prefix=["strace", "-f", "-qq", "-e", "trace=execve", "-e", "signal=none", "-o", str(trace)])
    done = [ln for ln in trace.read_text().splitlines() if "execve(" in ln and ln.rstrip().endswith("= 0")]
    engine = os.path.realpath(require_tool("tofu").path)
    ran_engine = {ln.split()[0] for ln in done if os.path.realpath(ln.split('"')[1]) == engine}
    return max(0, len({ln.split()[0] for ln in done}) - 1), len(ran_engine)


def set_values(stack: Path, units: list[str], value: str) -> None:
    for unit in units:
        (stack / unit / "value.txt").write_text(value + "\n")


def machine_line(what: str) -> str:
    """The first line of a benchmark's output: the machine, its load, the tool versions, then `what`."""
    return (
        f"machine: {platform.machine()}, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at start; "
        f"terragrunt {require_tool('terragrunt').version}, tofu {require_tool('tofu').version}; {what}"
    )


def median(xs: list[float]) -> float:
    return statistics.median(xs) if xs else float("nan")


def bench_stack(size: int, args: argparse.Namespace, tmp: Path, env: dict[str, str], tg: str) -> list[str]:
    src = tmp / f"gen{size}"
    units = generate(src, size)
    orch_dir, tg_dir = tmp / f"orch{size}", tmp / f"tg{size}"
    shutil.copytree(src, orch_dir)
    shutil.copytree(src, tg_dir)
    p = ["--parallelism", str(args.parallelism)]
    orch_plan = [*ORCH, "plan", "--dir", str(orch_dir), "--all", *p]
    orch_apply = [*ORCH, "apply", "--dir", str(orch_dir), "--all", "--auto-approve", *p]
    tg_run = [tg, "run", "--all", "--non-interactive", *p, "--"]
    tg_plan = [*tg_run, "plan", "-input=false"]
    tg_apply = [*tg_run, "apply", "-auto-approve", "-input=false"]

    first_orch = run(orch_apply, orch_dir, env)
    first_tg = run(tg_apply, tg_dir, env)
    plans: dict[str, list[float]] = {"orch": [], "tg": [], "orch cpu": [], "tg cpu": []}
    applies: dict[str, list[float]] = {"orch": [], "tg": [], "orch cpu": [], "tg cpu": []}

    def timed(into: dict[str, list[float]], who: str, argv: list[str], cwd: Path) -> None:
        into[who].append(run(argv, cwd, env))
        into[f"{who} cpu"].append(CPU_LOG[-1])

    for _ in range(args.rounds):
        timed(plans, "orch", orch_plan, orch_dir)
        timed(plans, "tg", tg_plan, tg_dir)
    for i in range(args.rounds):
        set_values(orch_dir, units, f"round{i}")
        set_values(tg_dir, units, f"round{i}")
        timed(applies, "orch", orch_apply, orch_dir)
        timed(applies, "tg", tg_apply, tg_dir)
    counts: dict[str, tuple[int, int] | None] = {}
    if not args.no_count:
        trace = tmp / "trace"
        counts["orch plan"] = processes(orch_plan, orch_dir, env, trace)
        counts["tg plan"] = processes(tg_plan, tg_dir, env, trace)
        set_values(orch_dir, units, "counted")
        set_values(tg_dir, units, "counted")
        counts["orch apply"] = processes(orch_apply, orch_dir, env, trace)
        counts["tg apply"] = processes(tg_apply, tg_dir, env, trace)

    def per_unit(key: str) -> str:
        value = counts.get(key)
        return "   n/a" if value is None else f"{value[0] / size:4.1f} (engine {value[1] / size:.1f})"

    lines = [f"stack: {size} units in 5 layers (genstack), parallelism {args.parallelism}, rounds {args.rounds}"]
    for name, data, tg_name in (("plan", plans, "plan"), ("apply", applies, "apply (every unit changed)")):
        o, t = median(data["orch"]), median(data["tg"])
        oc, tc = median(data["orch cpu"]), median(data["tg cpu"])
        lines.append(
            f"  {name:<6} wall: orch {o:6.2f}s terragrunt {t:6.2f}s ratio {o / t:4.2f} | CPU: orch {oc:6.2f}s "
            f"terragrunt {tc:6.2f}s ratio {oc / tc:4.2f} | processes/unit orch {per_unit('orch ' + name)} "
            f"terragrunt {per_unit('tg ' + name)}"
        )
        lines.append(
            f"         ({tg_name}; wall runs: orch {', '.join(f'{x:.2f}' for x in data['orch'])}; "
            f"terragrunt {', '.join(f'{x:.2f}' for x in data['tg'])})"
        )
    lines.append(
        f"  first apply of the fresh stack (one sample): orch {first_orch:.2f}s  terragrunt {first_tg:.2f}s  "
        f"ratio {first_orch / first_tg:.2f}"
    )
    return lines


def peak_rss_mb(argv: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float]:
    """Wall time and orch's own peak RSS (MiB; its children not counted)."""
    code = (
        "import resource, runpy, sys\n"
        f"sys.argv = ['orch', *{argv!r}]\n"
        "try:\n    runpy.run_module('orchestrator', run_name='__main__')\n"
        "except SystemExit:\n    pass\n"
        "sys.stderr.write('PEAK %d\\n' % resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
    )
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", code], cwd=cwd, env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    peak = [ln for ln in proc.stderr.splitlines() if ln.startswith("PEAK ")]
    if proc.returncode != 0 or not peak:
        sys.exit(f"orch {' '.join(argv)} failed:\n{proc.stderr[-2000:]}")
    return elapsed, int(peak[-1].split()[1]) / 1024


def bench_graph(size: int, rounds: int, tmp: Path, env: dict[str, str], tg: str) -> list[str]:
    lines = []
    for n in (size // 10, size):
        stack = tmp / f"graph{n}"
        generate(stack, n)
        find = [tg, "find", "--json", "--dependencies", "--include", "--reading", "--non-interactive"]
        tg_times, orch = [], []
        for _ in range(rounds):  # alternating, so that both see the same load
            tg_times.append(run(find, stack, env))
            orch.append(peak_rss_mb(["graph", "--dir", str(stack), "--format", "json"], stack, env))
        o, t = median([x[0] for x in orch]), median(tg_times)
        lines.append(
            f"graph: {n} units  orch graph {o:5.2f}s  terragrunt find {t:5.2f}s  orch over find {o - t:+5.2f}s  "
            f"orch peak memory {max(x[1] for x in orch):.0f} MiB"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--units", type=int, nargs="+", default=[30, 100])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--parallelism", type=int, default=4)
    parser.add_argument("--graph-units", type=int, default=1000, help="0: skip the graph benchmark")
    parser.add_argument("--no-count", action="store_true", help="do not count processes (needs strace)")
    parser.add_argument("--orch-src", type=Path, default=REPO, help="the orch checkout to time (default: this one)")
    args = parser.parse_args()

    tg = require_tool("terragrunt").path
    # Both start from the engines' environment without orch's answers to Terragrunt's start-up probes
    # (orchestrator/engine_probe.py): orch adds them for its own Terragrunt processes, and Terragrunt
    # runs as a user runs it.
    env = engine_env()
    env["PATH"] = without_probes(env["PATH"])
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(args.orch_src.resolve()), env.get("PYTHONPATH", "")]))
    env.pop("ORCH_RUN_MODE", None)
    print(machine_line(f"orch from {args.orch_src.resolve()}"), flush=True)
    with tempfile.TemporaryDirectory(prefix="orch-bench-") as name:
        tmp = Path(name)
        for size in args.units:
            for line in bench_stack(size, args, tmp, env, tg):
                print(line, flush=True)
        if args.graph_units:
            for line in bench_graph(args.graph_units, args.rounds, tmp, env, tg):
                print(line, flush=True)
    print(f"load average at the end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
