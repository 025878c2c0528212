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
def _validator(schema_name: str) -> Validator:
    return spec.component_validator(schema_name, "request")


def check_against_schema(schema_name: str, document: Any) -> None:
    """Raise InvalidRequest naming the first offending member."""
    error = next(iter(_validator(schema_name).iter_errors(document)), None)
    if error is not None:
        where = ".".join(str(part) for part in error.absolute_path) or "body"
        raise InvalidRequest(f"{where}: {error.message}", field=where)
