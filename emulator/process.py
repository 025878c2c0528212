"""Start the emulator as a child process and learn its base URL from its ready line.

The suite's embedded target, the client authors' pytest plugin and the project's tests all
start it this way: a real server on a free loopback port, spoken to over HTTP.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Sequence
from contextlib import nullcontext
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
            self.process.wait()

    def __enter__(self) -> EmulatorProcess:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def start_emulator(
    *args: str,
    cwd: Path | None = None,
    program: Sequence[str] = ("-m", "emulator"),
    log: Path | None = None,
) -> EmulatorProcess:
    """`python -m emulator --port 0 ARGS...`, returned once it accepts connections.

    `program` replaces `-m emulator` with a launcher that takes the same options (a broken or
    drifted emulator in the project's tests); `log` keeps its stderr in a file instead of
    mixing it into the ready line's pipe.
    """
    # The child holds its own descriptor of the log: closing ours once it started is fine.
    with open(log, "w") if log else nullcontext() as log_file:
        process = subprocess.Popen(
            [sys.executable, *program, "--port", "0", *args],
            stdout=subprocess.PIPE,
            stderr=log_file if log else subprocess.STDOUT,
            text=True,
            cwd=cwd,
        )
    assert process.stdout is not None
    first = process.stdout.readline()
    if not first.startswith(READY):
        process.kill()
        process.wait()
        said = first.strip() or "no output"
        if log:
            said += "\n" + log.read_text()[-2000:]
        raise EmulatorDidNotStart(f"the emulator did not start: {said}")
    return EmulatorProcess(first.removeprefix(READY).strip(), process)
