"""Every string format the spec names has a strategy; its values satisfy every schema using
the format; and schemathesis, once taught them, generates meaningful requests."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import given, settings
from hypothesis import strategies as st
from schemathesis.specs.openapi.formats import STRING_FORMATS
from strategy_checks import TIME_ZONE, errors

import spec
from emulator.domain.collection_query import parse_filter, parse_sorters
from emulator.domain.filter_expressions import check_filter_allowed
from strategies import (
    CAMPAIGN_FILTERS,
    CAMPAIGN_SORTERS,
    TEMPLATE_FILTERS,
    TEMPLATE_SORTERS,
    format_strategies,
    register_formats,
)

# Formats OpenAPI 3.0 and JSON Schema define; everything else the spec names is its own.
STANDARD_FORMATS = {"int32", "int64", "float", "double", "byte", "binary", "date", "date-time"}
STANDARD_FORMATS |= {"password", "email", "uri", "uuid", "hostname", "ipv4", "ipv6"}
_SPEC = spec.load_spec()


def schemas_with_format(node: Any = _SPEC) -> Iterator[dict]:
    if isinstance(node, dict):
        if isinstance(node.get("format"), str) and node.get("type") == "string":
            yield node
        for value in node.values():
            yield from schemas_with_format(value)
    elif isinstance(node, list):
        for value in node:
            yield from schemas_with_format(value)


def test_every_format_the_spec_names_has_a_strategy():
    named = {s["format"] for s in schemas_with_format()} - STANDARD_FORMATS
    assert named == set(format_strategies())


def test_register_formats_teaches_schemathesis_every_format():
    register_formats()
    assert set(format_strategies()) <= set(STRING_FORMATS)


@pytest.mark.parametrize("name", sorted(format_strategies()))
@settings(max_examples=25)
@given(data=st.data())
def test_format_values_satisfy_every_schema_that_names_the_format(name, data):
    value = data.draw(format_strategies()[name])
    for schema in schemas_with_format():
        if schema["format"] == name:
            assert not errors(spec.validator_for(schema, "request"), value)


def generated_query_values(operation_id: str, parameter: str, count: int) -> list[Any]:
    register_formats()
    operation = schemathesis.openapi.from_dict(spec.load_spec()).find_operation_by_id(operation_id)
    seen: list[Any] = []

    @settings(max_examples=count, database=None)
    @given(case=operation.as_strategy())
    def collect(case):
        value = (case.query or {}).get(parameter)
        if value is not None:
            seen.append(value)

    collect()
    return seen


@pytest.mark.parametrize(
    ("operation_id", "filters", "sorters"),
    [
        ("getActiveCampaigns", CAMPAIGN_FILTERS, CAMPAIGN_SORTERS),
        ("getCampaignTemplates", TEMPLATE_FILTERS, TEMPLATE_SORTERS),
    ],
)
def test_schemathesis_generates_filters_and_sorters_the_endpoint_accepts(
    operation_id, filters, sorters
):
    allowed = {field: set(ops) for field, ops in filters.items()}
    generated = generated_query_values(operation_id, "filters", 25)
    for expression in generated:
        check_filter_allowed(parse_filter(expression), allowed)
    for text in generated_query_values(operation_id, "sorters", 15):
        parse_sorters(text, set(sorters))
    assert generated


def test_schemathesis_generates_time_zones_the_spec_accepts():
    register_formats()
    operation = schemathesis.openapi.from_dict(spec.load_spec()).find_operation_by_id(
        "startCampaign"
    )
    zones: list[str] = []

    @settings(max_examples=15, database=None)
    @given(case=operation.as_strategy())
    def collect(case):
        if isinstance(case.body, dict) and isinstance(case.body.get("timeZone"), str):
            zones.append(case.body["timeZone"])

    collect()
    assert zones
    for zone in zones:
        assert not errors(TIME_ZONE, zone)
