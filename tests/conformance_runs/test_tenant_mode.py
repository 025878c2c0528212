"""The tenant code path end to end: `--target` against an emulator started with
`--no-control-api` and the tenant's 100/10s rate limit (tenant_runs.py), so the suite finds no
control API and behaves exactly as on a tenant. The session's guest run and read-only run
(conftest.py) show the cleanup and restore and that a read-only run changes nothing; the
sweep command gets an emulator of its own. What the tenant holds is read through /v3, as an
admin would."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator

import pytest
import requests
from conformance_process import REPO

from reports.results_json import load_results
from tests.conformance_runs.tenant_runs import (
    ENV,
    GUEST_RUN,
    PRIOR_CONFIGURATION,
    READ_ONLY_RUN,
    THEIR_CAMPAIGN,
    create_their_campaign,
    headers,
    holdings,
    names,
    start_tenant,
)

PAST_DUE = "conformance/test_campaign_lifecycle.py::test_completing_without_an_action_approves"


@pytest.fixture
def emulator() -> Iterator[str]:
    with start_tenant() as server:
        yield server.base_url


@GUEST_RUN
def test_without_its_control_api_the_emulator_is_taken_for_a_tenant(guest_run):
    health = guest_run.health
    assert health.status_code == 404 and "trackingId" in health.json(), health.text
    result = load_results(guest_run.suite.folder / "results.json")
    assert result.metadata.target_kind == "tenant", result.metadata
    (skipped,) = [t for t in result.tests if t.nodeid == PAST_DUE]
    assert skipped.outcome == "skipped" and "takes days on a tenant" in skipped.message


@GUEST_RUN
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


@READ_ONLY_RUN
def test_read_only_run_changes_nothing(read_only_run):
    run = read_only_run.suite
    assert run.process.returncode == 0, run.output[-3000:]
    # Full representations: any write, even one put back, would change `modified`.
    assert read_only_run.after == read_only_run.before


def test_cleanup_command_sweeps_only_earlier_runs_objects(emulator):
    base = emulator
    for name in ("cc-run-20200101t000000-abcdef left behind", "a real campaign"):
        create_their_campaign(base, name)
    requests.post(
        f"{base}/v3/campaign-templates",
        headers=headers(base),
        json={
            "name": "cc-run-20200101t000000-abcdef template",
            "description": "d",
            "campaign": {"name": "x", "description": "d", "type": "MANAGER"},
        },
        timeout=10,
    ).raise_for_status()
    command = [sys.executable, "-m", "conformance", "cleanup", "--target", base]
    dry = subprocess.run(
        [*command, "--dry-run"], env=ENV, cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert dry.returncode == 0 and dry.stdout.count("cc-run-") == 2, dry.stdout
    done = subprocess.run(command, env=ENV, cwd=REPO, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "deleted 1 campaign(s) and 1 template(s)" in done.stdout
    assert names(holdings(base)["campaigns"]) == ["a real campaign"]


def test_cleanup_command_errors_are_one_line(emulator):
    no_creds = {k: v for k, v in ENV.items() if not k.startswith("SAIL_")}
    for args, env in (
        (["--target", emulator], no_creds),
        (["--target", "ftp://x"], ENV),
        (["--target", emulator, "--prefix", "prod-"], ENV),
        ([], ENV),
    ):
        result = subprocess.run(
            [sys.executable, "-m", "conformance", "cleanup", *args],
            env=env,
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 2, (args, result.stderr)
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
