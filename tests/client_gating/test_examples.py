"""The client examples run in this project's CI: the good client passes the gate, the buggy
one fails it with a message naming the operation, the rule and what it sent."""

from __future__ import annotations

import fnmatch
import subprocess
from pathlib import Path

import pytest

from tests.harness import run_warm

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def run_example(name: str, *options: str) -> subprocess.CompletedProcess:
    """`python -m pytest examples/NAME --campaigns-gate ...` from the checkout, as CI runs it
    (forked from a warm Python: the same command line, its imports paid once)."""
    argv = ["-m", "pytest", str(EXAMPLES / name), "--campaigns-gate", *options, "-q"]
    argv += ["-p", "no:cacheprovider", "-W", "ignore::UserWarning"]
    return run_warm(argv, cwd=EXAMPLES.parent, timeout=300)


def test_the_example_client_passes_the_gate():
    pytest.importorskip("sailpoint.v3", reason="the example uses the vendor SDK (extra 'sdk')")
    result = run_example("campaign_closer")
    assert result.returncode == 0, result.stdout[-2000:]
    assert "2 passed" in result.stdout
    assert "contract violations" not in result.stdout


def test_the_buggy_client_fails_the_gate_with_a_clear_message():
    pytest.importorskip("sailpoint.v3", reason="the example uses the vendor SDK (extra 'sdk')")
    result = run_example("buggy_closer")
    assert result.returncode == 1, result.stdout[-2000:]
    assert "contract violations (gate: failing)" in result.stdout
    assert (
        "completeCampaign POST /v3/campaigns/" in result.stdout
        and "autoCompleteAction: 'DENY' is not one of ['APPROVE', 'REVOKE']" in result.stdout
    )


def test_clients_asking_for_tokens_with_basic_or_multipart_pass_the_gate():
    result = run_example("token_clients")
    assert result.returncode == 0, result.stdout[-2000:]
    assert "2 passed" in result.stdout
    assert "contract violations" not in result.stdout


# What each of client_mistakes' tests must fail with under the gate (its own test passes).
MISTAKES = {
    "test_misspelt_member": "violation: createCampaign POST /v3/campaigns -> 202: "
    "emailNotificationsEnabled is not a member createCampaign declares (a tenant ignores it); "
    "did you mean emailNotificationEnabled?",
    "test_unknown_member": "violation: createCampaign POST /v3/campaigns -> 202: colour is not "
    "a member createCampaign declares",
    "test_wrong_path": "violation: GET /v3/campaign/* -> 404: no such operation; did you mean "
    "GET /v3/campaigns/{id}?",
    "test_ignores_retry_after": "violation: getActiveCampaigns GET /v3/campaigns -> 429: sent "
    "before the Retry-After its token was given ran out",
}
WARNINGS = {
    "test_trailing_slash": "warning: getActiveCampaigns GET //v3/campaigns -> 200: the path "
    "//v3/campaigns has repeated slashes",
    "test_token_per_request": "warning: POST /oauth/token -> 200: asked for a new token 6 times "
    "for 6 API requests",
}


def test_each_client_mistake_fails_the_test_that_made_it_naming_it():
    result = run_example("client_mistakes")
    assert result.returncode == 1, result.stdout[-3000:]
    failed = {
        line.split("::")[-1].split()[0]
        for line in result.stdout.splitlines()
        if line.startswith("FAILED")
    }
    assert failed == set(MISTAKES), result.stdout[-3000:]
    assert "3 passed" in result.stdout  # the sound client and the two warnings
    for test, line in {**MISTAKES, **WARNINGS}.items():
        assert fnmatch.filter(result.stdout.splitlines(), f"*{test}: {line}*"), (test, line)


def test_warnings_fail_the_gate_when_asked():
    result = run_example("client_mistakes", "--campaigns-fail-on-warnings", "-k", "slash or token")
    assert result.returncode == 1, result.stdout[-3000:]
    assert "2 failed" in result.stdout
