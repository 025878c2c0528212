"""Filters and sorters: valid ones parse and use only documented fields and operators
(per the emulator's parser); invalid ones fail for the kind of fault they name."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import spec
from emulator.domain import filter_ast as ast
from emulator.domain.collection_query import QueryError, parse_filter, parse_sorters
from emulator.domain.filter_expressions import check_filter_allowed
from strategies import collection_params as params

ENDPOINTS = [
    pytest.param(params.CAMPAIGN_FILTERS, params.CAMPAIGN_FILTER_VALUES, id="campaigns"),
    pytest.param(params.TEMPLATE_FILTERS, params.TEMPLATE_FILTER_VALUES, id="templates"),
    pytest.param(params.TEMPLATE_FILTERS, None, id="templates-any-string"),
]
SORTERS = [
    pytest.param(params.CAMPAIGN_SORTERS, id="campaigns"),
    pytest.param(params.TEMPLATE_SORTERS, id="templates"),
]


def primitives(node: ast.FilterNode) -> list[ast.Comparison | ast.ListComparison | ast.Presence]:
    match node:
        case ast.And(operands) | ast.Or(operands):
            return [p for operand in operands for p in primitives(operand)]
        case ast.Not(operand):
            return primitives(operand)
    return [node]


def as_sets(allowed):
    return {field: set(operators) for field, operators in allowed.items()}


def test_documented_fields_are_the_spec_extensions():
    raw = spec.load_spec()["paths"]
    campaigns = {p["name"]: p for p in raw["/campaigns"]["get"]["parameters"] if "name" in p}
    templates = {
        p["name"]: p for p in raw["/campaign-templates"]["get"]["parameters"] if "name" in p
    }
    assert as_sets(params.CAMPAIGN_FILTERS) == as_sets(campaigns["filters"]["x-filterable"])
    assert as_sets(params.TEMPLATE_FILTERS) == as_sets(templates["filters"]["x-filterable"])
    assert list(params.CAMPAIGN_SORTERS) == campaigns["sorters"]["x-sortable"]
    assert list(params.TEMPLATE_SORTERS) == templates["sorters"]["x-sortable"]


@pytest.mark.parametrize(("allowed", "values"), ENDPOINTS)
@settings(max_examples=60)
@given(data=st.data())
def test_filters_parse_and_use_only_documented_fields_and_operators(allowed, values, data):
    expression = data.draw(params.filter_expressions(allowed, values))
    tree = parse_filter(expression)
    check_filter_allowed(tree, as_sets(allowed))
    for primitive in primitives(tree):
        assert primitive.op in allowed[primitive.field]


@settings(max_examples=60)
@given(text=params.FILTER_STRINGS)
def test_quoted_strings_read_back_as_the_same_text(text):
    assert parse_filter(f"name eq {params.quoted(text)}") == ast.Comparison("name", "eq", text)


@pytest.mark.parametrize(("allowed", "values"), ENDPOINTS)
@settings(max_examples=80)
@given(data=st.data())
def test_invalid_filters_fail_for_the_kind_they_name(allowed, values, data):
    expression, kind = data.draw(params.invalid_filter_expressions(allowed, values))
    if kind == "syntax":
        with pytest.raises(QueryError):
            parse_filter(expression)
        return
    tree = parse_filter(expression)
    with pytest.raises(QueryError):
        check_filter_allowed(tree, as_sets(allowed))
    undocumented = [p for p in primitives(tree) if p.field not in allowed]
    unsupported = [
        p for p in primitives(tree) if p.field in allowed and p.op not in allowed[p.field]
    ]
    assert kind in ("undocumented-field", "unsupported-operator")
    assert (len(undocumented), len(unsupported)) == (
        (1, 0) if kind == "undocumented-field" else (0, 1)
    ), expression


@pytest.mark.parametrize("allowed", SORTERS)
@settings(max_examples=40)
@given(data=st.data())
def test_sorters_parse_with_distinct_documented_fields(allowed, data):
    text = data.draw(params.sorters(allowed))
    keys = parse_sorters(text, set(allowed))
    assert len({key.field for key in keys}) == len(keys) == len(text.split(","))


@pytest.mark.parametrize("allowed", SORTERS)
@settings(max_examples=60)
@given(data=st.data())
def test_invalid_sorters_fail_for_the_kind_they_name(allowed, data):
    text, kind = data.draw(params.invalid_sorters(allowed))
    with pytest.raises(QueryError):
        parse_sorters(text, set(allowed))
    fields = [part.removeprefix("-") for part in text.split(",")]
    if kind == "empty-field":
        assert "" in fields
    elif kind == "repeated-field":
        assert len(set(fields)) < len(fields) and all(f in allowed for f in fields)
    else:
        assert kind == "undocumented-field"
        assert [f for f in fields if f not in allowed and f] and "" not in fields
