"""`python tests/conformance_selftest/broken_emulator.py --mutation NAME [emulator options]`

Serves the emulator exactly as `python -m emulator` does (same options, same ready line), with
ONE documented fact broken in this process only (see mutation_registry.MUTATIONS).
`--list` prints every mutation, what it breaks, the record that must catch it and the tests
run for it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

# Run as a script, this folder is first on sys.path; the repository must come before any
# installed copy of the project, so that the emulator served is the one in this tree.
sys.path.insert(1, str(Path(__file__).resolve().parents[2]))

from mutation_registry import MUTATIONS

from emulator.__main__ import main as emulator_main


def main(argv: list[str] | None = None) -> int:
    # allow_abbrev=False: an emulator option must never be taken for an abbreviation of ours.
    parser = argparse.ArgumentParser(prog="broken_emulator", allow_abbrev=False)
    parser.add_argument("--mutation", choices=sorted(MUTATIONS), help="the fact to break")
    parser.add_argument("--list", action="store_true", help="list the mutations and exit")
    args, emulator_options = parser.parse_known_args(argv)
    if args.list:
        for mutation in MUTATIONS.values():
            print(f"{mutation.name}: {mutation.does}")
            print(f"    caught by {mutation.caught_by}, in {', '.join(mutation.selection)}")
        return 0
    if args.mutation is None:
        parser.error("--mutation NAME is required (--list names them)")
    mutation = MUTATIONS[args.mutation]
    mutation.apply()
    return emulator_main([*emulator_options, *mutation.emulator_args])


if __name__ == "__main__":
    raise SystemExit(main())
