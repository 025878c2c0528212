"""Every "valid" value the strategies make is accepted by the spec and by the emulator; every
"invalid" one is rejected by the emulator (and by the spec where the spec can say it)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import spec
from emulator.domain.collection_query import QueryError, parse_filter, parse_sorters
from emulator.domain.durations import parse_duration
from emulator.domain.filter_expressions import check_filter_allowed
from strategies import (
    campaign_bodies,
    campaign_patches,
    durations,
    filter_expressions,
    forbidden_campaign_patches,
    invalid_campaign_bodies,
    invalid_durations,
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
from strategies.collection_params import (
    CAMPAIGN_FILTERS,
    CAMPAIGN_SORTERS,
    TEMPLATE_FILTERS,
    TEMPLATE_SORTERS,
)

FEW = settings(max_examples=25, suppress_health_check=list(HealthCheck), deadline=None)
CAMPAIGN = spec.component_validator("Campaign", "request")
TEMPLATE = spec.component_validator("CampaignTemplate", "request")
SCHEDULE = spec.component_validator("Schedule", "request")
PATCH = spec.validator_for(
    {"type": "array", "items": {"$ref": "#/components/schemas/JsonPatchOperation"}}, "request"
)
TIME_ZONE = spec.validator_for(
    spec.resolve("#/components/schemas/ActivateCampaignOptions")["properties"]["timeZone"],
    "request",
)


def errors(validator, value) -> list[str]:
    return [e.message for e in validator.iter_errors(value)]


@FEW
@given(body=campaign_bodies(name_prefix="prop "))
def test_campaign_bodies_are_accepted(api, body):
    assert not errors(CAMPAIGN, body)
    assert api.call("createCampaign", body=body).status_code == 200


@FEW
@given(pair=invalid_campaign_bodies())
def test_invalid_campaign_bodies_are_refused(api, pair):
    body, reason = pair
    assert api.call("createCampaign", body=body).status_code == 400, reason


@FEW
@given(body=template_bodies(name_prefix="prop "), schedule=schedules())
def test_templates_and_schedules_are_accepted(api, body, schedule):
    assert not errors(TEMPLATE, body)
    assert not errors(SCHEDULE, schedule)
    created = api.ok("createCampaignTemplate", body=body)
    assert (
        api.call("setCampaignTemplateSchedule", id=created["id"], body=schedule).status_code == 204
    )
    assert api.call("startGenerateCampaignTemplate", id=created["id"]).status_code == 200


@FEW
@given(pair=invalid_schedules())
def test_invalid_schedules_are_refused(api, pair):
    schedule, reason = pair
    assert errors(SCHEDULE, schedule), reason
    template = api.ok(
        "createCampaignTemplate",
        body={
            "name": "t",
            "description": "d",
            "campaign": {"name": "c", "description": "d", "type": "MANAGER"},
        },
    )
    assert (
        api.call("setCampaignTemplateSchedule", id=template["id"], body=schedule).status_code == 400
    ), reason


@pytest.fixture(scope="module")
def staged(api):
    return api.campaign_in("STAGED")


@pytest.fixture(scope="module")
def active(api):
    return api.campaign_in("ACTIVE")


@FEW
@given(data=st.data())
def test_campaign_patches_fit_the_status(api, staged, active, data):
    for campaign in (staged, active):
        patch = data.draw(campaign_patches(campaign["status"]))
        assert not errors(PATCH, patch)
        assert api.call("updateCampaign", id=campaign["id"], body=patch).status_code == 200
        forbidden = data.draw(forbidden_campaign_patches(campaign["status"]))
        assert api.call("updateCampaign", id=campaign["id"], body=forbidden).status_code == 400


@FEW
@given(patch=template_patches(), pair=malformed_patches())
def test_template_patches_apply_and_malformed_ones_are_refused(api, patch, pair):
    template = api.ok(
        "createCampaignTemplate",
        body={
            "name": "t",
            "description": "d",
            "campaign": {"name": "c", "description": "d", "type": "MANAGER"},
        },
    )
    assert api.call("patchCampaignTemplate", id=template["id"], body=patch).status_code == 200
    malformed, reason = pair
    assert errors(PATCH, malformed), reason
    response = api.call("patchCampaignTemplate", id=template["id"], body=malformed)
    assert response.status_code == 400, reason


@pytest.mark.parametrize(
    ("allowed", "operation_id"),
    [(CAMPAIGN_FILTERS, "getActiveCampaigns"), (TEMPLATE_FILTERS, "getCampaignTemplates")],
)
@FEW
@given(data=st.data())
def test_filters_parse_and_are_allowed_and_invalid_ones_are_refused(
    api, allowed, operation_id, data
):
    allowed_sets = {field: set(ops) for field, ops in allowed.items()}
    expression = data.draw(filter_expressions(allowed))
    check_filter_allowed(parse_filter(expression), allowed_sets)
    assert api.call(operation_id, query={"filters": expression}).status_code == 200
    bad, reason = data.draw(invalid_filter_expressions(allowed))
    with pytest.raises(QueryError):
        check_filter_allowed(parse_filter(bad), allowed_sets)
    assert api.call(operation_id, query={"filters": bad}).status_code == 400, reason


@pytest.mark.parametrize(
    ("allowed", "operation_id"),
    [(CAMPAIGN_SORTERS, "getActiveCampaigns"), (TEMPLATE_SORTERS, "getCampaignTemplates")],
)
@FEW
@given(data=st.data())
def test_sorters(api, allowed, operation_id, data):
    good = data.draw(sorters(allowed))
    parse_sorters(good, set(allowed))
    assert api.call(operation_id, query={"sorters": good}).status_code == 200
    bad = data.draw(invalid_sorters(allowed))
    assert api.call(operation_id, query={"sorters": bad}).status_code == 400, bad


@FEW
@given(valid=durations(), invalid=invalid_durations())
def test_durations(valid, invalid):
    parse_duration(valid)
    with pytest.raises(ValueError):
        parse_duration(invalid)


@FEW
@given(zone=time_zones(), bad=invalid_time_zones())
def test_time_zones(api, staged, zone, bad):
    assert not errors(TIME_ZONE, zone)
    assert errors(TIME_ZONE, bad)
    response = api.call("startCampaign", id="missing", body={"timeZone": bad})
    assert response.status_code == 400
