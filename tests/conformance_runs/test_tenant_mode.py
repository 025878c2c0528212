"""The tenant code path end to end: `--target` against an emulator started with
`--no-control-api` and a tenant's rate limit (tenant_runs.py), so the suite finds no
control API and behaves exactly as on a tenant. The session's guest run and read-only run
(conftest.py) show the cleanup and restore and that a read-only run changes nothing. What the
tenant holds is read through /v3, as an admin would."""

from __future__ import annotations

import requests

from reports.results_json import load_results
from tests.conformance_runs.tenant_runs import (
    PRIOR_CONFIGURATION,
    THEIR_CAMPAIGN,
    headers,
    holdings,
    names,
)

PAST_DUE = "conformance/test_campaign_lifecycle.py::test_completing_without_an_action_approves"


def test_without_its_control_api_the_emulator_is_taken_for_a_tenant(guest_run):
    health = guest_run.health
    assert health.status_code == 404 and "trackingId" in health.json(), health.text
    result = load_results(guest_run.suite.folder / "results.json")
    assert result.metadata.target_kind == "tenant", result.metadata
    (skipped,) = [t for t in result.tests if t.nodeid == PAST_DUE]
    assert skipped.outcome == "skipped" and "takes days on a tenant" in skipped.message


def test_suite_passes_as_a_guest_and_leaves_the_tenant_as_it_found_it(guest_run):
    base, run = guest_run.base_url, guest_run.suite
    assert run.process.returncode == 0, f"seed {guest_run.seed}\n" + run.output[-5000:]
    assert "requests in" in run.process.stdout and "cleanup: deleted" in run.process.stdout

    left = holdings(base)
    assert names(left["campaigns"]) == [THEIR_CAMPAIGN], left
    assert left["templates"] == [], left
    assert left["reports-configuration"] == PRIOR_CONFIGURATION, (
        "the reports configuration must be restored exactly"
    )
    theirs = guest_run.their_campaign["id"]
    mine = requests.get(f"{base}/v3/campaigns/{theirs}", headers=headers(base), timeout=10).json()
    assert mine["status"] == "STAGED" and mine["name"] == THEIR_CAMPAIGN


def test_read_only_run_changes_nothing(read_only_run):
    run = read_only_run.suite
    assert run.process.returncode == 0, run.output[-3000:]
    # Full representations: any write, even one put back, would change `modified`.
    assert read_only_run.after == read_only_run.before
