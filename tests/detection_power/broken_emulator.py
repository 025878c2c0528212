"""`python tests/detection_power/broken_emulator.py MUTATION [emulator options]`

Serves the emulator exactly as `python -m emulator` does, with one mutation applied first.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from mutations import MUTATIONS

from emulator.__main__ import main

if __name__ == "__main__":
    name, *options = sys.argv[1:]
    MUTATIONS[name].apply()
    raise SystemExit(main(options))
