"""Campaign templates, schedules and generation over HTTP."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from spec_checked_api import future

from emulator.domain.clock import parse_timestamp

SCHEDULE = {
    "type": "WEEKLY",
    "hours": {"type": "LIST", "values": ["1"]},
    "days": {"type": "LIST", "values": ["MON", "WED"]},
    "expiration": None,
    "timeZoneId": "CST",
}


def template_body(**fields) -> dict:
    return {
        "name": "Template",
        "description": "A template",
        "deadlineDuration": "P2W",
        "campaign": {"name": "Campaign %Y", "description": "Made on %F", "type": "MANAGER"},
        **fields,
    }


def make_template(api, **fields) -> dict:
    return api.ok("createCampaignTemplate", body=template_body(**fields))


def test_create_fills_owner_created_modified_and_scheduled(api):
    template = make_template(api, ownerRef={"id": "someone-else"}, scheduled=True)
    assert template["ownerRef"] == api.client.owner_ref()
    assert template["modified"] is None
    assert template["scheduled"] is False
    assert parse_timestamp(template["created"]) <= datetime.now(UTC) + timedelta(seconds=5)
    assert api.ok("getCampaignTemplate", id=template["id"]) == template


def test_template_campaign_follows_the_campaign_rules(api):
    body = template_body(campaign={"name": "c", "description": "d", "type": "SEARCH"})
    response = api.call("createCampaignTemplate", body=body)
    assert response.status_code == 400
    assert "searchCampaignInfo" in response.json()["causes"][0]["text"]


def test_create_rejects_a_malformed_deadline_duration(api):
    response = api.call("createCampaignTemplate", body=template_body(deadlineDuration="two weeks"))
    assert response.status_code == 400
    assert "deadlineDuration" in response.json()["causes"][0]["text"]


@pytest.mark.parametrize(
    "path", ["/id", "/created", "/ownerRef", "/scheduled", "/campaign/status", "/campaign/id"]
)
def test_patch_refuses_other_fields(api, path):
    template = make_template(api)
    response = api.call(
        "patchCampaignTemplate",
        id=template["id"],
        body=[{"op": "replace", "path": path, "value": "x"}],
    )
    assert response.status_code == 400


def test_patch_needs_the_json_patch_media_type(api):
    template = make_template(api)
    response = api.call(
        "patchCampaignTemplate",
        id=template["id"],
        content_type="application/json",
        body=[{"op": "replace", "path": "/name", "value": "x"}],
    )
    assert response.status_code == 400
    assert "Content-Type" in response.json()["causes"][0]["text"]


@pytest.mark.parametrize(
    "schedule",
    [
        {"hours": {"type": "LIST", "values": ["1"]}},
        {"type": "DAILY", "hours": SCHEDULE["hours"]},
        {"type": "WEEKLY"},
        {"type": "WEEKLY", "hours": {"type": "LIST"}},
    ],
)
def test_invalid_schedules_are_400(api, schedule):
    template = make_template(api)
    response = api.call("setCampaignTemplateSchedule", id=template["id"], body=schedule)
    assert response.status_code == 400


def test_generate_formats_placeholders_and_sets_the_deadline(api):
    template = make_template(
        api,
        campaign={
            "name": "Campaign for %Y (%y)",
            "description": "Generated %F at %H:%M, 100%%",
            "type": "SOURCE_OWNER",
            "sourceOwnerCampaignInfo": {"sourceIds": ["s"]},
        },
    )
    api.advance_clock(0)  # the tenant clock is what generation reads
    now = parse_timestamp(api.control("GET", "/clock").json()["now"])
    reference = api.ok("startGenerateCampaignTemplate", id=template["id"])
    assert reference["type"] == "CAMPAIGN"
    assert reference["campaignType"] == "SOURCE_OWNER"
    assert reference["name"] == f"Campaign for {now:%Y} ({now:%y})"
    assert reference["description"].startswith(f"Generated {now:%Y-%m-%d} at ")
    assert reference["description"].endswith(", 100%")
    campaign = api.ok("getCampaign", id=reference["id"], query={"detail": "FULL"})
    deadline = parse_timestamp(campaign["deadline"])
    assert abs(deadline - (now + timedelta(weeks=2))) < timedelta(seconds=5)
    assert campaign["status"] == "STAGED"


def test_generate_without_a_deadline_duration_leaves_no_deadline(api):
    template = make_template(api)
    api.ok(
        "patchCampaignTemplate",
        id=template["id"],
        body=[{"op": "remove", "path": "/deadlineDuration"}],
    )
    reference = api.ok("startGenerateCampaignTemplate", id=template["id"])
    assert "deadline" not in api.ok("getCampaign", id=reference["id"])


def test_generate_from_an_unknown_template_is_404(api):
    assert api.call("startGenerateCampaignTemplate", id="missing").status_code == 404


def test_generated_campaign_can_run_its_lifecycle(api):
    reference = api.ok("startGenerateCampaignTemplate", id=make_template(api)["id"])
    assert api.call("startCampaign", id=reference["id"]).status_code == 202
    patch = [{"op": "replace", "path": "/deadline", "value": future(1)}]
    assert api.call("updateCampaign", id=reference["id"], body=patch).status_code == 200
