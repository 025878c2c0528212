"""The vendor SDK example client behaves against a learned emulator as against the drifted one
it was learned from, whichever way the profile is chosen: `python -m emulator --like` (what
the plugin's `--campaigns-like` starts), or a tenant switched with the plugin's `like()` (the
control API's PUT .../like). Against the documents' answers it behaves otherwise (the SDK's
`create_campaign()` returns None for a 200): the comparison can fail.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from learning_runs import DRIFT_LAUNCHER

from emulator.pytest_plugin import EmulatorServer, Seeder, Tenant, new_tenant, start_server
from tests.harness import REPO, emulator_process

# The vendor's SDK is the `sdk` extra: without it these tests skip, saying so.
pytest.importorskip("sailpoint", reason="the vendor SDK is not installed (pip install '.[sdk]')")
from sailpoint.configuration import Configuration
from sailpoint.v3.api.certification_campaigns_api import CertificationCampaignsApi
from sailpoint.v3.api_client import ApiClient
from sailpoint.v3.models.campaign import Campaign

sys.path.insert(0, str(REPO / "examples" / "campaign_closer"))
from campaign_closer import close_overdue

PUBLISHED = ("--answers", "published")


@contextmanager
def drifted_server() -> Iterator[EmulatorServer]:
    """The drifted emulator with its control API (the example's tests seed through it)."""
    started = emulator_process("--transition-delay", "0", *PUBLISHED, program=[str(DRIFT_LAUNCHER)])
    with EmulatorServer(started.base_url, started.process) as server:
        yield server


def sdk_story(tenant: Tenant) -> dict:
    """What an SDK user's code sees: the example client closing a past-due campaign, then
    create_campaign for a documented and for the published-only campaign type."""
    overdue = Seeder(tenant).campaign("PAST_DUE")
    with pytest.MonkeyPatch.context() as env:
        for key, value in tenant.env.items():
            env.setenv(key, value)
        closed = close_overdue("REVOKE", now=tenant.now())
        configuration = Configuration()
    story: dict = {"close_overdue closed the past-due campaign": closed == [overdue["id"]]}
    with ApiClient(configuration) as client:
        api = CertificationCampaignsApi(client)
        for kind in ("MANAGER", "MACHINE_ACCOUNT"):
            body = {"name": f"SDK {kind}", "description": "example", "type": kind}
            try:
                created = api.create_campaign(campaign=Campaign.from_json(json.dumps(body)))
                story[f"create_campaign {kind}"] = type(created).__name__
            except Exception as error:  # what the SDK user's code would have to handle
                story[f"create_campaign {kind}"] = (
                    f"{type(error).__name__} {getattr(error, 'status', '')}"
                )
        listed = api.get_active_campaigns(filters=f'id eq "{overdue["id"]}"')
        story["status after close"] = [item.actual_instance.status for item in listed]
    story["contract violations"] = [v["reason"] for v in tenant.violations()]
    return story


@pytest.fixture(scope="module")
def stories(runs) -> dict:
    learned_from = str(runs["drifted"])
    found = {}
    with drifted_server() as server:
        found["drifted"] = sdk_story(new_tenant(server))
    server = start_server(["--like", learned_from])
    try:
        found["--like"] = sdk_story(new_tenant(server))
    finally:
        server.stop()
    server = start_server([])
    try:
        switched = new_tenant(server)
        found["like() name"] = switched.like(Path(learned_from))
        found["like()"] = sdk_story(switched)
        documented = new_tenant(server)
        documented.answers("documented")
        found["documented"] = sdk_story(documented)
    finally:
        server.stop()
    return found


def test_the_sdk_example_behaves_the_same_against_the_learned_emulator(stories):
    drifted = stories["drifted"]
    assert drifted["close_overdue closed the past-due campaign"] is True
    assert drifted["create_campaign MANAGER"] == "Campaign"
    assert drifted["contract violations"] == []
    assert stories["--like"] == drifted
    assert stories["like()"] == drifted
    assert stories["like() name"].startswith("learned-")


def test_the_documents_answers_make_the_sdk_behave_otherwise(stories):
    documented = stories["documented"]
    assert documented["create_campaign MANAGER"] == "NoneType"  # known drift 9
    assert documented != stories["drifted"]
