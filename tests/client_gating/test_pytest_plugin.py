"""The client authors' plugin: fixtures, seeding, realism switches and the violation gate."""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]

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
    result = pytester.runpytest_subprocess("--campaigns-gate", "-q")
    result.assert_outcomes(passed=2)
    assert result.ret == 0


def test_gate_fails_the_session_and_names_the_violation(pytester: pytest.Pytester):
    pytester.makepyfile(test_client=CLIENT_TESTS + BUGGY_TEST)
    gated = pytester.runpytest_subprocess("--campaigns-gate", "-q")
    assert gated.ret == pytest.ExitCode.TESTS_FAILED
    gated.stdout.fnmatch_lines(
        [
            "*contract violations (gate: failing)*",
            "*test_buggy: updateCampaign PATCH /v3/campaigns/* -> 400*name*",
        ]
    )
    ungated = pytester.runpytest_subprocess("-q")
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
    result = pytester.runpytest_subprocess("-q", "--campaigns-emulator-args=--token-ttl 600")
    result.assert_outcomes(passed=1)
