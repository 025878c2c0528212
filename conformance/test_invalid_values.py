"""Invalid values are refused with the documented 400, on objects the run owns.

Each generated value breaks exactly one documented rule (the strategies say which); it goes
to an object of this run, so the 400 path is reached rather than a 404 for an unknown id, and
a target that wrongly accepts changes only the run's own objects (a campaign it wrongly
creates is removed with the rest). Valid values of the same strategies are the state
machines' and the collection tests' inputs; here only the refusals are checked. The deterministic
cases run on every run; hypothesis adds its examples within the profile's budget.
"""

from __future__ import annotations

import pytest
from hypothesis import given

from conformance.judging.rules import expect
from conformance.scenario.suite_api import SuiteApi
from strategies import (
    invalid_campaign_bodies,
    invalid_durations,
    invalid_schedules,
    invalid_time_zones,
    malformed_patches,
)

pytestmark = pytest.mark.usefixtures("writable")


@pytest.fixture(scope="module")
def owned_template(suite_api: SuiteApi, run_options) -> str:
    if run_options.read_only:
        pytest.skip("read-only run: these checks need objects of their own")
    body = {
        "name": suite_api.ledger.name("invalid values"),
        "description": "conformance",
        "campaign": {"name": "invalid values", "description": "d", "type": "MANAGER"},
    }
    return suite_api.ok("createCampaignTemplate", body=body)["id"]


@pytest.fixture(scope="module")
def owned_staged_campaign(suite_api: SuiteApi, run_options) -> str:
    if run_options.read_only:
        pytest.skip("read-only run: these checks need objects of their own")
    campaign = suite_api.create_campaign(name="invalid values")["id"]
    suite_api.wait_for_status(campaign, {"STAGED"}, {"PENDING"})
    return campaign


def refused(response, what: str) -> None:
    expect(
        response.status_code == 400,
        "400",
        f"{what}: {response.status_code} {response.text[:200]}",
        response=response,
    )


@pytest.mark.rules("400")
def test_invalid_campaign_bodies_are_400(suite_api: SuiteApi):
    refused(
        suite_api.call(
            "createCampaign", body={"name": suite_api.ledger.name("x"), "type": "WEEKLY"}
        ),
        "a campaign of an undocumented type was not refused",
    )

    @given(pair=invalid_campaign_bodies(name_prefix=suite_api.ledger.name()))
    def generated(pair):
        body, reason = pair
        refused(suite_api.call("createCampaign", body=body), f"{reason}, not refused")

    generated()


@pytest.mark.rules("400")
def test_invalid_schedules_to_an_owned_template_are_400(suite_api: SuiteApi, owned_template):
    bad = {"type": "DAILY", "hours": {"type": "LIST", "values": ["9"]}}
    refused(
        suite_api.call("setCampaignTemplateSchedule", id=owned_template, body=bad),
        "a DAILY schedule was not refused",
    )

    @given(pair=invalid_schedules())
    def generated(pair):
        schedule, reason = pair
        response = suite_api.call("setCampaignTemplateSchedule", id=owned_template, body=schedule)
        refused(response, f"{reason}, not refused")

    generated()


@pytest.mark.rules("400")
def test_invalid_deadline_durations_to_an_owned_template_are_400(
    suite_api: SuiteApi, owned_template
):
    """deadlineDuration is "formatted as an ISO-8601 Duration" (the spec's iso8601-duration).
    A valid one is set first, so a refusal below can only be about the value."""

    def patched(duration: str):
        patch = [{"op": "add", "path": "/deadlineDuration", "value": duration}]
        return suite_api.call("patchCampaignTemplate", id=owned_template, body=patch)

    accepted = patched("P2W")
    assert accepted.status_code == 200, f"deadlineDuration P2W was refused: {accepted.text[:300]}"
    refused(patched("two weeks"), "deadlineDuration 'two weeks' was not refused")

    @given(duration=invalid_durations())
    def generated(duration):
        refused(patched(duration), f"deadlineDuration {duration!r} was not refused")

    generated()


@pytest.mark.rules("400")
def test_malformed_patches_to_owned_objects_are_400(
    suite_api: SuiteApi, owned_template, owned_staged_campaign
):
    for operation_id, owned in (
        ("patchCampaignTemplate", owned_template),
        ("updateCampaign", owned_staged_campaign),
    ):
        no_op = [{"op": "replace", "path": "/description"}]
        refused(suite_api.call(operation_id, id=owned, body=no_op), "a replace without a value")

    @given(pair=malformed_patches())
    def generated(pair):
        patch, reason = pair
        for operation_id, owned in (
            ("patchCampaignTemplate", owned_template),
            ("updateCampaign", owned_staged_campaign),
        ):
            refused(suite_api.call(operation_id, id=owned, body=patch), f"{reason}, not refused")

    generated()


@pytest.mark.rules("400")
def test_invalid_time_zones_to_an_owned_staged_campaign_are_400(
    suite_api: SuiteApi, owned_staged_campaign
):
    refused(
        suite_api.call("startCampaign", id=owned_staged_campaign, body={"timeZone": "EST"}),
        "timeZone EST (a zone name, not an offset) was not refused",
    )

    @given(zone=invalid_time_zones())
    def generated(zone):
        response = suite_api.call(
            "startCampaign", id=owned_staged_campaign, body={"timeZone": zone}
        )
        refused(response, f"timeZone {zone!r} was not refused")

    generated()
