"""Which documented operation a request is: the one place a method and a path become an id.

The emulator routes with it (`resource`: the path first, so a method the path does not take is
a 405), the suite's client layer tags each request with it (`match`), and the reports read the
id it gave instead of matching paths again.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
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
    without the `/v3` prefix. The method picks among the templates the path matches, so a
    client's request is named by the operation it meant (see `resource` for the gate's view)."""
    method = method.upper()
    return next((m for m in _matches(api_path(url_or_path)) if m.method == method), None)


@dataclass(frozen=True)
class Resource:
    """A path of the API as a request named it: the template, the operations it takes (one
    per method) and the path parameters. `operation(method)` is None where the path exists but
    does not take the method (a 405, not a 404)."""

    path_template: str
    routes: tuple[Route, ...]
    path_params: dict[str, str]

    @property
    def methods(self) -> list[str]:
        """The methods the path takes (a 405's Allow header)."""
        return sorted(route.method for route in self.routes)

    def operation(self, method: str) -> Match | None:
        method = method.upper()
        found = next((route for route in self.routes if route.method == method), None)
        return Match(found, self.path_params) if found else None


def resource(path: str) -> Resource | None:
    """The resource a path under `/v3` names: the first template it matches (literal segments
    first), whatever the method, so `GET /v3/campaigns/delete` is a method that path does not
    take rather than getCampaign of a campaign named "delete". None outside `/v3` or for a
    path the API does not have."""
    if not path.startswith(API_PREFIX + "/"):
        return None
    first = next(_matches(api_path(path)), None)
    if first is None:
        return None
    template = first.path_template
    at_path = tuple(route for route in routes() if route.path_template == template)
    return Resource(template, at_path, first.path_params)


def _matches(path: str) -> Iterator[Match]:
    """Every operation whose template `path` (after `/v3`) matches, in `routes()` order."""
    for route in routes():
        found = route.pattern.match(path)
        if found:
            yield Match(route, {key: unquote(value) for key, value in found.groupdict().items()})


def operation_id(method: str, url_or_path: str) -> str | None:
    """The id of the operation a request is, or None."""
    found = match(method, url_or_path)
    return found.operation_id if found else None
