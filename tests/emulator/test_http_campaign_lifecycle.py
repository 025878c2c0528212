"""Campaign lifecycle over HTTP, each rule as the documents state it."""

from __future__ import annotations

import pytest
from spec_checked_api import future

ALL_TYPES = {
    "MANAGER": {},
    "SOURCE_OWNER": {"sourceOwnerCampaignInfo": {"sourceIds": ["s1", "s2"]}},
    "SEARCH": {"searchCampaignInfo": {"type": "IDENTITY", "identityIds": ["i1", "i2", "i3"]}},
    "ROLE_COMPOSITION": {
        "roleCompositionCampaignInfo": {"remediatorRef": {"type": "IDENTITY", "id": "r1"}}
    },
}


@pytest.mark.parametrize("campaign_type", sorted(ALL_TYPES))
def test_create_every_type_starts_pending_then_is_staged(api, campaign_type):
    created = api.create_campaign(type=campaign_type, **ALL_TYPES[campaign_type])
    assert created["status"] == "PENDING"
    assert created["type"] == campaign_type
    assert api.ok("getCampaign", id=created["id"])["status"] == "STAGED"


def test_read_only_fields_in_a_create_body_are_ignored(api):
    created = api.create_campaign(
        id="chosen-by-client",
        status="ACTIVE",
        totalCertifications=100,
        created="2020-01-01T00:00:00Z",
    )
    assert created["id"] != "chosen-by-client"
    assert created["status"] == "PENDING"
    assert created["totalCertifications"] == 0
    assert created["created"] != "2020-01-01T00:00:00Z"


@pytest.mark.parametrize(
    ("fields", "named"),
    [
        ({"type": "SEARCH"}, "searchCampaignInfo"),
        (
            {"type": "SEARCH", "searchCampaignInfo": {"type": "IDENTITY", "identityIds": []}},
            "searchCampaignInfo",
        ),
        ({"type": "ROLE_COMPOSITION"}, "roleCompositionCampaignInfo"),
        (
            {"type": "MANAGER", "sourceOwnerCampaignInfo": {"sourceIds": ["s"]}},
            "sourceOwnerCampaignInfo",
        ),
        ({"type": "MANAGER", "searchCampaignInfo": {"query": "q"}}, "searchCampaignInfo"),
        ({"type": "MANAGER", "correlatedStatus": "UNCORRELATED"}, "correlatedStatus"),
        ({"type": "SEARCH", "searchCampaignInfo": {"identityIds": ["x"] * 1001}}, "identityIds"),
        ({"type": "MACHINE_ACCOUNT"}, "type"),
        ({"name": 42}, "name"),
    ],
)
def test_cross_field_rules_answer_400_naming_the_field(api, fields, named):
    """As the documents say (MACHINE_ACCOUNT is a published-only type)."""
    api.control("PUT", "/answers", {"profile": "documented"})
    body = {"name": "c", "description": None, "type": "MANAGER", **fields}
    response = api.call("createCampaign", body=body)
    assert response.status_code == 400
    assert named in response.json()["causes"][0]["text"]


def test_activate_only_staged_and_only_with_a_future_deadline(api):
    staged = api.campaign_in("STAGED")
    assert (
        api.call("startCampaign", id=staged["id"], body={"timeZone": "-05:00"}).status_code == 202
    )
    assert api.ok("getCampaign", id=staged["id"])["status"] == "ACTIVE"
    again = api.call("startCampaign", id=staged["id"])
    assert again.status_code == 400, "the campaign must be staged"

    past = api.create_campaign(deadline="2020-01-01T00:00:00Z")
    response = api.call("startCampaign", id=past["id"])
    assert response.status_code == 400
    assert "deadline" in response.json()["causes"][0]["text"]


def test_activation_creates_certifications(api):
    active = api.campaign_in(
        "ACTIVE", type="SEARCH", searchCampaignInfo={"identityIds": ["a", "b"]}
    )
    assert active["totalCertifications"] == 2
    certifications = api.control("GET", f"/campaigns/{active['id']}/certifications").json()
    assert len(certifications) == 2


@pytest.mark.parametrize("action", ["APPROVE", "REVOKE"])
def test_complete_only_past_due(api, action):
    active = api.campaign_in("ACTIVE")
    early = api.call("completeCampaign", id=active["id"], body={"autoCompleteAction": action})
    assert early.status_code == 400, "not past due must be a content error"
    api.advance_clock(31 * 86400)
    done = api.call("completeCampaign", id=active["id"], body={"autoCompleteAction": action})
    assert done.status_code == 202
    completed = api.ok("getCampaign", id=active["id"])
    assert completed["status"] == "COMPLETED"
    assert completed["completedCertifications"] == completed["totalCertifications"] == 3
    decisions = {
        c["decision"]
        for c in api.control("GET", f"/campaigns/{active['id']}/certifications").json()
    }
    assert decisions == {action}


def test_complete_rejects_an_undocumented_action(api):
    active = api.campaign_in("ACTIVE")
    api.advance_clock(31 * 86400)
    response = api.call("completeCampaign", id=active["id"], body={"autoCompleteAction": "MAYBE"})
    assert response.status_code == 400
    assert "autoCompleteAction" in response.json()["causes"][0]["text"]


def test_transitions_take_the_configured_delay(api):
    api.control("PUT", "/transition-delay", {"seconds": 3600})
    created = api.create_campaign()
    assert api.ok("getCampaign", id=created["id"])["status"] == "PENDING"
    api.advance_clock(3601)
    assert api.ok("getCampaign", id=created["id"])["status"] == "STAGED"


def test_completed_campaign_patches_nothing(api):
    completed = api.campaign_in("COMPLETED")
    patch = [{"op": "replace", "path": "/deadline", "value": future()}]
    assert api.call("updateCampaign", id=completed["id"], body=patch).status_code == 400


def test_all_six_patch_operations(api):
    staged = api.campaign_in("STAGED", name="first", description="second")
    patch = [
        {"op": "test", "path": "/name", "value": "first"},
        {"op": "copy", "from": "/name", "path": "/description"},
        {"op": "add", "path": "/autoRevokeAllowed", "value": True},
        {"op": "replace", "path": "/emailNotificationEnabled", "value": True},
        {"op": "remove", "path": "/recommendationsEnabled"},
        {"op": "move", "from": "/description", "path": "/name"},
    ]
    # move takes /description away, which a campaign may not lose: refused as a whole.
    assert api.call("updateCampaign", id=staged["id"], body=patch).status_code == 400
    slim = api.ok("updateCampaign", id=staged["id"], body=patch[:5])
    assert (slim["name"], slim["description"], slim["autoRevokeAllowed"]) == (
        "first",
        "first",
        True,
    )
    failed_test = [{"op": "test", "path": "/name", "value": "other"}]
    assert api.call("updateCampaign", id=staged["id"], body=failed_test).status_code == 400


def test_a_patch_cannot_break_the_schema(api):
    staged = api.campaign_in("STAGED")
    for patch in (
        [{"op": "remove", "path": "/name"}],
        [{"op": "replace", "path": "/name", "value": 7}],
        [{"op": "replace", "path": "/deadline", "value": "not a date"}],
        [{"op": "replace", "path": "/name"}],
    ):
        assert api.call("updateCampaign", id=staged["id"], body=patch).status_code == 400, patch
    assert api.ok("getCampaign", id=staged["id"])["name"] == "Campaign"


def test_delete_with_an_unknown_id_deletes_nothing(api):
    kept = api.create_campaign()
    response = api.call("deleteCampaigns", body={"ids": [kept["id"], "missing"]})
    assert response.status_code == 404
    assert api.call("getCampaign", id=kept["id"]).status_code == 200


@pytest.mark.parametrize(
    "report_type",
    [
        "CAMPAIGN_COMPOSITION_REPORT",
        "CAMPAIGN_REMEDIATION_STATUS_REPORT",
        "CAMPAIGN_STATUS_REPORT",
        "CERTIFICATION_SIGNOFF_REPORT",
    ],
)
def test_each_report_type_runs_and_is_then_listed(api, report_type):
    campaign = api.campaign_in("ACTIVE")
    assert api.call("startCampaignReport", id=campaign["id"], type=report_type).status_code == 202
    reports = api.ok("getCampaignReports", id=campaign["id"])
    assert [(r["reportType"], r["status"]) for r in reports] == [(report_type, "SUCCESS")]
    assert reports[0]["lastRunAt"]


def test_unknown_report_type_is_400(api):
    campaign = api.create_campaign()
    assert api.call("startCampaignReport", id=campaign["id"], type="SOD_REPORT").status_code == 400


def test_remediation_scan_is_accepted(api):
    campaign = api.campaign_in("ACTIVE")
    assert api.call("startCampaignRemediationScan", id=campaign["id"]).status_code == 202
    assert api.call("startCampaignRemediationScan", id="missing").status_code == 404


def test_reassign_moves_only_this_campaigns_certifications(api):
    mine, other = api.campaign_in("ACTIVE"), api.campaign_in("ACTIVE")
    own = [c["id"] for c in api.control("GET", f"/campaigns/{mine['id']}/certifications").json()]
    foreign = api.control("GET", f"/campaigns/{other['id']}/certifications").json()[0]["id"]
    body = {
        "certificationIds": own[:2],
        "reassignTo": {"id": "new-reviewer", "type": "IDENTITY"},
        "reason": "on leave",
    }
    task = api.ok("move", id=mine["id"], body=body)
    assert (task["type"], task["targetId"]) == ("ADMIN_REASSIGN", mine["id"])
    assert {t["newOwner"] for t in task["reassignmentTrailDTOs"]} == {"new-reviewer"}
    reviewers = {
        c["id"]: c["reviewer"]["id"]
        for c in api.control("GET", f"/campaigns/{mine['id']}/certifications").json()
    }
    assert [reviewers[c] for c in own[:2]] == ["new-reviewer", "new-reviewer"]
    body["certificationIds"] = [foreign]
    assert api.call("move", id=mine["id"], body=body).status_code == 400


@pytest.mark.parametrize(
    "body",
    [
        {"certificationIds": ["c"], "reassignTo": {"id": "x", "type": "IDENTITY"}},
        {"certificationIds": [], "reassignTo": {"id": "x", "type": "IDENTITY"}, "reason": "r"},
        {
            "certificationIds": ["c"] * 251,
            "reassignTo": {"id": "x", "type": "IDENTITY"},
            "reason": "r",
        },
        {
            "certificationIds": ["c"],
            "reassignTo": {"id": "x", "type": "GOVERNANCE_GROUP"},
            "reason": "r",
        },
    ],
)
def test_reassign_needs_a_reason_bounded_ids_and_an_identity(api, body):
    campaign = api.campaign_in("ACTIVE")
    assert api.call("move", id=campaign["id"], body=body).status_code == 400


def test_reports_configuration_put_overwrites_and_get_returns_it(api):
    assert api.ok("getCampaignReportsConfig") == {"identityAttributeColumns": None}
    stored = api.ok("setCampaignReportsConfig", body={"identityAttributeColumns": ["firstname"]})
    assert stored == {"identityAttributeColumns": ["firstname"]}
    assert api.ok("getCampaignReportsConfig") == stored
    api.ok("setCampaignReportsConfig", body={})
    assert api.ok("getCampaignReportsConfig") == {"identityAttributeColumns": None}


def test_unknown_members_are_not_stored_or_echoed(api):
    """A tenant keeps what its model declares; extra members of a request vanish."""
    created = api.create_campaign(
        internalScore=7,
        type="SEARCH",
        searchCampaignInfo={"identityIds": ["i"], "ranking": "high"},
    )
    stored = api.ok("getCampaign", id=created["id"], query={"detail": "FULL"})
    for representation in (created, stored):
        assert "internalScore" not in representation
        assert representation["searchCampaignInfo"] == {"identityIds": ["i"]}
