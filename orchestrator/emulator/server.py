"""Entry point of the emulator process: moto's server with this project's patches.

Run by orchestrator.emulator as `python -m orchestrator.emulator.server -H HOST -p PORT -c CERT -k KEY`.
The patches (orchestrator/emulator/patches/, one module or subpackage per service) are installed before moto
starts serving; each says which moto gap or bug it covers.
"""

from __future__ import annotations

from orchestrator.emulator.patches import install_all


def main(argv: list[str] | None = None) -> None:
    install_all()
    from moto.server import main as moto_main

    moto_main(argv)


if __name__ == "__main__":
    main()
