"""The client authors' plugin: fixtures, seeding, realism switches and the violation gate.

Each client test session runs in this process (pytester in-process): pytest loads the plugin
from its entry point as in a client author's session, without a Python start per session;
the emulator it starts is a process of its own, as for a client author."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]
REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def this_checkout_first(monkeypatch: pytest.MonkeyPatch) -> None:
    """pytester runs in a temporary folder, where the emulator process the plugin starts would
    import an installed copy of the package rather than the code under test."""
    paths = [str(REPO_ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(paths))


CLIENT_TESTS = """
import os
import requests

def token():
    return requests.post(os.environ["SAIL_BASE_URL"] + "/oauth/token", data={
        "grant_type": "client_credentials", "client_id": os.environ["SAIL_CLIENT_ID"],
        "client_secret": os.environ["SAIL_CLIENT_SECRET"]}).json()["access_token"]

def api(method, path, headers=None, **kwargs):
    headers = {"Authorization": "Bearer " + token(), **(headers or {})}
    return requests.request(method, os.environ["SAIL_BASE_URL"] + "/v3" + path,
                            headers=headers, **kwargs)

def test_well_behaved(campaigns_tenant, seed):
    campaign = seed.campaign("PAST_DUE")
    assert campaign["status"] == "ACTIVE"
    assert api("POST", f"/campaigns/{campaign['id']}/complete",
               json={"autoCompleteAction": "REVOKE"}).status_code == 202
    weekly = {"type": "WEEKLY", "hours": {"type": "LIST", "values": ["1"]}}
    template = seed.template(schedule=weekly)
    assert template["scheduled"] is True

def test_tenants_are_isolated(campaigns_tenant, seed):
    seed.campaign()
    assert len(api("GET", "/campaigns").json()) == 1
"""

BUGGY_TEST = """
def test_buggy(campaigns_tenant, seed):
    campaign = seed.campaign("ACTIVE")
    api("PATCH", f"/campaigns/{campaign['id']}",
        headers={"Content-Type": "application/json-patch+json"},
        json=[{"op": "replace", "path": "/name", "value": "renamed while active"}])
"""


def test_fixtures_seed_and_export_the_sdk_variables(pytester: pytest.Pytester):
    pytester.makepyfile(test_client=CLIENT_TESTS)
    result = pytester.runpytest_inprocess("--campaigns-gate", "-q")
    result.assert_outcomes(passed=2)
    assert result.ret == 0


def test_gate_fails_the_test_that_made_the_violation_naming_it(pytester: pytest.Pytester):
    pytester.makepyfile(test_client=CLIENT_TESTS + BUGGY_TEST)
    gated = pytester.runpytest_inprocess("--campaigns-gate", "-q")
    assert gated.ret == pytest.ExitCode.TESTS_FAILED
    gated.assert_outcomes(passed=2, failed=1)
    gated.stdout.fnmatch_lines(
        [
            "*_ test_buggy _*",
            "the client broke the contract:",
            "violation: updateCampaign PATCH /v3/campaigns/* -> 400: /name: *"
            "not a patchable field (1 time; member /name; trackingId *",
            "*contract violations (gate: failing)*",
            "*test_buggy: violation: updateCampaign PATCH /v3/campaigns/* -> 400*name*",
            "gate: 1 contract violation(s), 0 warning(s)",
        ]
    )
    ungated = pytester.runpytest_inprocess("-q")
    assert ungated.ret == 0, "without the gate, violations are reported, not fatal"
    ungated.stdout.fnmatch_lines(["*contract violations*"])


def test_realism_switches(pytester: pytest.Pytester):
    pytester.makepyfile(
        test_realism="""
import requests

def test_rate_limit_and_faults(campaigns_tenant):
    campaigns_tenant.rate_limit(2, 60)
    headers = {"Authorization": "Bearer " + campaigns_tenant.token()}
    url = campaigns_tenant.base_url + "/v3/campaigns"
    statuses = [requests.get(url, headers=headers).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    campaigns_tenant.rate_limit(None)
    campaigns_tenant.faults(error_rate=1.0, error_status=502)
    assert requests.get(url, headers=headers).status_code == 502
"""
    )
    result = pytester.runpytest_inprocess("-q", "--campaigns-emulator-args=--token-ttl 600")
    result.assert_outcomes(passed=1)


def test_the_answers_switch(pytester: pytest.Pytester):
    pytester.makepyfile(
        test_answers="""
import requests

def create(tenant, campaign_type="MANAGER"):
    headers = {"Authorization": "Bearer " + tenant.token()}
    body = {"name": "n", "description": None, "type": campaign_type}
    return requests.post(tenant.base_url + "/v3/campaigns", json=body, headers=headers)

def test_published_by_default_documented_on_demand(campaigns_tenant):
    assert campaigns_tenant.answers() == "published"
    assert create(campaigns_tenant).status_code == 202
    assert create(campaigns_tenant, "MACHINE_ACCOUNT").status_code == 202
    assert campaigns_tenant.answers("documented") == "documented"
    assert create(campaigns_tenant).status_code == 200
    assert create(campaigns_tenant, "MACHINE_ACCOUNT").status_code == 400
"""
    )
    result = pytester.runpytest_inprocess("-q")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["*contract violations*", "*createCampaign*MACHINE_ACCOUNT*"])
    whole = pytester.runpytest_inprocess("-q", "--campaigns-emulator-args=--answers documented")
    whole.assert_outcomes(failed=1)
    whole.stdout.fnmatch_lines(["*assert 'documented' == 'published'*"])
