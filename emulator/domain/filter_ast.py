"""The syntax tree of a V3 ``filters`` expression, and a printer that inverts the parser."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeAlias

Scalar: TypeAlias = str | int | float | bool | None

COMPARISON_OPERATORS = frozenset({"eq", "ne", "gt", "ge", "lt", "le", "sw", "co"})
LIST_OPERATORS = frozenset({"in", "ca"})
PRESENCE_OPERATORS = frozenset({"pr", "isnull"})
PRIMITIVE_OPERATORS = COMPARISON_OPERATORS | LIST_OPERATORS | PRESENCE_OPERATORS


@dataclass(frozen=True)
class Comparison:
    """``field op literal`` for the binary operators (eq ne gt ge lt le sw co)."""

    field: str
    op: str
    value: Scalar


@dataclass(frozen=True)
class ListComparison:
    """``field op ("a", "b")`` for the list operators (in ca)."""

    field: str
    op: str
    values: tuple[Scalar, ...]


@dataclass(frozen=True)
class Presence:
    """``field op`` for the unary postfix operators (pr isnull)."""

    field: str
    op: str


@dataclass(frozen=True)
class Not:
    """Logical negation of one sub-expression."""

    operand: FilterNode


@dataclass(frozen=True)
class And:
    """Conjunction of two or more sub-expressions (an unparenthesised chain is one node)."""

    operands: tuple[FilterNode, ...]


@dataclass(frozen=True)
class Or:
    """Disjunction of two or more sub-expressions (an unparenthesised chain is one node)."""

    operands: tuple[FilterNode, ...]


Primitive: TypeAlias = Comparison | ListComparison | Presence
FilterNode: TypeAlias = Comparison | ListComparison | Presence | Not | And | Or


def format_literal(value: Scalar) -> str:
    """Render a literal the way the parser reads it back."""
    if value is None:
        return "null"
    # bool before int/float: bool is a subclass of int.
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        escaped = value.replace("\\", "\\\\").replace('"', '\\"')
        return f'"{escaped}"'
    if isinstance(value, float):
        # repr() keeps the float-ness (1.0 rather than 1) and full precision.
        return repr(value)
    return str(value)


def format_filter(node: FilterNode) -> str:
    """Render ``node`` as filter text such that ``parse_filter`` returns an equal tree."""
    match node:
        case Comparison(field, op, value):
            return f"{field} {op} {format_literal(value)}"
        case ListComparison(field, op, values):
            return f"{field} {op} ({', '.join(format_literal(v) for v in values)})"
        case Presence(field, op):
            return f"{field} {op}"
        case Not(operand):
            return f"not ({format_filter(operand)})"
        case And(operands):
            # A nested And or Or must keep its parentheses, or it would merge into this chain
            # (And) or bind looser than this node (Or).
            return " and ".join(_grouped(o, (And, Or)) for o in operands)
        case Or(operands):
            # And binds tighter than or, so only a nested Or needs parentheses.
            return " or ".join(_grouped(o, (Or,)) for o in operands)
    raise TypeError(f"not a filter node: {node!r}")


def _grouped(node: FilterNode, needs_parens: tuple[type, ...]) -> str:
    text = format_filter(node)
    return f"({text})" if isinstance(node, needs_parens) else text
