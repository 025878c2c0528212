"""List operations: documented filters, sorters, paging, count and detail; nothing else."""

from __future__ import annotations

import pytest


@pytest.fixture
def campaigns(api):
    made = [api.create_campaign(name=name) for name in ("delta", "alpha", "charlie", "bravo")]
    api.ok("startCampaign", id=made[0]["id"])
    return made


def names(items):
    return [item["name"] for item in items]


@pytest.mark.parametrize(
    "filters",
    [
        'name co "a"',
        'type eq "MANAGER"',
        'name gt "a"',
        'status sw "A"',
        'name EQ "a"',
        "name eq alpha",
        '(name eq "a"',
        'name eq "a" and',
        "",
    ],
)
def test_undocumented_or_malformed_campaign_filters_are_400(api, campaigns, filters):
    response = api.call("getActiveCampaigns", query={"filters": filters})
    assert response.status_code == 400
    assert "filters" in response.json()["causes"][0]["text"]


@pytest.mark.parametrize("sorters", ["status", "name,name", "name,", "+name", "modified"])
def test_undocumented_campaign_sorters_are_400(api, campaigns, sorters):
    assert api.call("getActiveCampaigns", query={"sorters": sorters}).status_code == 400


def test_pages_concatenate_to_the_whole_list_and_count_ignores_paging(api, campaigns):
    whole = api.ok("getActiveCampaigns", query={"sorters": "name"})
    pages = []
    for offset in range(0, 5, 2):
        response = api.call(
            "getActiveCampaigns",
            query={"sorters": "name", "limit": 2, "offset": offset, "count": "true"},
        )
        assert response.headers["X-Total-Count"] == "4"
        pages += response.json()
    assert pages == whole
    filtered = api.call(
        "getActiveCampaigns", query={"filters": 'status eq "STAGED"', "limit": 1, "count": "true"}
    )
    assert filtered.headers["X-Total-Count"] == "3"
    assert len(filtered.json()) == 1
    assert "X-Total-Count" not in api.call("getActiveCampaigns").headers


@pytest.mark.parametrize(
    "query",
    [
        {"limit": 251},
        {"limit": -1},
        {"offset": -1},
        {"limit": "ten"},
        {"count": "yes"},
        {"detail": "MEDIUM"},
    ],
)
def test_out_of_range_collection_parameters_are_400(api, query):
    response = api.call("getActiveCampaigns", query=query)
    assert response.status_code == 400
    assert next(iter(query)) in response.json()["causes"][0]["text"]


def test_detail_slim_is_the_default_and_full_adds_fields(api, campaigns):
    slim = api.ok("getActiveCampaigns")[0]
    full = api.ok("getActiveCampaigns", query={"detail": "FULL"})[0]
    assert "sunsetCommentsRequired" not in slim and "modified" not in slim
    assert full["sunsetCommentsRequired"] is True and "modified" in full
    assert {k: v for k, v in full.items() if k in slim} == slim
    single = api.ok("getCampaign", id=slim["id"], query={"detail": "FULL"})
    assert single == full


@pytest.fixture
def templates(api):
    made = []
    for name in ("beta", "alpha", "gamma"):
        made.append(
            api.ok(
                "createCampaignTemplate",
                body={
                    "name": name,
                    "description": "d",
                    "campaign": {"name": name, "description": "d", "type": "MANAGER"},
                },
            )
        )
    api.ok(
        "patchCampaignTemplate",
        id=made[2]["id"],
        body=[{"op": "replace", "path": "/description", "value": "changed"}],
    )
    return made


@pytest.mark.parametrize("filters", ['description eq "d"', 'name co "a"', "id pr"])
def test_undocumented_template_filters_are_400(api, templates, filters):
    assert api.call("getCampaignTemplates", query={"filters": filters}).status_code == 400
