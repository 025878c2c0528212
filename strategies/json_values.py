"""JSON values by JSON Schema type, for bodies that send the wrong type on purpose."""

from __future__ import annotations

from collections.abc import Iterable

from hypothesis import strategies as st

from strategies.scalars import printable_text

JSON_TYPES = ("string", "boolean", "integer", "number", "null", "array", "object")

_SCALARS: dict[str, st.SearchStrategy] = {
    "string": printable_text(max_size=10),
    "boolean": st.booleans(),
    "integer": st.integers(-(2**31), 2**31 - 1),
    # Only non-integral numbers: JSON Schema counts 1.0 as an integer.
    "number": st.floats(allow_nan=False, allow_infinity=False).filter(lambda x: not x.is_integer()),
    "null": st.none(),
}


def json_values_of(json_type: str) -> st.SearchStrategy:
    """Values whose JSON Schema type is `json_type`; arrays and objects hold small scalars."""
    if json_type == "array":
        return st.lists(st.one_of(_SCALARS.values()), max_size=3)
    if json_type == "object":
        return st.dictionaries(printable_text(max_size=8), st.one_of(_SCALARS.values()), max_size=3)
    return _SCALARS[json_type]


def json_values_except(allowed: Iterable[str]) -> st.SearchStrategy:
    """Values of none of the `allowed` JSON Schema types ("number" allows integers too)."""
    allowed = set(allowed)
    if "number" in allowed:
        allowed.add("integer")
    others = [t for t in JSON_TYPES if t not in allowed]
    if not others:
        raise ValueError("every JSON type is allowed: nothing is the wrong type")
    return st.one_of([json_values_of(t) for t in others])
