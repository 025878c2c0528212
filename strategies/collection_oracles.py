"""Filters and sorters together with the oracle that judges a server's answer to them.

A filter comes with a predicate deciding, for any listed object, whether it matches; a sorter
with a check that two listed objects are in its order. Both are a few lines of Python over
the objects' members, written from spec/SOURCES.md#collections' and independent of the emulator's
query engine: on a tenant they are the only judge. Literals are drawn from the objects the
caller owns, so generated filters select some of them and not others.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from hypothesis import strategies as st

from strategies.collection_params import LIST_OPERATORS, Allowed, primitive

Item = Mapping[str, Any]

# What each documented primitive operator means for a member's value `have` and the
# literal(s) of the filter: spec/SOURCES.md#collections; a missing member matches no comparison.
OPERATOR_ORACLES: dict[str, Callable[[Any, Sequence[Any]], bool]] = {
    "eq": lambda have, values: have == values[0],
    "ne": lambda have, values: have != values[0],
    "gt": lambda have, values: have is not None and have > values[0],
    "ge": lambda have, values: have is not None and have >= values[0],
    "lt": lambda have, values: have is not None and have < values[0],
    "le": lambda have, values: have is not None and have <= values[0],
    "sw": lambda have, values: isinstance(have, str) and have.startswith(values[0]),
    "co": lambda have, values: isinstance(have, str) and values[0] in have,
    "in": lambda have, values: have in values,
    "ca": lambda have, values: isinstance(have, list) and all(v in have for v in values),
    "pr": lambda have, values: have is not None,
    "isnull": lambda have, values: have is None,
}


@dataclass(frozen=True)
class Filter:
    """A `filters` expression and the predicate it stands for."""

    text: str
    matches: Callable[[Item], bool]

    def __and__(self, other: Filter) -> Filter:
        return Filter(
            f"({self.text}) and ({other.text})", lambda i: self.matches(i) and other.matches(i)
        )

    def __or__(self, other: Filter) -> Filter:
        return Filter(
            f"({self.text}) or ({other.text})", lambda i: self.matches(i) or other.matches(i)
        )

    def __invert__(self) -> Filter:
        return Filter(f"not ({self.text})", lambda i: not self.matches(i))


def leaf(field: str, operator: str, values: Sequence[Any]) -> Filter:
    """`field operator literal(s)`, with the operator's oracle (KeyError for an operator the
    table above lacks: every documented operator must have one)."""
    oracle = OPERATOR_ORACLES[operator]
    return Filter(primitive(field, operator, values), lambda item: oracle(item.get(field), values))


def _values_of(items: Sequence[Item], field: str) -> list[Any]:
    found = sorted({item[field] for item in items if item.get(field) is not None})
    if not found:
        raise ValueError(f"no owned object has a value for {field!r}")
    return found


@st.composite
def leaf_filters(draw: st.DrawFn, allowed: Allowed, items: Sequence[Item]) -> Filter:
    """One documented field with one of its documented operators; the literal is a value
    (for `sw` a non-empty prefix of a value) some owned object has."""
    field = draw(st.sampled_from(sorted(allowed)))
    operator = draw(st.sampled_from(sorted(allowed[field])))
    seen = _values_of(items, field)
    if operator in LIST_OPERATORS:
        return leaf(field, operator, draw(st.lists(st.sampled_from(seen), min_size=1, max_size=3)))
    value = draw(st.sampled_from(seen))
    if operator == "sw":
        value = value[: draw(st.integers(1, len(value)))]
    return leaf(field, operator, [value])


def filters(allowed: Allowed, items: Sequence[Item], max_leaves: int = 4) -> st.SearchStrategy:
    """Filters with their oracle: leaves of `leaf_filters`, nested with `and`, `or` and
    `not`; every composite is parenthesised, so its meaning never rests on precedence."""
    return st.recursive(
        leaf_filters(allowed, items),
        lambda inner: st.one_of(
            st.tuples(inner, inner).map(lambda pair: pair[0] & pair[1]),
            st.tuples(inner, inner).map(lambda pair: pair[0] | pair[1]),
            inner.map(lambda one: ~one),
        ),
        max_leaves=max_leaves,
    )


def every_documented_leaf(allowed: Allowed, items: Sequence[Item]) -> list[Filter]:
    """One filter per documented (field, operator) pair, each with a literal that selects some
    owned objects: the second smallest value (so `gt`, `lt` and `ne` split the objects), a
    prefix of it for `sw`, two values for list operators."""
    chosen = []
    for field in sorted(allowed):
        seen = _values_of(items, field)
        pivot = seen[min(1, len(seen) - 1)]
        for operator in sorted(allowed[field]):
            if operator in LIST_OPERATORS:
                values = [seen[0], seen[-1]]
            elif operator == "sw":
                values = [pivot[: max(1, len(pivot) - 2)]]
            else:
                values = [pivot]
            chosen.append(leaf(field, operator, values))
    return chosen


# --- sorters ---------------------------------------------------------------------------
def _comparable(value: Any) -> Any:
    """Date-time members compare as instants, whatever the offset they are written with."""
    if isinstance(value, str) and len(value) >= 20 and value[4] == "-" and value[10] == "T":
        try:
            return datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return value
    return value


def sort_keys(sorters: str) -> list[tuple[str, bool]]:
    """`name,-created` -> [("name", False), ("created", True)] (True: descending)."""
    return [(part.lstrip("-"), part.startswith("-")) for part in sorters.split(",")]


def misordered(items: Sequence[Item], sorters: str) -> tuple[Item, Item] | None:
    """The first pair of `items` (in any distance) that `sorters` puts the other way round,
    or None. A pair whose first differing key is missing on one side is not judged: the
    documents do not say where objects without the member go."""
    keys = sort_keys(sorters)
    for i, earlier in enumerate(items):
        for later in items[i + 1 :]:
            for field, descending in keys:
                a, b = _comparable(earlier.get(field)), _comparable(later.get(field))
                if a == b:
                    continue
                if a is not None and b is not None and (a > b) != descending:
                    return earlier, later
                break
    return None
