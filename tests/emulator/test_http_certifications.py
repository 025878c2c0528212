"""GET /v3/certifications (listIdentityCertifications): the certifications activation creates,
read-only, in the IdentityCertificationDto shape, with the documented filters, sorters and
paging (spec/SOURCES.md#certifications), enough for a client to reassign with no control API."""

from __future__ import annotations

import pytest
from spec_checked_api import Api

from emulator.config import make_client


@pytest.fixture
def active(api: Api) -> dict:
    """A SEARCH campaign with three identities: three certifications once ACTIVE."""
    return api.campaign_in(
        "ACTIVE",
        name="Quarterly review",
        type="SEARCH",
        searchCampaignInfo={"type": "IDENTITY", "identityIds": ["a", "b", "c"]},
    )


def listed(api: Api, **query) -> list[dict]:
    return api.ok("listIdentityCertifications", query=query or None)


def test_activation_lists_one_certification_per_reviewer_in_the_documented_shape(api, active):
    assert listed(api, filters='campaign.id eq "nothing"') == []
    items = listed(api)  # every response is checked against the spec's IdentityCertificationDto
    assert len(items) == 3 == active["totalCertifications"]
    for item in items:
        assert item["campaign"] == {
            "id": active["id"],
            "name": "Quarterly review",
            "type": "CAMPAIGN",
            "campaignType": "SEARCH",
            "description": "d",
            "correlatedStatus": "CORRELATED",
            "mandatoryCommentRequirement": "NO_DECISIONS",
        }
        assert (item["phase"], item["completed"], item["signed"]) == ("ACTIVE", False, None)
        assert item["due"] == active["deadline"] and item["reassignment"] is None
        assert item["reviewer"]["type"] == "IDENTITY" and item["name"].startswith("Quarterly")
    assert len({item["id"] for item in items}) == 3


def test_a_staged_campaign_has_no_certifications_yet(api):
    api.campaign_in("STAGED")
    assert listed(api) == []


def test_filters_by_each_documented_field_and_operator(api, active):
    other = api.campaign_in("ACTIVE", name="Other")
    ids = [item["id"] for item in listed(api, filters=f'campaign.id eq "{active["id"]}"')]
    assert len(ids) == 3
    assert [i["id"] for i in listed(api, filters=f'id eq "{ids[0]}"')] == [ids[0]]
    both = listed(api, filters=f'id in ("{ids[0]}", "{ids[2]}")')
    assert sorted(i["id"] for i in both) == sorted([ids[0], ids[2]])
    in_both = listed(api, filters=f'campaign.id in ("{active["id"]}", "{other["id"]}")')
    assert len(in_both) == 3 + other["totalCertifications"]
    assert len(listed(api, filters='phase eq "ACTIVE"')) == len(in_both)
    assert listed(api, filters="completed eq true") == []
    assert len(listed(api, filters=f'completed eq false and campaign.id eq "{active["id"]}"')) == 3


@pytest.mark.parametrize(
    ("parameter", "value", "named"),
    [
        ("filters", 'name eq "x"', "filters"),  # name is sortable, not filterable
        ("filters", 'phase in ("ACTIVE")', "filters"),  # phase: eq only
        ("filters", 'id sw "a"', "filters"),
        ("filters", "completed eq", "filters"),
        ("sorters", "created", "sorters"),
        ("sorters", "name,,due", "sorters"),
        ("limit", "251", "limit"),
        ("limit", "-1", "limit"),
        ("offset", "-1", "offset"),
        ("count", "yes", "count"),
    ],
)
def test_undocumented_query_parameters_are_400_naming_them(api, active, parameter, value, named):
    response = api.call("listIdentityCertifications", query={parameter: value})
    assert response.status_code == 400
    assert named in response.json()["causes"][0]["text"]
    assert len(listed(api)) == 3  # nothing changed


def test_sorters_paging_and_count(api, active):
    api.campaign_in("ACTIVE", name="Annual review")
    names = [i["name"] for i in listed(api, sorters="name")]
    assert names == sorted(names) and len(names) == 6
    assert [i["name"] for i in listed(api, sorters="-name")] == names[::-1]
    assert len(listed(api, sorters="due,-signed")) == 6
    page = api.call(
        "listIdentityCertifications",
        query={"sorters": "name", "limit": 2, "offset": 3, "count": "true"},
    )
    assert [i["name"] for i in page.json()] == names[3:5]
    assert page.headers["X-Total-Count"] == "6"
    assert "X-Total-Count" not in api.call("listIdentityCertifications").headers
    assert listed(api, limit=0) == []


def test_reviewer_identity_me_and_an_id(api):
    me = api.client.owner_ref()
    api.campaign_in(
        "ACTIVE",
        type="SEARCH",
        searchCampaignInfo={"identityIds": ["a"], "reviewer": {"id": me["id"], "type": "IDENTITY"}},
    )
    api.campaign_in("ACTIVE")
    assert [i["reviewer"]["id"] for i in listed(api, **{"reviewer-identity": "me"})] == [me["id"]]
    assert len(listed(api, **{"reviewer-identity": me["id"]})) == 1
    assert listed(api, **{"reviewer-identity": "nobody"}) == []


def test_reassign_with_ids_read_from_the_list_then_shows_the_reassignment(api, active):
    first, second, _ = listed(api, filters=f'campaign.id eq "{active["id"]}"', sorters="name")
    task = api.ok(
        "move",
        id=active["id"],
        body={
            "certificationIds": [first["id"]],
            "reassignTo": {"id": "new-reviewer", "type": "IDENTITY"},
            "reason": "on leave",
        },
    )
    assert task["reassignmentTrailDTOs"][0]["previousOwner"] == first["reviewer"]["id"]
    moved = listed(api, filters=f'id eq "{first["id"]}"')[0]
    assert moved["reviewer"]["id"] == "new-reviewer"
    assert moved["reassignment"]["comment"] == "on leave"
    assert moved["reassignment"]["from"]["reviewer"] == first["reviewer"]
    assert moved["reassignment"]["from"]["type"] == "CERTIFICATION"
    assert listed(api, filters=f'id eq "{second["id"]}"')[0] == second


def test_completion_signs_every_certification(api, active):
    api.advance_clock(60 * 86400)
    api.ok("completeCampaign", id=active["id"], body={"autoCompleteAction": "REVOKE"})
    api.ok("getCampaign", id=active["id"])  # let COMPLETING settle
    items = listed(api)
    assert {(i["phase"], i["completed"], i["decisionsMade"]) for i in items} == {
        ("SIGNED", True, 1)
    }
    assert all(i["signed"] for i in items)
    assert len(listed(api, filters="completed eq true")) == 3


def test_deleting_the_campaign_removes_its_certifications(api, active):
    api.ok("deleteCampaigns", body={"ids": [active["id"]]})
    assert listed(api) == []


def test_authorities_as_for_the_campaign_list(http, active):
    for authority, status in (("REPORT_ADMIN", 200), ("CERT_ADMIN", 200), ("HELPDESK", 403)):
        client = make_client(f"c-{authority}", "s", [authority])
        http.app.state.emulator.tokens.register(client)
        assert Api(http, client).call("listIdentityCertifications").status_code == status
    assert Api(http).call("listIdentityCertifications", token=None).status_code == 401


def test_tenants_see_only_their_own_certifications(http, active):
    other = make_client("other", "s", tenant="other")
    http.app.state.emulator.tokens.register(other)
    assert Api(http, other).ok("listIdentityCertifications") == []


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_the_list_is_read_only(api, active, method):
    response = api.http.request(
        method, "/v3/certifications", headers={"Authorization": f"Bearer {api.token}"}
    )
    assert response.status_code == 405 and response.headers["Allow"] == "GET"
    assert len(listed(api)) == 3


def test_one_certification_is_served_as_the_list_shows_it(api, active):
    """getIdentityCertification: what real integrations call after listing (the vendor's
    published description); every answer is checked against spec/."""
    for item in listed(api):
        assert api.ok("getIdentityCertification", id=item["id"]) == item
    missing = api.call("getIdentityCertification", id="no-such-certification")
    assert missing.status_code == 404 and "no-such-certification" in missing.text


def test_one_certification_needs_org_or_cert_admin(http, active):
    some_id = Api(http).ok("listIdentityCertifications")[0]["id"]
    for authority, status in (("CERT_ADMIN", 200), ("REPORT_ADMIN", 403), ("HELPDESK", 403)):
        client = make_client(f"c-{authority}", "s", [authority])
        http.app.state.emulator.tokens.register(client)
        assert Api(http, client).call("getIdentityCertification", id=some_id).status_code == status
    assert Api(http).call("getIdentityCertification", id=some_id, token=None).status_code == 401


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_one_certification_is_read_only(api, active, method):
    some_id = listed(api)[0]["id"]
    response = api.http.request(
        method, f"/v3/certifications/{some_id}", headers={"Authorization": f"Bearer {api.token}"}
    )
    assert response.status_code == 405 and response.headers["Allow"] == "GET"
