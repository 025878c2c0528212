"""Collection semantics of the two list operations: filters, sorters, paging, count, detail.

The module seeds objects of its own with mixed data: campaigns in several statuses (STAGED,
ACTIVE, and COMPLETED where the emulator's clock allows), two objects with the same name so a
second sort key decides, templates with and without `modified`. Each filter and sorter comes
with an oracle (`strategies/collection_oracles.py`): a predicate or an order, judged over these
objects only (a name filter on the module's own prefix), so a tenant's own campaigns and
templates never influence a verdict. Every documented (field, operator) pair and sort field
is checked on every run; hypothesis then varies nested filters, multi-key sorters and pages.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

import spec
from conformance.judging.rules import expect
from conformance.scenario.suite_api import SuiteApi
from strategies import invalid_filter_expressions, invalid_sorters, sorters
from strategies.collection_oracles import Filter, every_documented_leaf, filters, misordered
from strategies.spec_facts import filterable, sortable

NAMES = ["delta", "alpha", "charlie", "bravo", "alpha"]  # "alpha" twice: equal primary keys
OPERATIONS = ["getActiveCampaigns", "getCampaignTemplates"]
FILTERABLE = {op: filterable(op) for op in OPERATIONS}
SORTABLE = {op: sortable(op) for op in OPERATIONS}


def _deadline(target, days: int) -> str:
    now = target.control.now() if target.control else datetime.now(UTC)
    return (now + timedelta(days=days)).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@pytest.fixture(scope="module")
def seeded(suite_api: SuiteApi, target, run_options) -> dict[str, list[dict]]:
    """operation id -> this module's objects, as the list answers them (the universe every
    oracle judges over)."""
    if run_options.read_only:
        pytest.skip("read-only run: collection checks need objects of their own")
    # A scope of its own inside the run: other tests' objects share the run prefix.
    scope = suite_api.ledger.name(f"collections-{secrets.token_hex(2)} ")
    suite_api.collection_scope = scope
    campaigns = [
        suite_api.create_campaign(name=scope + name, deadline=_deadline(target, 30))["id"]
        for name in NAMES
    ]
    templates = [
        suite_api.ok(
            "createCampaignTemplate",
            body={
                "name": scope + name,
                "description": "conformance",
                "campaign": {"name": name, "description": "d", "type": "MANAGER"},
            },
        )["id"]
        for name in NAMES
    ]
    suite_api.ok(  # one template with `modified`, the others without
        "patchCampaignTemplate",
        id=templates[1],
        body=[{"op": "replace", "path": "/description", "value": "modified"}],
    )
    for campaign in campaigns:
        suite_api.wait_for_status(campaign, {"STAGED"}, {"PENDING"})
    for campaign in campaigns[2:4]:  # charlie and bravo become ACTIVE
        suite_api.ok("startCampaign", id=campaign)
        suite_api.wait_for_status(campaign, {"ACTIVE"}, {"STAGED", "ACTIVATING"})
    if target.control is not None:  # bravo then COMPLETED: it must be past due first
        target.control.advance_clock(31 * 86400)
        suite_api.ok("completeCampaign", id=campaigns[3])
        suite_api.wait_for_status(campaigns[3], {"COMPLETED"}, {"ACTIVE", "COMPLETING"})
    suite_api.collection_created = {
        "getActiveCampaigns": campaigns,
        "getCampaignTemplates": templates,
    }
    return {
        operation_id: listing(suite_api, operation_id, filters=own(suite_api))
        for operation_id in OPERATIONS
    }


def own(suite_api: SuiteApi, extra: str | None = None) -> str:
    """A filter restricting results to this module's objects, optionally and-ed with `extra`."""
    mine = f'name sw "{suite_api.collection_scope}"'
    return f"{mine} and ({extra})" if extra else mine


def listing(suite_api: SuiteApi, operation_id: str, **query) -> list[dict]:
    response = suite_api.call(operation_id, query=query)
    rule = "sorters" if "sorters" in query and "filters" not in query else "filters"
    expect(response.status_code == 200, rule, response)
    return response.json()


def short(items: list[dict], prefix: str) -> list[str]:
    return [item["name"].removeprefix(prefix) for item in items]


def check_filter(suite_api: SuiteApi, operation_id: str, universe: list[dict], chosen: Filter):
    found = listing(suite_api, operation_id, filters=own(suite_api, chosen.text))
    wanted = sorted(item["id"] for item in universe if chosen.matches(item))
    prefix = suite_api.collection_scope
    expect(
        sorted(item["id"] for item in found) == wanted,
        "filters",
        f"answered {short(found, prefix)} for {chosen.text}; the objects matching it are "
        f"{short([i for i in universe if chosen.matches(i)], prefix)}",
    )


@pytest.mark.rules("filters")
@pytest.mark.parametrize("operation_id", OPERATIONS)
def test_each_documented_filter_returns_only_matching_items(suite_api, seeded, operation_id):
    universe = seeded[operation_id]
    leaves = every_documented_leaf(FILTERABLE[operation_id], universe)
    pairs = {(leaf.text.split()[0], leaf.text.split()[1]) for leaf in leaves}
    documented = {(f, op) for f, ops in FILTERABLE[operation_id].items() for op in ops}
    assert pairs == documented, sorted(documented - pairs)  # every pair, no silent skip
    for chosen in leaves:
        check_filter(suite_api, operation_id, universe, chosen)
    # Nested composites, and precedence without parentheses: not > and > or.
    a, b, c = leaves[0], leaves[-1], leaves[len(leaves) // 2]
    check_filter(suite_api, operation_id, universe, (a & ~b) | c)
    check_filter(
        suite_api,
        operation_id,
        universe,
        Filter(
            f"{a.text} or {b.text} and {c.text}",
            lambda i: a.matches(i) or (b.matches(i) and c.matches(i)),
        ),
    )


@pytest.mark.rules("filters", drawn=True)
@pytest.mark.parametrize("operation_id", OPERATIONS)
def test_generated_filters_match_their_oracle(suite_api, seeded, operation_id):
    universe = seeded[operation_id]

    @given(chosen=filters(FILTERABLE[operation_id], universe))
    def check(chosen):
        check_filter(suite_api, operation_id, universe, chosen)

    check()


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

    @given(invalid=invalid_filter_expressions(FILTERABLE[operation_id]))
    def generated(invalid):
        expression, kind = invalid
        response = suite_api.call(operation_id, query={"filters": expression})
        expect(
            response.status_code == 400,
            "filters",
            f"answered {response.status_code} to filters={expression!r} ({kind})",
        )

    generated()


def check_order(suite_api: SuiteApi, operation_id: str, universe: list[dict], text: str) -> None:
    found = listing(suite_api, operation_id, filters=own(suite_api), sorters=text)
    expect(
        sorted(i["id"] for i in found) == sorted(i["id"] for i in universe),
        "sorters",
        f"sorters={text} changed which objects are listed",
    )
    wrong = misordered(found, text)
    shown = ("name", *SORTABLE[operation_id])
    expect(
        wrong is None,
        "sorters",
        f"sorters={text} listed {[{k: w.get(k) for k in shown} for w in wrong or ()]} in "
        "this order",
    )


@pytest.mark.rules("sorters")
@pytest.mark.parametrize("operation_id", OPERATIONS)
def test_sorters_ascending_descending_and_multi_key(suite_api, seeded, operation_id):
    universe = seeded[operation_id]
    for field in SORTABLE[operation_id]:
        for text in (field, f"-{field}"):
            check_order(suite_api, operation_id, universe, text)
    # Two objects share the name "alpha": the second key decides their order.
    for text in ("name,-created", "-name,created"):
        check_order(suite_api, operation_id, universe, text)
    for bad in ("description", "name,name", "-", "status"):
        if bad in SORTABLE[operation_id]:
            continue
        response = suite_api.call(operation_id, query={"sorters": bad})
        expect(
            response.status_code == 400,
            "sorters",
            f"answered {response.status_code} to sorters={bad!r}",
        )


@pytest.mark.rules("sorters", drawn=True)
@pytest.mark.parametrize("operation_id", OPERATIONS)
def test_generated_sorters_order_as_their_oracle(suite_api, seeded, operation_id):
    universe = seeded[operation_id]

    @given(text=sorters(SORTABLE[operation_id]), invalid=invalid_sorters(SORTABLE[operation_id]))
    def check(text, invalid):
        check_order(suite_api, operation_id, universe, text)
        bad, kind = invalid
        response = suite_api.call(operation_id, query={"sorters": bad})
        expect(
            response.status_code == 400,
            "sorters",
            f"answered {response.status_code} to sorters={bad!r} ({kind})",
        )

    check()


@pytest.mark.rules("paging")
@pytest.mark.parametrize("operation_id", OPERATIONS)
def test_pages_concatenate_without_gaps_or_duplicates(suite_api, seeded, operation_id):
    whole = listing(suite_api, operation_id, filters=own(suite_api), sorters="name,created")
    created = suite_api.collection_created[operation_id]
    expect(
        sorted(i["id"] for i in whole) == sorted(created),
        "paging",
        f"the unpaged list (offset 0, the default limit) has {len(whole)} objects; the module "
        f"created {len(created)}, all matching the filter",
    )

    def page(limit: int, offset: int) -> list[dict]:
        return listing(
            suite_api,
            operation_id,
            filters=own(suite_api),
            sorters="name,created",
            limit=limit,
            offset=offset,
        )

    for size in (2, 3):
        pages: list[dict] = []
        for offset in range(0, len(whole) + size, size):
            pages += page(size, offset)
        expect(
            [i["id"] for i in pages] == [i["id"] for i in whole],
            "paging",
            f"pages of {size} gave {len(pages)} items, the whole list has {len(whole)}",
        )

    @given(limit=st.integers(0, len(whole) + 1), offset=st.integers(0, len(whole) + 1))
    def generated(limit, offset):
        got = [i["id"] for i in page(limit, offset)]
        wanted = [i["id"] for i in whole[offset : offset + limit]]
        expect(got == wanted, "paging", f"limit={limit} offset={offset} gave {len(got)} items")

    generated()


@pytest.mark.rules("count", "limit")
@pytest.mark.parametrize("operation_id", OPERATIONS)
def test_count_is_the_filtered_total_and_limit_is_bounded(suite_api, seeded, operation_id):
    universe = seeded[operation_id]
    response = suite_api.call(
        operation_id, query={"filters": own(suite_api), "limit": 2, "count": "true"}
    )
    total = response.headers.get("X-Total-Count")
    expect(
        total == str(len(universe)),
        "count",
        f"answered X-Total-Count={total} for {len(universe)} matching items",
    )
    expect(len(response.json()) == 2, "limit", f"limit=2 listed {len(response.json())} items")
    narrowed = suite_api.call(
        operation_id,
        query={"filters": own(suite_api, f'id eq "{universe[0]["id"]}"'), "count": "true"},
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
