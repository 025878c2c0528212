"""`python tests/conformance_runs/deadline_ignoring_emulator.py [emulator options]`

Serves the emulator as `python -m emulator` does, with one documented rule broken in this
process only: a campaign whose deadline has passed can still be activated (the rule
`activate-future-deadline`). The report tests use it to see a diff name the broken rule.
"""

from __future__ import annotations

import sys
from pathlib import Path

# Run as a script, this folder is first on sys.path; the repository must come first after it.
sys.path.insert(1, str(Path(__file__).resolve().parents[2]))

from emulator.__main__ import main as emulator_main
from emulator.domain import campaign_lifecycle as lifecycle

_activation = lifecycle.begin_activation
# Judged as if the campaign had no deadline: only the deadline rule is gone.
lifecycle.begin_activation = lambda status, deadline, now: _activation(status, None, now)

if __name__ == "__main__":
    raise SystemExit(emulator_main(sys.argv[1:]))
