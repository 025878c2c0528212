"""The learned profile is data the reports write and the emulator reads: the emulator, the
whole of it with its command line, control API and pytest plugin, imports nothing from
reports/."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
EMULATOR_MODULES = [
    "emulator",
    "emulator.__main__",
    "emulator.control_api",
    "emulator.learned_answers",
    "emulator.pytest_plugin",
]


def test_the_emulator_imports_nothing_from_reports():
    code = (
        "import importlib, json, sys\n"
        f"for name in {EMULATOR_MODULES!r}: importlib.import_module(name)\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] == 'reports')))"
    )
    found = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert json.loads(found.stdout) == []
