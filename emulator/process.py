"""Start the emulator as a child process and learn its base URL from its ready line.

The suite's embedded target, the client authors' pytest plugin and the project's tests all
start it this way: a real server on a free loopback port, spoken to over HTTP.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

READY = "Certification Campaigns emulator ready at "


class EmulatorDidNotStart(RuntimeError):
    pass


@dataclass
class EmulatorProcess:
    base_url: str
    process: subprocess.Popen = field(repr=False)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def start_emulator(*args: str, cwd: Path | None = None) -> EmulatorProcess:
    """`python -m emulator --port 0 ARGS...`, returned once it accepts connections."""
    process = subprocess.Popen(
        [sys.executable, "-m", "emulator", "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        cwd=cwd,
    )
    assert process.stdout is not None
    first = process.stdout.readline()
    if not first.startswith(READY):
        process.kill()
        raise EmulatorDidNotStart(f"the emulator did not start: {first.strip() or 'no output'}")
    return EmulatorProcess(first.removeprefix(READY).strip(), process)
