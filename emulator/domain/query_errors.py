"""The error raised for invalid V3 standard collection parameters."""

from __future__ import annotations


class QueryError(Exception):
    """A ``filters``, ``sorters``, ``limit`` or ``offset`` value the API must reject.

    ``parameter`` names the offending query parameter so the HTTP layer can report it;
    ``message`` is a human-readable explanation (also the ``str()`` of the exception).
    """

    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(message)
        self.parameter = parameter
        self.message = message

    def __repr__(self) -> str:
        return f"QueryError(parameter={self.parameter!r}, message={self.message!r})"
