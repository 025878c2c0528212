"""Run the conformance suite as a user does (`python -m pytest conformance ...`) and read what
it wrote: its run folder and pytest's own summary line."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from conformance_process import run_conformance

_SUMMARY_COUNT = re.compile(r"(\d+) (passed|failed|errors?|skipped|xfailed|xpassed)\b")


@dataclass
class SuiteRun:
    process: subprocess.CompletedProcess
    folder: Path

    @property
    def output(self) -> str:
        return self.process.stdout + self.process.stderr

    def pytest_counts(self) -> dict[str, int]:
        """pytest's summary line (`-q`: "3 failed, 5 passed, 2 errors in 4.1s"), by category
        as results.json names them."""
        line = [ln for ln in self.process.stdout.splitlines() if re.search(r" in [\d.]+s", ln)]
        assert line, self.process.stdout[-3000:]
        counts = dict.fromkeys(["passed", "failed", "error", "skipped", "xfailed", "xpassed"], 0)
        for number, word in _SUMMARY_COUNT.findall(line[-1]):
            counts["error" if word.startswith("error") else word] += int(number)
        return counts


def run_suite(report_dir: Path, *arguments: str, env: dict[str, str] | None = None) -> SuiteRun:
    """`python -m pytest conformance ARGUMENTS`, its reports under `report_dir` (one run)."""
    process, folder = run_conformance(
        ["conformance", "-p", "no:cacheprovider", "-q", *arguments], report_dir, env
    )
    return SuiteRun(process, folder)
