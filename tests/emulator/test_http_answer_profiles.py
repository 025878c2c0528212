"""Answer profiles: a tenant answers as the documents say ("documented") or as the vendor's
published description says where it differs and clients depend on it ("published", spec/
x-published): createCampaign 202 and MACHINE_ACCOUNT. Nullable schedule members are accepted
by both, as a tenant accepts them.
"""

from __future__ import annotations

import warnings

import pytest
from spec_checked_api import Api, future

from emulator import EmulatorConfig, create_app
from emulator.__main__ import build_parser, config_from

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

CAMPAIGN = {"name": "c", "description": "d", "type": "MANAGER", "deadline": future()}
MACHINE = {
    **CAMPAIGN,
    "type": "MACHINE_ACCOUNT",
    "machineAccountCampaignInfo": {"sourceIds": ["s"]},
}
PARTIAL_SCHEDULE = {  # what Schedule.from_json('{"type": "WEEKLY", "hours": ...}') sends
    "type": "WEEKLY",
    "hours": {"type": "LIST", "values": ["9"], "interval": None},
    "days": {"type": "LIST", "values": ["MON"], "interval": None},
    "months": None,
    "expiration": None,
}


def use(api: Api, profile: str) -> None:
    response = api.control("PUT", "/answers", {"profile": profile})
    assert response.status_code == 200 and response.json() == {"profile": profile}


def test_the_default_is_published(api):
    assert EmulatorConfig().answers == "published"
    assert api.control("GET", "/answers").json() == {"profile": "published"}


@pytest.mark.parametrize(("profile", "status"), [("documented", 200), ("published", 202)])
def test_create_campaign_answers_each_profiles_status_with_the_campaign(api, profile, status):
    use(api, profile)
    response = api.call("createCampaign", body=CAMPAIGN)  # checked against that description
    assert response.status_code == status
    assert response.json()["name"] == "c" and response.json()["status"] == "PENDING"


def test_machine_account_campaigns_only_where_published(api):
    use(api, "documented")
    refused = api.call("createCampaign", body=MACHINE)
    assert refused.status_code == 400 and "type" in refused.json()["causes"][0]["text"]
    assert api.ok("getActiveCampaigns") == []
    use(api, "published")
    created = api.ok("createCampaign", body=MACHINE)
    assert created["type"] == "MACHINE_ACCOUNT"
    assert created["machineAccountCampaignInfo"] == {"sourceIds": ["s"]}
    patched = api.ok(
        "updateCampaign",
        id=created["id"],
        body=[{"op": "replace", "path": "/description", "value": "patched"}],
    )
    assert (patched["type"], patched["description"]) == ("MACHINE_ACCOUNT", "patched")
    assert [c["type"] for c in api.ok("getActiveCampaigns")] == ["MACHINE_ACCOUNT"]
    template = api.ok(
        "createCampaignTemplate",
        body={"name": "t", "description": "d", "deadlineDuration": "P1W", "campaign": MACHINE},
    )
    reference = api.ok("startGenerateCampaignTemplate", id=template["id"])
    assert reference["campaignType"] == "MACHINE_ACCOUNT"


@pytest.mark.parametrize("profile", ["documented", "published"])
def test_null_schedule_members_the_vendor_allows_are_accepted_in_both(api, profile):
    use(api, profile)
    template = api.ok(
        "createCampaignTemplate",
        body={"name": "t", "description": "d", "modified": None, "campaign": CAMPAIGN},
    )
    response = api.call("setCampaignTemplateSchedule", id=template["id"], body=PARTIAL_SCHEDULE)
    assert response.status_code == 204, response.text
    assert api.ok("getCampaignTemplateSchedule", id=template["id"]) == PARTIAL_SCHEDULE
    assert api.violations() == []


@pytest.mark.parametrize(
    "schedule",
    [
        {**PARTIAL_SCHEDULE, "hours": None},
        {**PARTIAL_SCHEDULE, "days": None},
        {**PARTIAL_SCHEDULE, "type": None},
        {**PARTIAL_SCHEDULE, "hours": {"type": "LIST", "values": None}},
    ],
    ids=["hours", "days", "type", "values"],
)
def test_members_the_vendor_does_not_mark_nullable_stay_refused(api, schedule):
    template = api.ok(
        "createCampaignTemplate", body={"name": "t", "description": "d", "campaign": CAMPAIGN}
    )
    response = api.call("setCampaignTemplateSchedule", id=template["id"], body=schedule)
    assert response.status_code == 400
    assert api.call("getCampaignTemplateSchedule", id=template["id"]).status_code == 404


@pytest.mark.parametrize(
    "body", [{"profile": "vendor"}, {}, {"profile": None}, [], "published"], ids=repr
)
def test_a_bad_profile_is_400_and_changes_nothing(api, body):
    use(api, "documented")
    response = api.control("PUT", "/answers", body)
    assert response.status_code == 400 and "error" in response.json()
    assert api.control("GET", "/answers").json() == {"profile": "documented"}


def test_profiles_are_per_tenant_and_reset_restores_the_emulators_own(http):
    from emulator.config import make_client

    other = make_client("other", "other-secret", tenant="other")
    http.app.state.emulator.tokens.register(other)
    mine, theirs = Api(http), Api(http, other)
    use(mine, "documented")
    assert theirs.call("createCampaign", body=CAMPAIGN).status_code == 202
    assert mine.call("createCampaign", body=CAMPAIGN).status_code == 200
    assert mine.control("POST", "/reset").status_code == 204
    assert mine.control("GET", "/answers").json() == {"profile": "published"}


@pytest.mark.parametrize("profile", ["documented", "published"])
def test_the_command_line_chooses_the_emulators_profile(profile):
    config = config_from(build_parser().parse_args(["--answers", profile]))
    assert config.answers == profile
    with TestClient(create_app(config)) as http:
        assert (
            Api(http).call("createCampaign", body=CAMPAIGN).status_code
            == {
                "documented": 200,
                "published": 202,
            }[profile]
        )


def test_an_unknown_profile_on_the_command_line_is_one_line_and_exit_2(capsys):
    with pytest.raises(SystemExit) as exited:
        build_parser().parse_args(["--answers", "vendor"])
    assert exited.value.code == 2
    assert capsys.readouterr().err.count("\n") == 1
