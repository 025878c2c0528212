"""Filter and sorter expressions of the V3 standard collection parameters, per endpoint.

The documented fields and operators are read from the spec's `x-filterable` / `x-sortable`
extensions, never re-typed here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from hypothesis import strategies as st

import spec

STATUSES = ["PENDING", "STAGED", "ACTIVATING", "ACTIVE", "COMPLETING", "COMPLETED"]


def documented(operation_id: str, parameter: str, extension: str):
    _, _, operation = spec.operation_by_id(operation_id)
    found = next(p for p in map(spec.deref, operation["parameters"]) if p["name"] == parameter)
    return found[extension]


CAMPAIGN_FILTERS: Mapping[str, Sequence[str]] = documented(
    "getActiveCampaigns", "filters", "x-filterable"
)
TEMPLATE_FILTERS: Mapping[str, Sequence[str]] = documented(
    "getCampaignTemplates", "filters", "x-filterable"
)
CAMPAIGN_SORTERS: Sequence[str] = documented("getActiveCampaigns", "sorters", "x-sortable")
TEMPLATE_SORTERS: Sequence[str] = documented("getCampaignTemplates", "sorters", "x-sortable")


def quoted(text: str) -> str:
    """A filter string literal: double quotes, with `\\` and `"` escaped."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _values(field: str) -> st.SearchStrategy[str]:
    if field == "status":
        return st.sampled_from(STATUSES)
    return st.text(st.characters(codec="ascii", min_codepoint=32, max_codepoint=126), max_size=12)


@st.composite
def _primitive(draw, allowed: Mapping[str, Sequence[str]]) -> str:
    field = draw(st.sampled_from(sorted(allowed)))
    operator = draw(st.sampled_from(sorted(allowed[field])))
    if operator == "in":
        values = draw(st.lists(_values(field), min_size=1, max_size=3))
        return f"{field} in ({','.join(map(quoted, values))})"
    return f"{field} {operator} {quoted(draw(_values(field)))}"


def filter_expressions(allowed: Mapping[str, Sequence[str]]) -> st.SearchStrategy[str]:
    """Filters using only `allowed` fields and operators, combined with and/or/not/()."""
    return st.recursive(
        _primitive(allowed),
        lambda inner: st.one_of(
            st.tuples(inner, st.sampled_from(["and", "or"]), inner).map(" ".join),
            inner.map(lambda e: f"not ({e})"),
            inner.map(lambda e: f"({e})"),
        ),
        max_leaves=4,
    )


def invalid_filter_expressions(
    allowed: Mapping[str, Sequence[str]],
) -> st.SearchStrategy[tuple[str, str]]:
    """(filter, reason): an undocumented field, an unsupported operator, or bad syntax."""
    every = ["eq", "ne", "gt", "ge", "lt", "le", "in", "sw", "co"]
    unsupported = [(f, op) for f in allowed for op in every if op not in allowed[f]]
    undocumented = st.sampled_from(["type", "description", "deadline", "owner"]).map(
        lambda f: (f'{f} eq "x"', "undocumented-field")
    )
    options = [
        undocumented,
        st.sampled_from(
            [
                ('name eq "unterminated', "syntax"),
                ('(name eq "a"', "syntax"),
                ('name EQ "a"', "syntax"),
                ("name eq unquoted", "syntax"),
                ('name eq "a" and', "syntax"),
            ]
        ),
    ]
    if unsupported:
        options.append(
            st.sampled_from(unsupported).map(
                lambda pair: (f'{pair[0]} {pair[1]} "x"', "unsupported-operator")
            )
        )
    return st.one_of(options)


def sorters(allowed: Sequence[str]) -> st.SearchStrategy[str]:
    """Comma-separated distinct documented fields, each optionally prefixed with `-`."""
    return (
        st.lists(st.sampled_from(sorted(allowed)), min_size=1, unique=True)
        .flatmap(lambda fields: st.tuples(*[st.sampled_from([f, "-" + f]) for f in fields]))
        .map(",".join)
    )


def invalid_sorters(allowed: Sequence[str]) -> st.SearchStrategy[str]:
    """Sorters naming an undocumented field, repeating one, or empty parts."""
    first = sorted(allowed)[0]
    return st.sampled_from(
        [
            "description",
            "status" if "status" not in allowed else "type",
            f"{first},{first}",
            f"{first},",
            "-",
            "+" + first,
        ]
    )
