"""Tests for the V3 collection parameters: sorters, paging and the combined query."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from emulator.domain.collection_query import (
    CollectionParams,
    QueryError,
    SortKey,
    page,
    parse_sorters,
    run_collection_query,
    sort_items,
)

CAMPAIGN_FILTERS = {
    "id": frozenset({"eq", "in"}),
    "name": frozenset({"eq", "sw"}),
    "status": frozenset({"eq", "in"}),
}


# --- sorters ------------------------------------------------------------------------------


def test_parse_sorters() -> None:
    assert parse_sorters(" name , -created", frozenset({"name", "created"})) == [
        SortKey("name"),
        SortKey("created", descending=True),
    ]


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "empty"),
        ("name,", "empty"),
        ("name,,created", "empty"),
        ("-", "empty"),
        ("owner", "'owner'"),
        ("name,-name", "more than once"),
        ("Name", "'Name'"),
    ],
)
def test_bad_sorters(text: str, fragment: str) -> None:
    with pytest.raises(QueryError) as info:
        parse_sorters(text, frozenset({"name", "created"}))
    assert info.value.parameter == "sorters"
    assert fragment in info.value.message


def test_sort_multi_key_and_none_first() -> None:
    items = [
        {"id": 1, "name": "b", "n": 2},
        {"id": 2, "name": None, "n": 1},
        {"id": 3, "name": "a", "n": 1},
        {"id": 4, "n": 2},
        {"id": 5, "name": "a", "n": 2},
    ]
    ascending = sort_items(items, [SortKey("name")])
    assert [i["id"] for i in ascending] == [2, 4, 3, 5, 1]
    mixed = sort_items(items, [SortKey("n", descending=True), SortKey("name")])
    assert [i["id"] for i in mixed] == [4, 5, 1, 2, 3]
    descending = sort_items(items, [SortKey("name", descending=True)])
    assert [i["id"] for i in descending] == [1, 3, 5, 2, 4]


def test_sort_by_dotted_field_is_case_sensitive() -> None:
    items = [{"c": {"name": "b"}}, {"c": {"name": "B"}}, {"c": {"name": "a"}}]
    ordered = sort_items(items, [SortKey("c.name")])
    assert [i["c"]["name"] for i in ordered] == ["B", "a", "b"]


# --- paging -------------------------------------------------------------------------------


def test_page_defaults_and_bounds() -> None:
    items = list(range(300))
    assert page(items) == list(range(250))
    assert page(items, 250, 290) == list(range(290, 300))
    assert page(items, 0, 0) == []
    assert page(items, 5, 1000) == []


@pytest.mark.parametrize(
    ("limit", "offset", "parameter"),
    [(251, 0, "limit"), (-1, 0, "limit"), (True, 0, "limit"), (10, -1, "offset")],
)
def test_bad_paging(limit: int, offset: int, parameter: str) -> None:
    with pytest.raises(QueryError) as info:
        page([1, 2, 3], limit, offset)
    assert info.value.parameter == parameter
    assert parameter in info.value.message


def test_run_collection_query_reports_filtered_total() -> None:
    campaigns = [{"id": str(i), "name": f"C{i:02d}", "status": "ACTIVE"} for i in range(30)]
    campaigns[3]["status"] = "STAGED"
    result, total = run_collection_query(
        campaigns,
        CollectionParams(filters='status eq "ACTIVE"', sorters="-name", limit=5, offset=2),
        filter_fields=CAMPAIGN_FILTERS,
        sort_fields=frozenset({"name"}),
    )
    assert total == 29
    assert [c["name"] for c in result] == ["C27", "C26", "C25", "C24", "C23"]


def test_run_collection_query_without_filters_or_sorters_keeps_order() -> None:
    items = [{"id": "b"}, {"id": "a"}]
    assert run_collection_query(
        items, CollectionParams(), filter_fields={}, sort_fields=frozenset()
    ) == (items, 2)


@pytest.mark.parametrize(
    ("kwargs", "parameter"),
    [
        ({"filters": 'owner eq "x"'}, "filters"),
        ({"filters": 'name co "x"'}, "filters"),
        ({"sorters": "owner"}, "sorters"),
        ({"limit": 251}, "limit"),
        ({"offset": -5}, "offset"),
    ],
)
def test_run_collection_query_validates_parameters(kwargs: dict[str, Any], parameter: str) -> None:
    params = CollectionParams(**kwargs)
    with pytest.raises(QueryError) as info:
        run_collection_query(
            [], params, filter_fields=CAMPAIGN_FILTERS, sort_fields=frozenset({"name"})
        )
    assert info.value.parameter == parameter


# --- properties ---------------------------------------------------------------------------
SORT_ITEMS = st.lists(
    st.fixed_dictionaries(
        {"id": st.integers()},
        optional={"k": st.one_of(st.none(), st.integers(-3, 3), st.text(max_size=2))},
    ),
    max_size=20,
)


@given(SORT_ITEMS, st.booleans())
def test_sort_is_an_ordered_permutation(items: list[dict[str, Any]], descending: bool) -> None:
    result = sort_items(items, [SortKey("k", descending)])
    assert sorted(map(repr, result)) == sorted(map(repr, items))

    def rank(item: dict[str, Any]) -> tuple[int, Any]:
        value = item.get("k")
        if value is None:
            return (0, 0)
        return (1, value) if isinstance(value, int) else (2, value)

    ranks = [rank(i) for i in result]
    assert ranks == sorted(ranks, reverse=descending)


@given(SORT_ITEMS, st.booleans())
def test_sort_is_stable(items: list[dict[str, Any]], descending: bool) -> None:
    numbered = [{**item, "id": position} for position, item in enumerate(items)]
    result = sort_items(numbered, [SortKey("k", descending)])
    for earlier, later in itertools.pairwise(result):
        if repr(earlier.get("k")) == repr(later.get("k")):
            assert earlier["id"] < later["id"]


@given(st.lists(st.integers(), max_size=60), st.integers(min_value=1, max_value=250))
def test_pages_concatenate_to_the_full_list(items: list[int], limit: int) -> None:
    pages = [page(items, limit, offset) for offset in range(0, len(items) + 1, limit)]
    assert [x for p in pages for x in p] == items
    assert all(len(p) <= limit for p in pages)
