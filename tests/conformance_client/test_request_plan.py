"""The tenant plan announced before a run is within 25% of the requests the run makes."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from emulator.process import start_emulator

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("mode", [[], ["--read-only"]], ids=["full", "read-only"])
def test_tenant_plan_is_within_a_quarter_of_the_requests_made(mode):
    server = start_emulator("--transition-delay", "0.05", cwd=REPO)
    credentials = {"SAIL_CLIENT_ID": "conformance", "SAIL_CLIENT_SECRET": "conformance-secret"}
    reports = tempfile.mkdtemp(prefix="cc-plan-")
    options = ["--target", server.base_url, "--profile", "tenant", "--rate-limit", "off", *mode]
    command = [sys.executable, "-m", "pytest", "conformance", "-q", "-p", "no:cacheprovider"]
    try:
        result = subprocess.run(
            [*command, *options, "--report-dir", reports],
            cwd=REPO,
            env={**os.environ, **credentials},
            capture_output=True,
            text=True,
            timeout=600,
        )
    finally:
        server.stop()
    planned = re.search(r"tenant profile plans about (\d+) requests", result.stdout)
    made = re.search(r"conformance: (\d+) requests in ", result.stdout)
    assert planned and made, result.stdout[-3000:] + result.stderr[-2000:]
    planned_count, made_count = int(planned.group(1)), int(made.group(1))
    assert abs(planned_count - made_count) <= 0.25 * made_count, (planned_count, made_count)
