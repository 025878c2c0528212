"""Tests for V3 ``filters`` expressions: parsing, allowed fields/operators, evaluation."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from emulator.domain import filter_ast as ast
from emulator.domain.filter_expressions import (
    QueryError,
    check_filter_allowed,
    evaluate,
    parse_filter,
)
from emulator.domain.filter_parser import MAX_NESTING

CAMPAIGN_FILTERS = {
    "id": frozenset({"eq", "in"}),
    "name": frozenset({"eq", "sw"}),
    "status": frozenset({"eq", "in"}),
}
TEMPLATE_OPS = frozenset({"eq", "ge", "gt", "in", "le", "lt", "ne", "sw"})
TEMPLATE_FILTERS = {"name": TEMPLATE_OPS, "id": TEMPLATE_OPS}


def matches(text: str, item: dict[str, Any]) -> bool:
    return evaluate(parse_filter(text), item)


# --- parsing -----------------------------------------------------------------------------


def test_parses_simple_comparison() -> None:
    assert parse_filter('name eq "Q1"') == ast.Comparison("name", "eq", "Q1")


def test_string_escapes_are_decoded() -> None:
    node = parse_filter(r'name eq "say \"hi\" \\ bye"')
    assert node == ast.Comparison("name", "eq", 'say "hi" \\ bye')


@pytest.mark.parametrize("escape", [r"\n", r"\t", r"\u0041", "\\"])
def test_other_escapes_are_rejected(escape: str) -> None:
    with pytest.raises(QueryError, match=r"escape|unterminated"):
        parse_filter(f'name eq "a{escape}"')


def test_and_binds_tighter_than_or() -> None:
    node = parse_filter('a eq "1" or b eq "2" and c eq "3"')
    assert node == ast.Or(
        (
            ast.Comparison("a", "eq", "1"),
            ast.And((ast.Comparison("b", "eq", "2"), ast.Comparison("c", "eq", "3"))),
        )
    )


def test_parentheses_override_precedence() -> None:
    node = parse_filter('(a eq "1" or b eq "2") and c eq "3"')
    assert node == ast.And(
        (
            ast.Or((ast.Comparison("a", "eq", "1"), ast.Comparison("b", "eq", "2"))),
            ast.Comparison("c", "eq", "3"),
        )
    )


def test_not_binds_tighter_than_and() -> None:
    node = parse_filter("not a pr and b isnull")
    assert node == ast.And((ast.Not(ast.Presence("a", "pr")), ast.Presence("b", "isnull")))


def test_not_with_parenthesised_group() -> None:
    node = parse_filter('not (a eq "1" or b eq "2")')
    assert node == ast.Not(ast.Or((ast.Comparison("a", "eq", "1"), ast.Comparison("b", "eq", "2"))))


def test_literals_and_lists() -> None:
    assert parse_filter("a eq true") == ast.Comparison("a", "eq", True)
    assert parse_filter("a ne null").value is None  # type: ignore[union-attr]
    assert repr(parse_filter("a gt -1.5e2")) == repr(ast.Comparison("a", "gt", -150.0))
    assert repr(parse_filter("a ge 7")) == repr(ast.Comparison("a", "ge", 7))
    node = parse_filter('id in ("x", "y" ,"z")')
    assert node == ast.ListComparison("id", "in", ("x", "y", "z"))


def test_dotted_field_names() -> None:
    assert parse_filter('campaign.name sw "Q"') == ast.Comparison("campaign.name", "sw", "Q")


def test_upper_case_operator_is_a_syntax_error() -> None:
    with pytest.raises(QueryError) as info:
        parse_filter('name EQ "x"')
    assert info.value.parameter == "filters"
    assert "position 5" in info.value.message
    assert "'EQ'" in info.value.message
    assert "use 'eq'" in info.value.message


@pytest.mark.parametrize("text", ['a eq "1" AND b eq "2"', "NOT a pr", "a eq TRUE"])
def test_upper_case_keywords_are_syntax_errors(text: str) -> None:
    with pytest.raises(QueryError):
        parse_filter(text)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("name eq", "expected a literal"),
        ("name", "expected an operator"),
        ('name eq "x" )', "position 12"),
        ('(name eq "x"', "expected ')'"),
        ('name eq "x" name eq "y"', "expected 'and', 'or'"),
        ("name in ()", "expected a literal"),
        ('name in "x"', "'('"),
        ('name in ("x" "y")', "',' or ')'"),
        ('name eq "abc', "unterminated"),
        ("name eq 'x'", "unexpected character"),
        ('"x" eq name', "expected a field name"),
        ("name eq 1e999", "out of range"),
        ("name eq " + "9" * 5000, "too long"),
        ("a. eq 1", "unexpected character '.'"),
    ],
)
def test_syntax_errors_explain_what_was_expected(text: str, fragment: str) -> None:
    with pytest.raises(QueryError) as info:
        parse_filter(text)
    assert info.value.parameter == "filters"
    assert fragment in info.value.message


def test_deep_nesting_is_a_query_error_not_a_recursion_error() -> None:
    with pytest.raises(QueryError, match="nests deeper"):
        parse_filter("(" * 10_000 + "a pr" + ")" * 10_000)
    with pytest.raises(QueryError, match="nests deeper"):
        parse_filter("not " * (MAX_NESTING + 1) + "a pr")
    assert parse_filter("(" * MAX_NESTING + "a pr" + ")" * MAX_NESTING) == ast.Presence("a", "pr")


def test_long_flat_chains_do_not_recurse() -> None:
    node = parse_filter(" and ".join(["a pr"] * 5000))
    assert evaluate(node, {"a": 1})


# --- allowed fields and operators ---------------------------------------------------------


def test_allowed_filter_passes() -> None:
    check_filter_allowed(
        parse_filter('not (id in ("1","2")) and (name sw "Q" or status eq "ACTIVE")'),
        CAMPAIGN_FILTERS,
    )


def test_unknown_field_is_rejected() -> None:
    with pytest.raises(QueryError) as info:
        check_filter_allowed(parse_filter('owner eq "x"'), CAMPAIGN_FILTERS)
    assert info.value.parameter == "filters"
    assert "'owner'" in info.value.message


def test_unsupported_operator_is_rejected_naming_field_and_operator() -> None:
    node = parse_filter('name eq "x" and not (id sw "abc")')
    with pytest.raises(QueryError) as info:
        check_filter_allowed(node, CAMPAIGN_FILTERS)
    assert "'sw'" in info.value.message
    assert "'id'" in info.value.message


def test_template_filters_allow_ordering_operators() -> None:
    check_filter_allowed(parse_filter('name ge "a" and id lt "z"'), TEMPLATE_FILTERS)
    with pytest.raises(QueryError, match="'co'"):
        check_filter_allowed(parse_filter('name co "a"'), TEMPLATE_FILTERS)


# --- evaluation ---------------------------------------------------------------------------

ITEM: dict[str, Any] = {
    "id": "2c9180",
    "name": "Quarterly Review",
    "count": 10,
    "ratio": 0.5,
    "active": True,
    "nothing": None,
    "tags": ["a", "b", "c"],
    "campaign": {"name": "Nested", "owner": {"id": "o1"}},
}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('name eq "Quarterly Review"', True),
        ('name eq "quarterly review"', False),
        ('name ne "x"', True),
        ('name sw "Quarter"', True),
        ('name sw "quarter"', False),
        ('name co "ly Re"', True),
        ('name gt "P"', True),
        ('name lt "P"', False),
        ('name ge "Quarterly Review"', True),
        ("count gt 9", True),
        ("count gt 9.5", True),
        ("count le 10", True),
        ("count lt 10", False),
        ("count eq 10.0", True),
        ('count eq "10"', False),
        ('count gt "1"', False),
        ("active eq true", True),
        ("active eq 1", False),
        ("ratio ge 0.5", True),
        ("missing pr", False),
        ("missing isnull", True),
        ("nothing pr", False),
        ("nothing isnull", True),
        ("name pr", True),
        ("name isnull", False),
        ('missing eq "x"', False),
        ('missing ne "x"', False),
        ("nothing eq null", False),
        ('not (missing eq "x")', True),
        ('id in ("a", "2c9180")', True),
        ('id in ("a", "b")', False),
        ('tags ca ("a", "c")', True),
        ('tags ca ("a", "z")', False),
        ('name ca ("Q")', False),
        ('campaign.name eq "Nested"', True),
        ('campaign.owner.id eq "o1"', True),
        ('name.first eq "x"', False),
        ("campaign.missing.id isnull", True),
        ('name eq "x" or count eq 10 and active eq true', True),
        ('(name eq "x" or count eq 10) and active eq false', False),
    ],
)
def test_evaluate(text: str, expected: bool) -> None:
    assert matches(text, ITEM) is expected


# --- properties ---------------------------------------------------------------------------

FIELDS = st.sampled_from(["id", "name", "status", "campaign.name", "a_b"])
SCALARS = st.one_of(
    st.text(max_size=8),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.none(),
)
PRIMITIVES = st.one_of(
    st.builds(
        ast.Comparison,
        FIELDS,
        st.sampled_from(["eq", "ne", "gt", "ge", "lt", "le", "sw", "co"]),
        SCALARS,
    ),
    st.builds(
        ast.ListComparison,
        FIELDS,
        st.sampled_from(["in", "ca"]),
        st.lists(SCALARS, min_size=1, max_size=3).map(tuple),
    ),
    st.builds(ast.Presence, FIELDS, st.sampled_from(["pr", "isnull"])),
)
FILTER_TREES: st.SearchStrategy[ast.FilterNode] = st.recursive(
    PRIMITIVES,
    lambda children: st.one_of(
        st.builds(ast.Not, children),
        st.builds(ast.And, st.lists(children, min_size=2, max_size=3).map(tuple)),
        st.builds(ast.Or, st.lists(children, min_size=2, max_size=3).map(tuple)),
    ),
    max_leaves=8,
)
FILTER_WORDS = st.sampled_from(
    ['name', 'campaign.name', 'eq', 'EQ', 'sw', 'in', 'pr', 'isnull', 'and', 'or', 'not', '(',
     ')', ',', '"x"', '"a\\"b"', '"\\', '"', '12', '-3.5', 'true', 'null', '.', ' ', '\\']
)  # fmt: skip


@given(FILTER_TREES)
def test_printed_tree_parses_back_to_the_same_tree(node: ast.FilterNode) -> None:
    # repr() also distinguishes 1 from 1.0 and True, which == would not.
    assert repr(parse_filter(ast.format_filter(node))) == repr(node)


@given(st.lists(FILTER_WORDS, max_size=12).map(" ".join) | st.text(max_size=30))
def test_any_text_parses_or_raises_query_error(text: str) -> None:
    try:
        node = parse_filter(text)
    except QueryError as error:
        assert error.parameter == "filters"
    else:
        assert evaluate(node, ITEM) in (True, False)
