"""The V3 "standard collection parameters": filters, sorters, limit and offset.

Typical use by a list endpoint::

    page_items, total = run_collection_query(
        campaigns,
        CollectionParams(filters=..., sorters=..., limit=..., offset=...),
        filter_fields={"id": frozenset({"eq", "in"}), "name": frozenset({"eq", "sw"})},
        sort_fields=frozenset({"name", "created"}),
    )
    # respond with page_items and X-Total-Count: total

Every invalid parameter raises :class:`QueryError` whose ``parameter`` names it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from typing import Any, TypeVar

from emulator.domain.filter_expressions import check_filter_allowed, evaluate, resolve_field
from emulator.domain.filter_parser import parse_filter
from emulator.domain.query_errors import QueryError

__all__ = [
    "DEFAULT_LIMIT",
    "DEFAULT_OFFSET",
    "MAX_LIMIT",
    "CollectionParams",
    "QueryError",
    "SortKey",
    "check_filter_allowed",
    "evaluate",
    "page",
    "parse_filter",
    "parse_sorters",
    "run_collection_query",
    "sort_items",
    "validate_paging",
]

DEFAULT_LIMIT = 250
MAX_LIMIT = 250
DEFAULT_OFFSET = 0

Item = TypeVar("Item", bound=Mapping[str, Any])
T = TypeVar("T")


@dataclass(frozen=True)
class CollectionParams:
    """One list request's collection parameters; `filters`/`sorters` of None: absent (an
    empty string is invalid)."""

    filters: str | None = None
    sorters: str | None = None
    limit: int = DEFAULT_LIMIT
    offset: int = DEFAULT_OFFSET

    @classmethod
    def from_query(cls, query: Mapping[str, Any]) -> CollectionParams:
        """The parameters of a validated request's query (absent ones already defaulted)."""
        return cls(query["filters"], query["sorters"], query["limit"], query["offset"])


@dataclass(frozen=True)
class SortKey:
    """One sort criterion: a (possibly dotted) field and its direction."""

    field: str
    descending: bool = False


def parse_sorters(text: str, allowed: AbstractSet[str]) -> list[SortKey]:
    """Parse ``sorters`` text such as ``"name, -created"`` into sort keys.

    A leading ``-`` sorts descending. Raises ``QueryError("sorters", ...)`` for an empty
    segment (including empty text), a field not in ``allowed``, or a field given twice.
    """
    keys: list[SortKey] = []
    seen: set[str] = set()
    for number, raw in enumerate(text.split(","), start=1):
        segment = raw.strip()
        descending = segment.startswith("-")
        field = segment[1:] if descending else segment
        if not field:
            raise QueryError("sorters", f"Sort field #{number} is empty in sorters {text!r}")
        if field not in allowed:
            supported = ", ".join(sorted(allowed)) or "none"
            raise QueryError(
                "sorters",
                f"Sorting by field {field!r} is not supported; sortable fields: {supported}",
            )
        if field in seen:
            raise QueryError("sorters", f"Sort field {field!r} is given more than once")
        seen.add(field)
        keys.append(SortKey(field, descending))
    return keys


def sort_items(items: Iterable[Item], keys: Sequence[SortKey]) -> list[Item]:
    """Return ``items`` stably sorted by ``keys`` (first key most significant).

    ``None``/missing values sort first in ascending order (hence last when descending).
    Values of different kinds order as: None < booleans < numbers < strings < other.
    """
    result = list(items)
    # Python's sort is stable, so sorting by the least significant key first yields a
    # multi-key sort; reverse=True also keeps equal elements in their original order.
    for key in reversed(keys):
        result.sort(key=_sort_key_function(key.field), reverse=key.descending)
    return result


def _sort_key_function(field: str) -> Callable[[Mapping[str, Any]], tuple[int, Any]]:
    def sort_key(item: Mapping[str, Any]) -> tuple[int, Any]:
        return _rank(resolve_field(item, field))

    return sort_key


def _rank(value: Any) -> tuple[int, Any]:
    # The leading rank keeps values of different kinds from ever being compared directly.
    if value is None:
        return (0, 0)
    if isinstance(value, bool):
        return (1, int(value))
    if isinstance(value, int | float):
        return (2, value)
    if isinstance(value, str):
        return (3, value)
    return (4, json.dumps(value, sort_keys=True, default=str))


def validate_paging(limit: int, offset: int) -> None:
    """Raise ``QueryError`` unless 0 <= ``limit`` <= 250 and ``offset`` >= 0 (integers)."""
    if isinstance(limit, bool) or not isinstance(limit, int) or not 0 <= limit <= MAX_LIMIT:
        raise QueryError("limit", f"limit must be an integer from 0 to {MAX_LIMIT}, got {limit!r}")
    if isinstance(offset, bool) or not isinstance(offset, int) or offset < 0:
        raise QueryError("offset", f"offset must be a non-negative integer, got {offset!r}")


def page(items: Sequence[T], limit: int = DEFAULT_LIMIT, offset: int = DEFAULT_OFFSET) -> list[T]:
    """Return the ``limit`` items starting at index ``offset`` (validated first)."""
    validate_paging(limit, offset)
    return list(items[offset : offset + limit])


def run_collection_query(
    items: Iterable[Item],
    params: CollectionParams,
    *,
    filter_fields: Mapping[str, AbstractSet[str]],
    sort_fields: AbstractSet[str],
) -> tuple[list[Item], int]:
    """Filter, sort and page ``items``; return the page and the filtered total.

    All parameters are validated before any item is examined, in the order filters, sorters,
    limit, offset. The total is for the ``X-Total-Count`` header.
    """
    filters, sorters = params.filters, params.sorters
    node = parse_filter(filters) if filters is not None else None
    if node is not None:
        check_filter_allowed(node, filter_fields)
    keys = parse_sorters(sorters, sort_fields) if sorters is not None else []
    validate_paging(params.limit, params.offset)
    matched = [item for item in items if node is None or evaluate(node, item)]
    return page(sort_items(matched, keys), params.limit, params.offset), len(matched)
