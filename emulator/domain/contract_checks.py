"""Check a document the domain is about to store against its schema in spec/.

A patch can turn a valid resource into an invalid one (a name replaced by a number, a required
member removed); the result is checked against the same schema the request would have been.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from jsonschema.protocols import Validator

import spec
from emulator.domain.errors import InvalidRequest


@cache
def _validator(schema_name: str, answers: spec.Answers) -> Validator:
    return spec.component_validator(schema_name, "request", answers)


def check_against_schema(
    schema_name: str, document: Any, answers: spec.Answers = "documented"
) -> None:
    """Raise InvalidRequest naming the first offending member (of the schema as the tenant's
    answers describe it)."""
    error = next(iter(_validator(schema_name, answers).iter_errors(document)), None)
    if error is not None:
        where = ".".join(str(part) for part in error.absolute_path) or "body"
        raise InvalidRequest(f"{where}: {error.message}", field=where)


def declared_only(schema_name: str, document: Any) -> Any:
    """`document` without the members its schema does not declare, at every depth.

    A tenant stores what its model knows; it does not echo unknown members back. The schemas
    allow extra members in requests (no additionalProperties: false), so they are dropped here.
    """
    return _strip(spec.resolve(f"#/components/schemas/{schema_name}"), document)


def _strip(schema: dict, value: Any) -> Any:
    schema = spec.deref(schema)
    if isinstance(value, list) and "items" in schema:
        return [_strip(schema["items"], item) for item in value]
    if not isinstance(value, dict):
        return value
    declared = spec.declared_properties(schema)
    if declared is None:
        return value
    return {key: _strip(declared[key], member) for key, member in value.items() if key in declared}
