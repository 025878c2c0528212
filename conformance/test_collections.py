"""Collection semantics of the two list operations: filters, sorters, paging, count, detail.

Every check looks only at objects this module created (a name filter on the run prefix and a
scope of its own), so a tenant's own campaigns and templates never influence a verdict.
"""

from __future__ import annotations

import secrets

import pytest

import spec
from conformance.rules import expect
from conformance.suite_api import SuiteApi

NAMES = ["delta", "alpha", "charlie", "bravo", "alpha two"]


def _parameter(operation_id: str, name: str) -> dict:
    _, _, operation = spec.operation_by_id(operation_id)
    return next(p for p in operation["parameters"] if spec.deref(p).get("name") == name)


FILTERABLE = {
    op: _parameter(op, "filters")["x-filterable"]
    for op in ("getActiveCampaigns", "getCampaignTemplates")
}
SORTABLE = {
    op: _parameter(op, "sorters")["x-sortable"]
    for op in ("getActiveCampaigns", "getCampaignTemplates")
}


@pytest.fixture(scope="module")
def seeded(suite_api: SuiteApi, pytestconfig) -> dict[str, list[dict]]:
    if pytestconfig.getoption("--read-only"):
        pytest.skip("read-only run: collection checks need objects of their own")
    # A scope of its own inside the run: other tests' objects share the run prefix.
    scope = f"collections-{secrets.token_hex(2)} "
    campaigns = [suite_api.create_campaign(name=scope + name) for name in NAMES]
    templates = []
    for name in NAMES:
        templates.append(
            suite_api.ok(
                "createCampaignTemplate",
                body={
                    "name": suite_api.ledger.name(scope + name),
                    "description": "conformance",
                    "campaign": {"name": name, "description": "d", "type": "MANAGER"},
                },
            )
        )
    suite_api.ok(
        "patchCampaignTemplate",
        id=templates[0]["id"],
        body=[{"op": "replace", "path": "/description", "value": "modified"}],
    )
    for campaign in campaigns:
        suite_api.wait_for_status(campaign["id"], {"STAGED"}, {"PENDING"})
    suite_api.collection_scope = suite_api.ledger.name(scope)
    return {"getActiveCampaigns": campaigns, "getCampaignTemplates": templates}


def own(suite_api: SuiteApi, extra: str | None = None) -> str:
    """A filter restricting results to this module's objects, optionally and-ed with `extra`."""
    mine = f'name sw "{suite_api.collection_scope}"'
    return f"{mine} and ({extra})" if extra else mine


def listing(suite_api, operation_id, **query) -> list[dict]:
    response = suite_api.call(operation_id, query=query)
    expect(
        response.status_code == 200,
        "filters",
        response,
    )
    return response.json()


def short(item: dict, prefix: str) -> str:
    return item["name"].removeprefix(prefix)


OPERATIONS = ["getActiveCampaigns", "getCampaignTemplates"]


@pytest.mark.rules("filters")
@pytest.mark.parametrize("operation_id", OPERATIONS)
def test_each_documented_filter_returns_only_matching_items(suite_api, seeded, operation_id):
    # Current representations: statuses have moved on since the create responses.
    items = listing(suite_api, operation_id, filters=own(suite_api), sorters="name")
    target = items[1]
    prefix = suite_api.collection_scope
    cases = {
        ("name", "eq"): (f'name eq "{target["name"]}"', lambda i: i["name"] == target["name"]),
        ("name", "sw"): (
            f'name sw "{prefix}alpha"',
            lambda i: short(i, prefix).startswith("alpha"),
        ),
        ("id", "eq"): (f'id eq "{target["id"]}"', lambda i: i["id"] == target["id"]),
        ("id", "in"): (
            f'id in ("{items[0]["id"]}","{items[2]["id"]}")',
            lambda i: i["id"] in (items[0]["id"], items[2]["id"]),
        ),
        ("name", "ne"): (f'name ne "{target["name"]}"', lambda i: i["name"] != target["name"]),
        ("name", "gt"): (f'name gt "{prefix}bravo"', lambda i: i["name"] > prefix + "bravo"),
        ("name", "ge"): (f'name ge "{prefix}bravo"', lambda i: i["name"] >= prefix + "bravo"),
        ("name", "lt"): (f'name lt "{prefix}bravo"', lambda i: i["name"] < prefix + "bravo"),
        ("name", "le"): (f'name le "{prefix}bravo"', lambda i: i["name"] <= prefix + "bravo"),
        ("name", "in"): (
            f'name in ("{items[3]["name"]}")',
            lambda i: i["name"] == items[3]["name"],
        ),
        ("status", "eq"): ('status eq "STAGED"', lambda i: i.get("status") == "STAGED"),
        ("status", "in"): (
            'status in ("STAGED","ACTIVE")',
            lambda i: i.get("status") in ("STAGED", "ACTIVE"),
        ),
    }
    checked = 0
    for field, operators in FILTERABLE[operation_id].items():
        for operator in operators:
            if (field, operator) not in cases:
                continue
            expression, matches = cases[(field, operator)]
            found = listing(suite_api, operation_id, filters=own(suite_api, expression))
            wanted = sorted(i["id"] for i in items if matches(i))
            expect(
                sorted(i["id"] for i in found) == wanted,
                "filters",
                f"answered {[short(i, prefix) for i in found]} for {expression}",
            )
            checked += 1
    assert checked >= 5


UNDOCUMENTED = {
    "getActiveCampaigns": ['type eq "MANAGER"', 'name co "a"', 'name gt "a"', 'id sw "2"'],
    "getCampaignTemplates": ['description eq "x"', 'name co "a"', "name pr"],
}
MALFORMED = [
    'name eq "unterminated',
    '(name eq "a"',
    'name EQ "a"',
    "name eq alpha",
    'name eq "a" and',
]


@pytest.mark.rules("filters")
@pytest.mark.parametrize("operation_id", OPERATIONS)
def test_undocumented_fields_operators_and_bad_syntax_are_400(suite_api, operation_id):
    for expression in UNDOCUMENTED[operation_id] + MALFORMED:
        response = suite_api.call(operation_id, query={"filters": expression})
        expect(
            response.status_code == 400,
            "filters",
            f"answered {response.status_code} to filters={expression!r}",
        )


@pytest.mark.rules("sorters")
@pytest.mark.parametrize("operation_id", OPERATIONS)
def test_sorters_ascending_descending_and_multi_key(suite_api, seeded, operation_id):
    prefix = suite_api.collection_scope
    for sorters in SORTABLE[operation_id]:
        for descending in (False, True):
            text = ("-" if descending else "") + sorters
            found = listing(suite_api, operation_id, filters=own(suite_api), sorters=text)
            keys = [i.get(sorters) for i in found]
            present = [k for k in keys if k is not None]
            ordered = sorted(present, reverse=descending)
            expect(
                present == ordered,
                "sorters",
                f"answered {sorters} in order {present}",
            )
    found = listing(suite_api, operation_id, filters=own(suite_api), sorters="name,-created")
    names = [short(i, prefix) for i in found]
    expect(
        names == sorted(names),
        "sorters",
        f"sorters=name,-created gave {names}",
    )
    for bad in ("description", "name,name", "-", "status"):
        if bad in SORTABLE[operation_id]:
            continue
        response = suite_api.call(operation_id, query={"sorters": bad})
        expect(
            response.status_code == 400,
            "sorters",
            f"answered {response.status_code} to sorters={bad!r}",
        )


@pytest.mark.rules("paging")
@pytest.mark.parametrize("operation_id", OPERATIONS)
def test_pages_concatenate_without_gaps_or_duplicates(suite_api, seeded, operation_id):
    whole = listing(suite_api, operation_id, filters=own(suite_api), sorters="name")
    for size in (1, 2, 3):
        pages: list[dict] = []
        for offset in range(0, len(whole) + size, size):
            pages += listing(
                suite_api,
                operation_id,
                filters=own(suite_api),
                sorters="name",
                limit=size,
                offset=offset,
            )
        expect(
            [i["id"] for i in pages] == [i["id"] for i in whole],
            "paging",
            f"pages of {size} gave {len(pages)} items, the whole list has {len(whole)}",
        )


@pytest.mark.rules("count", "limit")
@pytest.mark.parametrize("operation_id", OPERATIONS)
def test_count_is_the_filtered_total_and_limit_is_bounded(suite_api, seeded, operation_id):
    response = suite_api.call(
        operation_id, query={"filters": own(suite_api), "limit": 2, "count": "true"}
    )
    total = response.headers.get("X-Total-Count")
    expect(
        total == str(len(seeded[operation_id])),
        "count",
        f"answered X-Total-Count={total} for {len(seeded[operation_id])} matching items",
    )
    narrowed = suite_api.call(
        operation_id,
        query={
            "filters": own(suite_api, f'name eq "{seeded[operation_id][0]["name"]}"'),
            "count": "true",
        },
    )
    expect(
        narrowed.headers.get("X-Total-Count") == "1",
        "count",
        f"answered X-Total-Count={narrowed.headers.get('X-Total-Count')} for one match",
    )
    for limit in (251, -1):
        refused = suite_api.call(operation_id, query={"limit": limit})
        expect(
            refused.status_code == 400, "limit", f"answered {refused.status_code} to limit={limit}"
        )


@pytest.mark.rules("detail")
def test_slim_is_the_default_and_full_adds_the_campaign_fields(suite_api, seeded):
    slim_fields = set(spec.resolve("#/components/schemas/SlimCampaign")["properties"])
    slim = listing(suite_api, "getActiveCampaigns", filters=own(suite_api))
    full = listing(suite_api, "getActiveCampaigns", filters=own(suite_api), detail="FULL")
    extra = {key for item in slim for key in item} - slim_fields
    expect(not extra, "detail", f"the default (slim) list carried {sorted(extra)}")
    expect(
        any("sunsetCommentsRequired" in item for item in full),
        "detail",
        "detail=FULL carried no field beyond the slim ones",
    )
    one = seeded["getActiveCampaigns"][0]["id"]
    single = suite_api.ok("getCampaign", id=one)
    expect(
        set(single) <= slim_fields,
        "detail",
        f"getCampaign's default carried {sorted(set(single) - slim_fields)}",
    )
