"""The collection oracles decide as the grammar says, checked on hand-made objects."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from strategies.collection_oracles import (
    OPERATOR_ORACLES,
    Filter,
    every_documented_leaf,
    filters,
    leaf,
    misordered,
)
from strategies.collection_params import PRIMITIVE_OPERATORS
from strategies.spec_facts import filterable

ITEMS = [
    {"id": "a1", "name": "run alpha", "status": "STAGED"},
    {"id": "b2", "name": "run bravo", "status": "ACTIVE"},
    {"id": "c3", "name": "run alpha", "status": "COMPLETED"},
]


def matching(chosen: Filter) -> list[str]:
    return [item["id"] for item in ITEMS if chosen.matches(item)]


def test_every_primitive_operator_has_an_oracle() -> None:
    assert sorted(OPERATOR_ORACLES) == sorted(PRIMITIVE_OPERATORS)


def test_leaves_select_as_documented() -> None:
    assert matching(leaf("name", "eq", ["run alpha"])) == ["a1", "c3"]
    assert matching(leaf("name", "ne", ["run alpha"])) == ["b2"]
    assert matching(leaf("name", "gt", ["run alpha"])) == ["b2"]
    assert matching(leaf("name", "le", ["run alpha"])) == ["a1", "c3"]
    assert matching(leaf("name", "sw", ["run b"])) == ["b2"]
    assert matching(leaf("status", "in", ["ACTIVE", "COMPLETED"])) == ["b2", "c3"]
    assert matching(leaf("missing", "isnull", [])) == ["a1", "b2", "c3"]
    assert matching(leaf("missing", "eq", ["x"])) == []
    assert leaf("name", "in", ["a", 'b"']).text == 'name in ("a","b\\"")'


def test_composites_are_parenthesised_and_combine_their_predicates() -> None:
    alpha, staged = leaf("name", "eq", ["run alpha"]), leaf("status", "eq", ["STAGED"])
    assert matching(alpha & ~staged) == ["c3"]
    assert matching(~alpha | staged) == ["a1", "b2"]
    assert (alpha & staged).text == '(name eq "run alpha") and (status eq "STAGED")'


def test_every_documented_pair_gets_a_leaf_that_splits_the_objects() -> None:
    allowed = filterable("getActiveCampaigns")
    leaves = every_documented_leaf(allowed, ITEMS)
    assert [tuple(f.text.split()[:2]) for f in leaves] == [
        (field, op) for field in sorted(allowed) for op in sorted(allowed[field])
    ]
    assert all(matching(f) for f in leaves)  # every literal is some object's value


@given(filters(filterable("getCampaignTemplates"), ITEMS))
def test_generated_filters_carry_a_predicate_that_decides_every_object(chosen: Filter) -> None:
    assert all(isinstance(chosen.matches(item), bool) for item in ITEMS)


def test_misordered_names_the_pair_a_sorter_puts_the_other_way_round() -> None:
    rows = [
        {"name": "a", "created": "2026-01-02T00:00:00Z"},
        {"name": "a", "created": "2026-01-01T00:00:00.000+00:00"},
        {"name": "b", "created": "2025-01-01T00:00:00Z"},
    ]
    assert misordered(rows, "name,-created") is None
    assert misordered(rows, "name,created") == (rows[0], rows[1])
    assert misordered(rows, "-name") == (rows[0], rows[2])
    assert misordered([{"name": "b"}, {"name": None}, {"name": "a"}], "name") is not None
    assert misordered([{"modified": None}, {"modified": "x"}], "modified") is None


@given(st.permutations(ITEMS))
def test_python_sorted_is_never_misordered(items) -> None:
    ordered = sorted(items, key=lambda i: (i["name"], i["id"]))
    assert misordered(ordered, "name,id") is None
    assert misordered(list(reversed(ordered)), "-name,-id") is None
