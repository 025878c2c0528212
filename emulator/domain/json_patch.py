"""RFC 6902 JSON Patch applied under a rule of which members may change.

The documents list the patchable fields per resource (and per campaign status); any operation
touching another member is refused before anything changes.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import jsonpatch
import jsonpointer

from emulator.domain.errors import InvalidRequest

PathRule = Callable[[list[str]], bool]


def apply_json_patch(
    document: dict[str, Any], operations: list[dict[str, Any]], may_change: PathRule
) -> dict[str, Any]:
    """Return a patched copy of `document`; the original is never modified.

    `may_change` receives the JSON Pointer tokens of every location an operation writes (the
    target, and the source of a `move`) and says whether the resource allows it.
    """
    for index, operation in enumerate(operations):
        written = [operation["path"]]
        if operation["op"] == "move":
            written.append(operation.get("from", ""))
        if operation["op"] in ("move", "copy") and "from" not in operation:
            raise InvalidRequest(f"operation {index}: '{operation['op']}' needs 'from'", "from")
        for pointer in written:
            tokens = _tokens(pointer, index)
            if operation["op"] != "test" and not may_change(tokens):
                raise InvalidRequest(
                    f"operation {index}: '{pointer}' is not a patchable field", field=pointer
                )
    try:
        return jsonpatch.apply_patch(copy.deepcopy(document), operations, in_place=False)
    except jsonpatch.JsonPatchTestFailed as error:
        raise InvalidRequest(f"JSON Patch test failed: {error}", field="test") from error
    except (jsonpatch.JsonPatchException, jsonpointer.JsonPointerException) as error:
        raise InvalidRequest(f"JSON Patch could not be applied: {error}", field="path") from error


def _tokens(pointer: str, index: int) -> list[str]:
    try:
        return list(jsonpointer.JsonPointer(pointer).parts)
    except jsonpointer.JsonPointerException as error:
        raise InvalidRequest(
            f"operation {index}: invalid JSON Pointer {pointer!r}", "path"
        ) from error
