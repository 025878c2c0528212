"""Validate and evaluate V3 ``filters`` expressions against JSON-like items.

Parsing lives in :mod:`emulator.domain.filter_parser` (``parse_filter`` is re-exported here)
and the tree in :mod:`emulator.domain.filter_ast`.

Evaluation semantics:

* dotted fields (``campaign.name``) traverse nested mappings; anything missing is ``None``;
* every comparison against a missing/``None`` value is false (so ``ne`` is false too);
  only ``isnull`` is true for it, and ``pr`` means "present and not ``None``";
* ``eq``/``ne``/``in`` compare values of the same kind only (string, number, boolean), so
  ``1`` never equals ``true`` or ``"1"``; strings compare case-sensitively by code point;
* ``gt ge lt le`` order two strings lexicographically or two numbers numerically, and are
  false for any other pairing; ``sw`` (starts with) and ``co`` (contains) need two strings;
* ``ca`` is true when the item's value is an array containing every listed value.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from collections.abc import Set as AbstractSet
from typing import Any

from emulator.domain import filter_ast as ast
from emulator.domain.filter_parser import parse_filter
from emulator.domain.query_errors import QueryError

__all__ = [
    "QueryError",
    "check_filter_allowed",
    "evaluate",
    "parse_filter",
    "resolve_field",
]

_ORDERINGS: dict[str, Callable[[Any, Any], bool]] = {
    "gt": operator.gt,
    "ge": operator.ge,
    "lt": operator.lt,
    "le": operator.le,
}


def resolve_field(item: Mapping[str, Any], field: str) -> Any:
    """Return the value at dotted path ``field`` in ``item``, or ``None`` if absent."""
    current: Any = item
    for part in field.split("."):
        if not isinstance(current, Mapping):
            return None
        current = current.get(part)
    return current


def check_filter_allowed(node: ast.FilterNode, allowed: Mapping[str, AbstractSet[str]]) -> None:
    """Raise ``QueryError("filters", ...)`` if ``node`` uses a field or operator not allowed.

    ``allowed`` maps each filterable field to its permitted primitive operators; the
    composite operators ``and``, ``or`` and ``not`` are always permitted.
    """
    pending: list[ast.FilterNode] = [node]
    while pending:
        current = pending.pop()
        match current:
            case ast.And(operands) | ast.Or(operands):
                pending.extend(operands)
            case ast.Not(operand):
                pending.append(operand)
            case (
                ast.Comparison(field, op) | ast.ListComparison(field, op) | ast.Presence(field, op)
            ):
                _check_primitive(field, op, allowed)


def _check_primitive(field: str, op: str, allowed: Mapping[str, AbstractSet[str]]) -> None:
    if field not in allowed:
        supported = ", ".join(sorted(allowed)) or "none"
        raise QueryError(
            "filters",
            f"Filtering on field '{field}' is not supported; filterable fields: {supported}",
        )
    if op not in allowed[field]:
        supported = ", ".join(sorted(allowed[field])) or "none"
        raise QueryError(
            "filters",
            f"Operator '{op}' is not supported for field '{field}'; "
            f"supported operators: {supported}",
        )


def evaluate(node: ast.FilterNode, item: Mapping[str, Any]) -> bool:
    """Return whether ``item`` (a JSON-like mapping) matches the filter ``node``."""
    match node:
        case ast.And(operands):
            return all(evaluate(o, item) for o in operands)
        case ast.Or(operands):
            return any(evaluate(o, item) for o in operands)
        case ast.Not(operand):
            return not evaluate(operand, item)
        case ast.Presence(field, op):
            present = resolve_field(item, field) is not None
            return present if op == "pr" else not present
        case ast.ListComparison(field, op, values):
            return _match_list(op, resolve_field(item, field), values)
        case ast.Comparison(field, op, value):
            return _match_value(op, resolve_field(item, field), value)
    raise TypeError(f"not a filter node: {node!r}")


def _kind(value: Any) -> str:
    # bool is tested first because it is a subclass of int but must not compare as a number.
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "other"


def _equals(actual: Any, expected: ast.Scalar) -> bool:
    if actual is None or expected is None:
        return False
    return _kind(actual) == _kind(expected) and actual == expected


def _match_value(op: str, actual: Any, expected: ast.Scalar) -> bool:
    if actual is None:
        return False
    if op == "eq":
        return _equals(actual, expected)
    if op == "ne":
        return not _equals(actual, expected)
    if op in _ORDERINGS:
        comparable = _kind(actual) == _kind(expected) and _kind(actual) in ("string", "number")
        return comparable and _ORDERINGS[op](actual, expected)
    if not (isinstance(actual, str) and isinstance(expected, str)):
        return False
    return actual.startswith(expected) if op == "sw" else expected in actual


def _match_list(op: str, actual: Any, values: tuple[ast.Scalar, ...]) -> bool:
    if op == "in":
        return any(_equals(actual, v) for v in values)
    if not isinstance(actual, list | tuple):
        return False
    return all(any(_equals(element, v) for element in actual) for v in values)
