"""`python tests/spec/spec_copy_emulator.py SPEC.yaml [emulator options]`

Serves the emulator as `python -m emulator` does, built from another copy of the contract: the
proof that the emulator takes its rules from spec/ and types none of them again.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(1, str(Path(__file__).resolve().parents[2]))

import spec

if __name__ == "__main__":
    # Before anything reads the contract: every module that derives a rule reads this path.
    spec.SPEC_PATH = Path(sys.argv.pop(1))
    from emulator.__main__ import main

    sys.exit(main())
