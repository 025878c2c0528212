"""The strategies' values on the emulator: every "valid" one is accepted, every "invalid",
"forbidden" or "malformed" one is answered 400. (The other files here check the values
against the spec itself; this one shows the emulator reads them the same way.)"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from strategies import (
    CAMPAIGN_FILTER_VALUES,
    CAMPAIGN_FILTERS,
    CAMPAIGN_SORTERS,
    TEMPLATE_FILTER_VALUES,
    TEMPLATE_FILTERS,
    TEMPLATE_SORTERS,
    campaign_bodies,
    campaign_patches,
    filter_expressions,
    forbidden_campaign_patches,
    invalid_campaign_bodies,
    invalid_filter_expressions,
    invalid_schedules,
    invalid_sorters,
    invalid_time_zones,
    malformed_patches,
    schedules,
    sorters,
    template_bodies,
    template_patches,
    time_zones,
)

FEW = settings(max_examples=25, suppress_health_check=list(HealthCheck), deadline=None)
PREFIX = "prop "
LISTS = [
    pytest.param("getActiveCampaigns", CAMPAIGN_FILTERS, CAMPAIGN_FILTER_VALUES, id="campaigns"),
    pytest.param("getCampaignTemplates", TEMPLATE_FILTERS, TEMPLATE_FILTER_VALUES, id="templates"),
]
SORTED_LISTS = [
    pytest.param("getActiveCampaigns", CAMPAIGN_SORTERS, id="campaigns"),
    pytest.param("getCampaignTemplates", TEMPLATE_SORTERS, id="templates"),
]


@pytest.fixture(scope="module")
def template_id(api) -> str:
    campaign = {"name": "c", "description": "d", "type": "MANAGER"}
    body = {"name": "t", "description": "d", "campaign": campaign}
    return api.ok("createCampaignTemplate", body=body)["id"]


@pytest.fixture(scope="module")
def staged(api):
    return api.campaign_in("STAGED")


@pytest.fixture(scope="module")
def active(api):
    return api.campaign_in("ACTIVE")


@FEW
@given(body=campaign_bodies(name_prefix=PREFIX))
def test_campaign_bodies_are_accepted(api, body):
    assert api.call("createCampaign", body=body).status_code == 200


@FEW
@given(pair=invalid_campaign_bodies(name_prefix=PREFIX))
def test_invalid_campaign_bodies_are_refused(api, pair):
    body, reason = pair
    assert api.call("createCampaign", body=body).status_code == 400, reason


@FEW
@given(body=template_bodies(name_prefix=PREFIX), schedule=schedules())
def test_templates_schedules_and_generation_are_accepted(api, body, schedule):
    created = api.ok("createCampaignTemplate", body=body)
    response = api.call("setCampaignTemplateSchedule", id=created["id"], body=schedule)
    assert response.status_code == 204
    assert api.call("startGenerateCampaignTemplate", id=created["id"]).status_code == 200


@FEW
@given(pair=invalid_schedules())
def test_invalid_schedules_are_refused(api, template_id, pair):
    schedule, reason = pair
    response = api.call("setCampaignTemplateSchedule", id=template_id, body=schedule)
    assert response.status_code == 400, reason


@FEW
@given(data=st.data())
def test_campaign_patches_fit_the_status(api, staged, active, data):
    for campaign in (staged, active):
        # The campaigns live for the whole module, so read them afresh for the test ops.
        current = api.ok("getCampaign", id=campaign["id"], query={"detail": "FULL"})
        patch = data.draw(campaign_patches(current["status"], current=current, name_prefix=PREFIX))
        assert api.call("updateCampaign", id=campaign["id"], body=patch).status_code == 200
        forbidden = data.draw(forbidden_campaign_patches(current["status"]))
        assert api.call("updateCampaign", id=campaign["id"], body=forbidden).status_code == 400


@FEW
@given(patch=template_patches(name_prefix=PREFIX), pair=malformed_patches())
def test_template_patches_apply_and_malformed_ones_are_refused(api, template_id, patch, pair):
    assert api.call("patchCampaignTemplate", id=template_id, body=patch).status_code == 200
    malformed, reason = pair
    response = api.call("patchCampaignTemplate", id=template_id, body=malformed)
    assert response.status_code == 400, reason


@pytest.mark.parametrize(("operation_id", "allowed", "values"), LISTS)
@FEW
@given(data=st.data())
def test_filters_are_accepted_and_invalid_ones_refused(api, operation_id, allowed, values, data):
    expression = data.draw(filter_expressions(allowed, values))
    assert api.call(operation_id, query={"filters": expression}).status_code == 200
    bad, kind = data.draw(invalid_filter_expressions(allowed, values))
    assert api.call(operation_id, query={"filters": bad}).status_code == 400, kind


@pytest.mark.parametrize(("operation_id", "allowed"), SORTED_LISTS)
@FEW
@given(data=st.data())
def test_sorters_are_accepted_and_invalid_ones_refused(api, operation_id, allowed, data):
    good = data.draw(sorters(allowed))
    assert api.call(operation_id, query={"sorters": good}).status_code == 200
    bad, kind = data.draw(invalid_sorters(allowed))
    assert api.call(operation_id, query={"sorters": bad}).status_code == 400, kind


@FEW
@given(zone=time_zones(), bad=invalid_time_zones())
def test_time_zones_are_accepted_and_invalid_ones_refused(api, zone, bad):
    staged = api.campaign_in("STAGED")
    assert api.call("startCampaign", id=staged["id"], body={"timeZone": bad}).status_code == 400
    assert api.call("startCampaign", id=staged["id"], body={"timeZone": zone}).status_code == 202
