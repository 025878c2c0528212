"""Run the conformance suite in a child process, as a user does (`python -m pytest ...` in the
checkout), and find the one run folder it wrote. The project's tests of suite runs, detection
power and learned profiles all start it this way."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def run_conformance(
    arguments: Sequence[str],
    report_dir: Path,
    env: dict[str, str] | None = None,
    timeout: float = 600,
) -> tuple[subprocess.CompletedProcess, Path]:
    """`python -m pytest ARGUMENTS --report-dir REPORT_DIR`: the process and its run folder."""
    # An outer pytest (xdist worker) leaves PYTEST_* variables that must not steer the inner one.
    environment = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    process = subprocess.run(
        [sys.executable, "-m", "pytest", *arguments, "--report-dir", str(report_dir)],
        cwd=REPO,
        env={**environment, **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    folders = (
        [path for path in report_dir.iterdir() if path.is_dir()] if report_dir.exists() else []
    )
    if len(folders) != 1:
        output = process.stdout[-3000:] + process.stderr[-3000:]
        raise RuntimeError(f"the suite wrote {len(folders)} run folders:\n{output}")
    return process, folders[0]
