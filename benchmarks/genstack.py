#!/usr/bin/env python3
"""Generate a stack of terraform_data units in layers, chained by dependency outputs.

Usage: python benchmarks/genstack.py DEST --units 30 [--layers 5] [--fan-in 3]

Unit `LL-uNNN` of layer L reads the `value` output of up to `fan-in` units of layer L-1
(a deterministic choice), local state next to each unit, one module shared by all units
(`modules/data`, the same module as tests/fixtures/stacks/dag). Used by bench_runs.py.
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FIXTURE = REPO / "tests" / "fixtures" / "stacks" / "dag"


def layer_sizes(units: int, layers: int) -> list[int]:
    base, extra = divmod(units, layers)
    return [base + (1 if i < extra else 0) for i in range(layers)]


def generate(dest: Path, units: int, layers: int = 5, fan_in: int = 3) -> list[str]:
    """Write the stack under dest; return the unit names (layer order)."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copytree(FIXTURE / "modules", dest / "modules", dirs_exist_ok=True)
    shutil.copy2(FIXTURE / "root.hcl", dest / "root.hcl")
    names: list[list[str]] = []
    counter = 0
    for layer, size in enumerate(layer_sizes(units, layers)):
        row = []
        for _ in range(size):
            row.append(f"{(layer + 1) * 10:02d}-u{counter:04d}")
            counter += 1
        names.append(row)
    for layer, row in enumerate(names):
        above = names[layer - 1] if layer else []
        for index, name in enumerate(row):
            deps = sorted({above[(index + k * 2) % len(above)] for k in range(min(fan_in, len(above)))})
            blocks = ['include "root" {\n  path = find_in_parent_folders("root.hcl")\n}\n']
            for dep in deps:
                key = "d" + dep.split("-", 1)[1]
                blocks.append(
                    f'dependency "{key}" {{\n  config_path = "../{dep}"\n'
                    '  mock_outputs = { value = "mock" }\n'
                    '  mock_outputs_allowed_terraform_commands = ["plan", "validate"]\n}\n'
                )
            if deps:
                keys = ["d" + d.split("-", 1)[1] for d in deps]
                pairs = ", ".join(f"{k} = dependency.{k}.outputs.value" for k in keys)
                blocks.append(f"inputs = {{\n  upstream = {{ {pairs} }}\n}}\n")
            unit = dest / name
            unit.mkdir(exist_ok=True)
            (unit / "terragrunt.hcl").write_text("\n".join(blocks))
    return [n for row in names for n in row]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("dest", type=Path)
    parser.add_argument("--units", type=int, default=30)
    parser.add_argument("--layers", type=int, default=5)
    parser.add_argument("--fan-in", type=int, default=3)
    args = parser.parse_args()
    names = generate(args.dest, args.units, args.layers, args.fan_in)
    print(f"{len(names)} units under {args.dest}")


if __name__ == "__main__":
    main()
