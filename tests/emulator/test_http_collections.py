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
    ("filters", "expected"),
    [
        ('name eq "alpha"', ["alpha"]),
        ('name sw "b"', ["bravo"]),
        ('status eq "ACTIVE"', ["delta"]),
        ('status in ("STAGED")', ["alpha", "charlie", "bravo"]),
        ('name sw "a" or name eq "bravo"', ["alpha", "bravo"]),
        ('not (status eq "STAGED")', ["delta"]),
    ],
)
def test_campaign_filters_return_only_matching_items(api, campaigns, filters, expected):
    assert names(api.ok("getActiveCampaigns", query={"filters": filters})) == expected


def test_id_filters(api, campaigns):
    ids = [campaigns[1]["id"], campaigns[2]["id"]]
    found = api.ok("getActiveCampaigns", query={"filters": f'id in ("{ids[0]}","{ids[1]}")'})
    assert [c["id"] for c in found] == ids
    found = api.ok("getActiveCampaigns", query={"filters": f'id eq "{ids[0]}"'})
    assert [c["id"] for c in found] == ids[:1]


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


@pytest.mark.parametrize(
    ("sorters", "expected"),
    [
        ("name", ["alpha", "bravo", "charlie", "delta"]),
        ("-name", ["delta", "charlie", "bravo", "alpha"]),
        ("created", ["delta", "alpha", "charlie", "bravo"]),
        ("-created", ["bravo", "charlie", "alpha", "delta"]),
    ],
)
def test_campaign_sorters(api, campaigns, sorters, expected):
    assert names(api.ok("getActiveCampaigns", query={"sorters": sorters})) == expected


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


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ('name eq "alpha"', ["alpha"]),
        ('name ne "alpha"', ["beta", "gamma"]),
        ('name gt "alpha"', ["beta", "gamma"]),
        ('name ge "beta"', ["beta", "gamma"]),
        ('name lt "beta"', ["alpha"]),
        ('name le "beta"', ["beta", "alpha"]),
        ('name in ("gamma","alpha")', ["alpha", "gamma"]),
        ('name sw "g"', ["gamma"]),
    ],
)
def test_template_filters(api, templates, filters, expected):
    found = api.ok("getCampaignTemplates", query={"filters": filters})
    assert sorted(names(found)) == sorted(expected)


@pytest.mark.parametrize("filters", ['description eq "d"', 'name co "a"', "id pr"])
def test_undocumented_template_filters_are_400(api, templates, filters):
    assert api.call("getCampaignTemplates", query={"filters": filters}).status_code == 400


def test_template_sorters_name_created_modified(api, templates):
    assert names(api.ok("getCampaignTemplates", query={"sorters": "-name"})) == [
        "gamma",
        "beta",
        "alpha",
    ]
    assert names(api.ok("getCampaignTemplates", query={"sorters": "created"})) == [
        "beta",
        "alpha",
        "gamma",
    ]
    # Never-modified templates have modified=null, which sorts first.
    assert names(api.ok("getCampaignTemplates", query={"sorters": "modified,name"})) == [
        "alpha",
        "beta",
        "gamma",
    ]
    response = api.call("getCampaignTemplates", query={"count": "true", "limit": 1})
    assert response.headers["X-Total-Count"] == "3"
