"""The 429 rule on a tenant: a token of the run's own is driven to its first 429, whose
Retry-After must be whole seconds. A tenant that answers 429 without one fails the run under
the `429` rule (a loopback server standing for such a tenant)."""

from __future__ import annotations

import json

from tests.conformance_client.loopback_servers import answering, oauth_token
from tests.harness import CLIENT_CREDENTIALS, run_suite


def test_a_429_without_retry_after_fails_the_429_rule(tmp_path):
    limited = (429, "application/json", json.dumps({"message": "Too many requests"}))
    routes = {"/oauth/token": oauth_token(), "/v3/campaigns": limited}
    with answering(routes) as url:
        # Forked from a warm Python (the same run; `--assert=plain`, as the imports it shares
        # were not rewritten).
        run = run_suite(
            "conformance/test_auth_and_errors.py::test_429_carries_retry_after",
            *("-p", "no:cacheprovider", "--assert=plain"),
            *("--target", url, "--rate-limit", "5/10s"),
            report_dir=tmp_path / "reports",
            env=CLIENT_CREDENTIALS,
            timeout=120,
            warm=True,
        )
    stdout = run.process.stdout
    assert run.process.returncode == 1, stdout[-3000:] + run.process.stderr[-2000:]
    assert "[429]" in stdout and "Retry-After=''" in stdout, stdout[-3000:]
    results = json.loads(run.results.read_text())
    rule = next(r for r in results["records"] if r["record_type"] == "rule" and r["check"] == "429")
    assert rule["outcome"] == "fail", rule
