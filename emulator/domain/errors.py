"""Domain errors: what went wrong, in the API's terms, with no HTTP in sight.

The HTTP layer maps `NotFound` to 404 and every other `DomainError` to 400, always in the
documented ErrorResponseDto shape.
"""

from __future__ import annotations


class DomainError(Exception):
    """A request the API refuses. `field` names the offending member when there is one."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidRequest(DomainError):
    """The request breaks a documented rule (answered 400)."""


class NotFound(DomainError):
    """The request names an object the tenant does not have (answered 404)."""

    def __init__(self, kind: str, object_id: str) -> None:
        super().__init__(f"{kind} '{object_id}' does not exist", field="id")
        self.kind = kind
        self.object_id = object_id
