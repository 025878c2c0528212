"""`filters` and `sorters` of the V3 standard collection parameters, per list endpoint.

The filterable and sortable fields come from the spec (`x-filterable` / `x-sortable` on the
list operations' parameters); the grammar is spec/SOURCES.md#collections': primitive operators
`eq ne gt ge lt le in sw co pr isnull ca`, composites `and or not` and parentheses,
lower-case only; strings double-quoted with `\\"` and `\\\\` escaped; `in ("a","b")` lists.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import MappingProxyType

from hypothesis import strategies as st

from strategies.scalars import PRINTABLE, ids
from strategies.spec_facts import CAMPAIGN_STATUSES, filterable, sortable

Scalar = str | int | float | bool | None
Allowed = Mapping[str, Sequence[str]]
Values = Mapping[str, st.SearchStrategy[Scalar]]

CAMPAIGN_FILTERS: Allowed = filterable("getActiveCampaigns")
TEMPLATE_FILTERS: Allowed = filterable("getCampaignTemplates")
CAMPAIGN_SORTERS: tuple[str, ...] = sortable("getActiveCampaigns")
TEMPLATE_SORTERS: tuple[str, ...] = sortable("getCampaignTemplates")
# Values that can match something: ids shaped like the API's, statuses from the enum.
CAMPAIGN_FILTER_VALUES: Values = MappingProxyType(
    {"id": ids(), "status": st.sampled_from(CAMPAIGN_STATUSES)}
)
TEMPLATE_FILTER_VALUES: Values = MappingProxyType({"id": ids()})

COMPARISON_OPERATORS = ("eq", "ne", "gt", "ge", "lt", "le", "sw", "co")
LIST_OPERATORS = ("in", "ca")
PRESENCE_OPERATORS = ("pr", "isnull")
PRIMITIVE_OPERATORS = COMPARISON_OPERATORS + LIST_OPERATORS + PRESENCE_OPERATORS
KEYWORDS = ("and", "or", "not", "true", "false", "null")

# Filter strings lean on the two characters that must be escaped.
FILTER_STRINGS = st.text(st.one_of(st.sampled_from('"\\'), PRINTABLE), max_size=12)


def quoted(text: str) -> str:
    """A filter string literal: double quotes around `text`, `\\` and `"` escaped."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def literal(value: Scalar) -> str:
    """A filter literal: a quoted string, a number, `true`, `false` or `null`."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return quoted(value)
    return repr(value)


def primitive(field: str, operator: str, values: Sequence[Scalar]) -> str:
    """`field op literal`, `field op (l1,l2)` or `field op` as the operator's arity asks."""
    if operator in PRESENCE_OPERATORS:
        return f"{field} {operator}"
    if operator in LIST_OPERATORS:
        return f"{field} {operator} ({','.join(map(literal, values))})"
    return f"{field} {operator} {literal(values[0])}"


@st.composite
def primitive_filters(draw: st.DrawFn, allowed: Allowed, values: Values | None = None) -> str:
    """One comparison on an `allowed` field with one of its operators; literals from
    `values[field]`, else strings (quotes and backslashes included, escaped)."""
    field = draw(st.sampled_from(sorted(allowed)))
    operator = draw(st.sampled_from(sorted(allowed[field])))
    chosen = (values or {}).get(field, FILTER_STRINGS)
    return primitive(field, operator, draw(st.lists(chosen, min_size=1, max_size=3)))


def combined(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """`a and b`, `a or b`, `not (a)` or `(a)` for expressions `a`, `b` of `inner`."""
    return st.one_of(
        st.tuples(inner, st.sampled_from(["and", "or"]), inner).map(" ".join),
        inner.map(lambda expression: f"not ({expression})"),
        inner.map(lambda expression: f"({expression})"),
    )


def filter_expressions(
    allowed: Allowed, values: Values | None = None, max_leaves: int = 4
) -> st.SearchStrategy[str]:
    """Filters an endpoint documenting `allowed` must accept.

    Invariants: every primitive names a field of `allowed` with one of its operators (and
    the operator's arity); literals are well formed; up to `max_leaves` primitives combine
    with lower-case `and`, `or`, `not (...)` and balanced parentheses.
    """
    if not allowed:
        raise ValueError("no filterable field: there is no valid filter")
    return st.recursive(primitive_filters(allowed, values), combined, max_leaves=max_leaves)


UNDOCUMENTED_FIELD = "undocumented-field"
UNSUPPORTED_OPERATOR = "unsupported-operator"
SYNTAX = "syntax"
_FIELD_NAMES = st.one_of(
    st.sampled_from(["type", "description", "deadline", "created", "modified", "ownerRef.id"]),
    st.from_regex(r"[a-z][a-zA-Z0-9_]{0,10}(\.[a-z][a-zA-Z0-9]{0,5})?", fullmatch=True),
)
_BARE_WORDS = st.from_regex(r"[a-zA-Z_][a-zA-Z0-9_]{0,8}", fullmatch=True).filter(
    lambda word: word not in KEYWORDS
)


@st.composite
def _in_context(
    draw: st.DrawFn, faults: st.SearchStrategy[str], allowed: Allowed, values: Values | None
) -> str:
    """A fault alone, or inside a valid expression, so the fault is not always at the top."""
    faulty = draw(faults)
    valid = draw(filter_expressions(allowed, values, max_leaves=2))
    return draw(
        st.sampled_from(
            [faulty, f"{valid} and {faulty}", f"{faulty} or {valid}", f"not ({faulty})"]
        )
    )


@st.composite
def _undocumented_field(draw: st.DrawFn, allowed: Allowed) -> str:
    words = set(allowed) | set(PRIMITIVE_OPERATORS) | set(KEYWORDS)
    field = draw(_FIELD_NAMES.filter(lambda name: name not in words))
    operator = draw(st.sampled_from(PRIMITIVE_OPERATORS))
    return primitive(field, operator, [draw(FILTER_STRINGS)])


@st.composite
def _unsupported_operator(draw: st.DrawFn, pairs: Sequence[tuple[str, str]]) -> str:
    field, operator = draw(st.sampled_from(pairs))
    return primitive(field, operator, draw(st.lists(FILTER_STRINGS, min_size=1, max_size=2)))


def _first_of(offered: Sequence[str], wanted: Sequence[str], fallback: str) -> str:
    return next((op for op in wanted if op in offered), fallback)


@st.composite
def _bad_syntax(draw: st.DrawFn, allowed: Allowed, values: Values | None) -> str:
    valid = draw(filter_expressions(allowed, values, max_leaves=2))
    field = draw(st.sampled_from(sorted(allowed)))
    # The faults below need an operator that takes one value, or a list; use the field's own
    # where it has one, so that the syntax is the only fault.
    operator = _first_of(allowed[field], COMPARISON_OPERATORS, "eq")
    list_operator = _first_of(allowed[field], LIST_OPERATORS, "in")
    word = draw(_BARE_WORDS)
    return draw(
        st.sampled_from(
            [
                f"({valid}",  # unbalanced parentheses
                f"{valid})",
                f"{valid} and",  # a dangling composite
                f"{valid} or",
                f"and {valid}",
                f"{valid} {valid}",  # two expressions, no composite
                f"{valid} AND {valid}",  # keywords are lower-case only
                f"NOT ({valid})",
                f"{field} {operator.upper()} {quoted(word)}",  # operators too
                f"{field} {operator} {word}",  # an unquoted string
                f"{field} {operator} '{word}'",  # single quotes
                f'{field} {operator} "{word}',  # an unterminated string
                f'{field} {operator} "{word}\\n"',  # an escape other than \" and \\
                f"{field} {operator}",  # no value
                f"{field} {list_operator} ()",  # an empty list
                f"{field} {list_operator} {quoted(word)},{quoted(word)}",  # no parentheses
                "",
                "()",
                "not",
            ]
        )
    )


def invalid_filter_expressions(
    allowed: Allowed, values: Values | None = None
) -> st.SearchStrategy[tuple[str, str]]:
    """(filter, kind): a filter an endpoint documenting `allowed` must refuse, with one fault.

    `kind` is `"undocumented-field"` (a field `allowed` does not list), `"unsupported-operator"`
    (a listed field with an operator it does not list) or `"syntax"` (unbalanced parentheses,
    a dangling or missing composite, upper-case words, unquoted or unterminated strings, a bad
    escape, a missing value or list). Only the named fault is present.
    """
    pairs = [(f, op) for f in sorted(allowed) for op in PRIMITIVE_OPERATORS if op not in allowed[f]]
    kinds = [
        _in_context(_undocumented_field(allowed), allowed, values).map(
            lambda e: (e, UNDOCUMENTED_FIELD)
        ),
        _bad_syntax(allowed, values).map(lambda e: (e, SYNTAX)),
    ]
    if pairs:
        kinds.append(
            _in_context(_unsupported_operator(pairs), allowed, values).map(
                lambda e: (e, UNSUPPORTED_OPERATOR)
            )
        )
    return st.one_of(kinds)


def sorters(allowed: Sequence[str]) -> st.SearchStrategy[str]:
    """`sorters` an endpoint documenting `allowed` must accept: distinct allowed fields in
    any order, comma-separated without spaces, each optionally prefixed with `-`."""
    if not allowed:
        raise ValueError("no sortable field: there is no valid sorter")
    fields = st.lists(st.sampled_from(sorted(allowed)), min_size=1, unique=True)
    signed = fields.flatmap(lambda fs: st.tuples(*[st.sampled_from([f, f"-{f}"]) for f in fs]))
    return signed.map(",".join)


REPEATED_FIELD = "repeated-field"
EMPTY_FIELD = "empty-field"


@st.composite
def invalid_sorters(draw: st.DrawFn, allowed: Sequence[str]) -> tuple[str, str]:
    """(sorters, kind): a valid sorter list with one fault inserted at a random place.

    `kind` is `"undocumented-field"` (a field `allowed` does not list, `+name` included),
    `"repeated-field"` (a field given twice, in either direction) or `"empty-field"` (an
    empty segment, a lone `-`, or nothing at all).
    """
    parts = draw(sorters(allowed)).split(",")
    kind = draw(st.sampled_from([UNDOCUMENTED_FIELD, REPEATED_FIELD, EMPTY_FIELD]))
    if kind == UNDOCUMENTED_FIELD:
        name = draw(_FIELD_NAMES.filter(lambda n: n not in allowed) | st.just(f"+{allowed[0]}"))
        fault = draw(st.sampled_from([name, f"-{name}"]))
    elif kind == REPEATED_FIELD:
        fault = draw(st.sampled_from(parts)).lstrip("-")
        fault = draw(st.sampled_from([fault, f"-{fault}"]))
    else:
        fault = draw(st.sampled_from(["", "-"]))
        if fault == "" and draw(st.integers(0, 4)) == 0:
            return "", kind
    at = draw(st.integers(0, len(parts)))
    return ",".join([*parts[:at], fault, *parts[at:]]), kind
