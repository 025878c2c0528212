"""Which documented operation a request is: the one place a method and a path become an id.

The emulator routes with it, the suite's client layer tags each request with it, and the
reports read the id it gave instead of matching paths again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from urllib.parse import unquote, urlsplit

import spec

API_PREFIX = "/v3"


@dataclass(frozen=True)
class Route:
    """One documented operation: its id, method and path template (after `/v3`)."""

    operation_id: str
    method: str
    path_template: str
    pattern: re.Pattern[str] = field(repr=False, compare=False)


@dataclass(frozen=True)
class Match:
    """A request matched to its operation, with the path parameters it carried."""

    route: Route
    path_params: dict[str, str]

    @property
    def operation_id(self) -> str:
        return self.route.operation_id

    @property
    def method(self) -> str:
        return self.route.method

    @property
    def path_template(self) -> str:
        return self.route.path_template


@cache
def routes() -> tuple[Route, ...]:
    """Every operation of the API and its documented neighbours, literal segments first, so
    `/campaigns/delete` is never read as `/campaigns/{id}`."""
    found = []
    for method, path, operation in spec.operations(neighbours=True):
        regex = re.sub(r"\\{(\w+)\\}", r"(?P<\1>[^/]+)", re.escape(path))
        found.append(Route(operation["operationId"], method, path, re.compile(f"{regex}$")))
    found.sort(key=lambda route: route.path_template.count("{"))
    return tuple(found)


def api_path(url_or_path: str) -> str:
    """The part of a URL or path after `/v3` (the whole path when it has no `/v3`)."""
    path = urlsplit(url_or_path).path
    head, prefix, rest = path.partition(API_PREFIX)
    return rest if prefix else head


def match(method: str, url_or_path: str) -> Match | None:
    """The operation a request is, if any; `url_or_path` may be a full URL or a path with or
    without the `/v3` prefix."""
    path = api_path(url_or_path)
    method = method.upper()
    for route in routes():
        if route.method != method:
            continue
        found = route.pattern.match(path)
        if found:
            params = {key: unquote(value) for key, value in found.groupdict().items()}
            return Match(route, params)
    return None


def operation_id(method: str, url_or_path: str) -> str | None:
    """The id of the operation a request is, or None."""
    found = match(method, url_or_path)
    return found.operation_id if found else None
