"""Regenerate the inputs/outputs tables in every module README.

Usage: python scripts/gen_module_docs.py [--check] [MODULE_DIR ...]

The tables live between `<!-- BEGIN_TF_DOCS -->` and `<!-- END_TF_DOCS -->`; the text
around them is written by hand. `--check` changes nothing and exits 1 when a README is
stale, so CI keeps the docs honest.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import hcl2

BEGIN, END = "<!-- BEGIN_TF_DOCS -->", "<!-- END_TF_DOCS -->"
REPO = Path(__file__).resolve().parent.parent


def _unquote(value: object) -> str:
    text = value if isinstance(value, str) else json.dumps(value)
    if text.startswith("${") and text.endswith("}"):
        text = text[2:-1]
    if len(text) >= 2 and text[0] == text[-1] == '"':
        text = text[1:-1]
    return text


def _default(value: object) -> str:
    def clean(v: object) -> object:
        if isinstance(v, str):
            return _unquote(v)
        if isinstance(v, list):
            return [clean(i) for i in v]
        if isinstance(v, dict):
            return {_unquote(k): clean(i) for k, i in v.items() if k != "__is_block__"}
        return v

    return json.dumps(clean(value), separators=(", ", ": "))


def _blocks(module: Path, kind: str) -> list[tuple[str, dict]]:
    found: list[tuple[str, dict]] = []
    for tf in sorted(module.glob("*.tf")):
        parsed = hcl2.loads(tf.read_text())
        for block in parsed.get(kind, []):
            for name, body in block.items():
                found.append((_unquote(name), body))
    return found


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render(module: Path) -> str:
    lines = [
        BEGIN,
        "## Inputs",
        "",
        "| Name | Description | Type | Default | Required |",
        "|------|-------------|------|---------|:--------:|",
    ]
    for name, body in sorted(_blocks(module, "variable")):
        has_default = "default" in body
        default = f"`{_cell(_default(body['default']))}`" if has_default else "n/a"
        lines.append(
            f"| `{name}` | {_cell(_unquote(body.get('description', '')))} | "
            f"`{_cell(_unquote(body.get('type', 'any')))}` | {default} | {'no' if has_default else 'yes'} |"
        )
    lines += ["", "## Outputs", "", "| Name | Description |", "|------|-------------|"]
    for name, body in sorted(_blocks(module, "output")):
        lines.append(f"| `{name}` | {_cell(_unquote(body.get('description', '')))} |")
    lines.append(END)
    return "\n".join(lines)


def update(module: Path, check: bool) -> bool:
    """Return True when the README is (or now is) up to date."""
    readme = module / "README.md"
    current = readme.read_text() if readme.exists() else f"# {module.name}\n\n"
    table = render(module)
    if BEGIN in current and END in current:
        head, rest = current.split(BEGIN, 1)
        tail = rest.split(END, 1)[1]
        wanted = head + table + tail
    else:
        wanted = current.rstrip("\n") + "\n\n" + table + "\n"
    if wanted == current:
        return True
    if check:
        print(f"stale: {readme.relative_to(REPO)} (run: python scripts/gen_module_docs.py)", file=sys.stderr)
        return False
    readme.write_text(wanted)
    print(f"updated {readme.relative_to(REPO)}")
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail when a README is stale; write nothing")
    parser.add_argument("modules", nargs="*", type=Path)
    args = parser.parse_args(argv)
    modules = args.modules or sorted(p.parent for p in (REPO / "terraform/modules").glob("*/variables.tf"))
    ok = all([update(m.resolve(), args.check) for m in modules])
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
