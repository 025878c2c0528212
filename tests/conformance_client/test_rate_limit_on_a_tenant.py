"""The 429 rule on a tenant: a token of the run's own is driven to its first 429, whose
Retry-After must be whole seconds. A tenant that answers 429 without one fails the run under
the `429` rule (a loopback server standing for such a tenant)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.conformance_client.loopback_servers import answering, oauth_token

REPO = Path(__file__).resolve().parents[2]
CREDENTIALS = {"SAIL_CLIENT_ID": "conformance", "SAIL_CLIENT_SECRET": "conformance-secret"}


def test_a_429_without_retry_after_fails_the_429_rule():
    limited = (429, "application/json", json.dumps({"message": "Too many requests"}))
    routes = {"/oauth/token": oauth_token(), "/v3/campaigns": limited}
    reports = tempfile.mkdtemp(prefix="cc-429-")
    with answering(routes) as url:
        run = subprocess.run(
            [
                sys.executable,
                "-m",
                "pytest",
                "conformance/test_auth_and_errors.py::test_429_carries_retry_after",
                *("-p", "no:cacheprovider", "--target", url, "--rate-limit", "5/10s"),
                *("--report-dir", reports),
            ],
            cwd=REPO,
            env={**os.environ, **CREDENTIALS},
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert run.returncode == 1, run.stdout[-3000:] + run.stderr[-2000:]
    assert "[429]" in run.stdout and "Retry-After=''" in run.stdout, run.stdout[-3000:]
    results = json.loads(next(Path(reports).glob("*/results.json")).read_text())
    rule = next(r for r in results["records"] if r["record_type"] == "rule" and r["check"] == "429")
    assert rule["outcome"] == "fail", rule
