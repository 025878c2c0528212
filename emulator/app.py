"""The emulator's ASGI application: the routes in front of the request pipeline.

`/oauth/token` issues tokens, `/emulator/...` is the control API (emulator.control_api), and
every other request goes to the pipeline (emulator.pipeline), which matches it to its
operation with spec.routes. Repeated slashes in a path are served as one, as a tenant's
gateway serves them, and the pipeline tells the client author.
"""

from __future__ import annotations

import contextlib

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from emulator import http_errors
from emulator.config import EmulatorConfig
from emulator.control_api import CONTROL_ROUTES
from emulator.gate import request_findings
from emulator.pipeline import SENT_PATH, Emulator


class CollapseRepeatedSlashes:
    """`//v3/campaigns` (a base URL ending in '/') is served as `/v3/campaigns`; the path the
    client sent stays in the scope (SENT_PATH) for the gate's warning."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and "//" in scope["path"]:
            raw = scope.get("raw_path") or scope["path"].encode()
            scope = {
                **scope,
                "path": request_findings.collapse_slashes(scope["path"]),
                "raw_path": request_findings.collapse_slashes(raw.decode("latin-1")).encode(
                    "latin-1"
                ),
                SENT_PATH: scope["path"],
            }
        await self.app(scope, receive, send)


class _AnyMethodRoute(Route):
    """Every method reaches the pipeline, which answers 405 with the path's own Allow header
    (a plain Route would answer unknown methods with its own method list)."""

    def __init__(self, path: str, endpoint) -> None:
        super().__init__(path, endpoint)
        self.methods = None  # Route then neither filters methods nor answers 405 itself


async def _api(request: Request) -> Response:
    return await request.app.state.emulator.handle(request)


async def _issue_token(request: Request) -> Response:
    return await request.app.state.emulator.issue_token(request)


async def _http_error(request: Request, exc: HTTPException) -> Response:
    """Starlette's own refusals in the documented error shape: a path no route takes goes to
    the pipeline (a 404 the gate records, naming the nearest operation)."""
    if exc.status_code == 404:
        return await request.app.state.emulator.handle(request)
    # Starlette's 405 carries the route's Allow header (RFC 9110 15.5.6): keep it.
    return http_errors.error_response(exc.status_code, exc.detail, exc.headers)


async def _internal_error(request: Request, exc: Exception) -> Response:
    return http_errors.error_response(500, "The emulator failed; this is a bug in the emulator")


def create_app(config: EmulatorConfig | None = None) -> Starlette:
    emulator = Emulator(config or EmulatorConfig())
    routes = [Route("/oauth/token", _issue_token, methods=["POST"])]
    if emulator.config.control_api:
        routes += CONTROL_ROUTES
    routes.append(_AnyMethodRoute("/v3/{rest:path}", _api))

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette):
        yield
        emulator.close()

    app = Starlette(
        routes=routes,
        middleware=[Middleware(CollapseRepeatedSlashes)],
        exception_handlers={HTTPException: _http_error, Exception: _internal_error},
        lifespan=lifespan,
    )
    app.state.emulator = emulator
    return app
