"""JSON Patch documents that are not well formed, each with the reason.

Every one is rejected by the spec's request schema (an array of JsonPatchOperation), whatever
resource it is sent to. The faulty operation sits among well-formed ones, so a server must
check every operation, not only the first.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hypothesis import strategies as st

from strategies.json_values import json_values_except, json_values_of
from strategies.scalars import printable_text
from strategies.spec_facts import PATCH_OPERATIONS

Operation = dict[str, Any]
_PATHS = st.sampled_from(["/name", "/description", "/deadline", "/campaign/name"])


def _well_formed() -> st.SearchStrategy[Operation]:
    return st.fixed_dictionaries(
        {"op": st.just("replace"), "path": st.just("/description"), "value": printable_text()}
    )


def _operations(ops: tuple[str, ...]) -> st.SearchStrategy[Operation]:
    """Well-formed operations whose op is one of `ops` (with a value where it needs one)."""

    def build(op: str, path: str, value: Any) -> Operation:
        operation: Operation = {"op": op, "path": path}
        if op in ("add", "replace", "test"):
            operation["value"] = value
        if op in ("move", "copy"):
            operation["from"] = "/name"
        return operation

    return st.builds(build, st.sampled_from(ops), _PATHS, printable_text())


def _drop(member: str) -> Callable[[Operation], Operation]:
    return lambda operation: {k: v for k, v in operation.items() if k != member}


_UNKNOWN_OPS = st.one_of(
    st.sampled_from(["rename", "merge", "REPLACE", "Add", "", "delete"]), printable_text()
).filter(lambda op: op not in PATCH_OPERATIONS)

# (faulty operation, reason), each one fault in an otherwise well-formed operation.
_FAULTY: tuple[tuple[st.SearchStrategy[Any], str], ...] = (
    (json_values_except(["object"]), "an operation is not an object"),
    (_operations(PATCH_OPERATIONS).map(_drop("op")), "an operation has no op"),
    (
        st.builds(lambda o, op: {**o, "op": op}, _operations(PATCH_OPERATIONS), _UNKNOWN_OPS),
        "op is not an RFC 6902 operation",
    ),
    (_operations(PATCH_OPERATIONS).map(_drop("path")), "an operation has no path"),
    (
        st.builds(
            lambda o, path: {**o, "path": path},
            _operations(PATCH_OPERATIONS),
            json_values_except(["string"]),
        ),
        "path is not a string",
    ),
    (_operations(("add", "replace")).map(_drop("value")), "add and replace need a value"),
    (
        st.builds(
            lambda o, v: {**o, "value": v},
            _operations(("add", "replace")),
            st.one_of(json_values_of("null"), json_values_of("number")),
        ),
        "the value is null or a non-integral number (JsonPatchOperationValue allows neither)",
    ),
    (
        st.builds(
            lambda o, v: {**o, "value": [v]},
            _operations(("add", "replace")),
            st.one_of(json_values_of("boolean"), json_values_of("null"), json_values_of("number")),
        ),
        "an array value holds a boolean, null or non-integral number",
    ),
    (
        st.builds(
            lambda o, v: {**o, "from": v},
            _operations(("move", "copy")),
            json_values_except(["string"]),
        ),
        "from is not a string",
    ),
)


@st.composite
def _faulty_among_valid(draw: st.DrawFn) -> tuple[list[Any], str]:
    faulty, reason = draw(st.sampled_from(_FAULTY))
    valid = draw(st.lists(_well_formed(), max_size=2))
    at = draw(st.integers(0, len(valid)))
    return [*valid[:at], draw(faulty), *valid[at:]], reason


@st.composite
def _not_a_list(draw: st.DrawFn) -> tuple[Any, str]:
    body = draw(st.one_of(_well_formed(), json_values_except(["array", "null"])))
    return body, "the document is not a list of operations"


def malformed_patches() -> st.SearchStrategy[tuple[Any, str]]:
    """(document, reason): a JSON Patch document the JsonPatchOperation array schema rejects:
    not a list; an operation that is not an object, lacks op or path, has an unknown op, a
    non-string path or from, no value on add/replace, or a value of a type the spec's
    JsonPatchOperationValue excludes."""
    return st.one_of(_not_a_list(), _faulty_among_valid())
