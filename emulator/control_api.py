"""The control API, outside /v3: what a test needs to steer the emulator.

    GET    /emulator/health
    POST   /emulator/clients                          {clientId, clientSecret, authorities, tenant,
                                                        tokenTtlSeconds}
    GET    /emulator/tenants
    POST   /emulator/tenants/{tenant}/reset
    GET    /emulator/tenants/{tenant}/clock
    POST   /emulator/tenants/{tenant}/clock            {advanceSeconds}
    PUT    /emulator/tenants/{tenant}/rate-limit       {requests, perSeconds} or {requests: null}
    PUT    /emulator/tenants/{tenant}/faults           {latencyMs, errorRate, errorStatus}
    PUT    /emulator/tenants/{tenant}/transition-delay {seconds}
           (GET on each of these three answers the current value)
    GET    /emulator/tenants/{tenant}/answers          {profile}: documented or published
    PUT    /emulator/tenants/{tenant}/answers          {profile}
    PUT    /emulator/tenants/{tenant}/like             a results.json document: answer as
           the tenant of that run was seen to answer ({profile, changes})
    GET    /emulator/tenants/{tenant}/violations       (DELETE clears them)
    GET    /emulator/tenants/{tenant}/objects          counts and names of what the tenant holds
    GET    /emulator/tenants/{tenant}/campaigns/{id}/certifications

Bad input answers 400 {"error": ...}. Every handler reaches the emulator through the app's
state (`request.app.state.emulator`), as Starlette endpoints do. On loopback the control API
needs no credentials; bound beyond loopback (`--host 0.0.0.0` for a shared emulator), it
answers only requests with `Authorization: Bearer <control token>` (the token given at start
with --control-token or EMULATOR_CONTROL_TOKEN), else 401 {"error": ...}.
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from emulator import learned_answers
from emulator.config import EmulatorConfig, check_answers, client_from_record
from emulator.domain import campaigns
from emulator.domain.tenant import CAMPAIGN, KINDS, TEMPLATE
from emulator.tenants import TenantSlot
from emulator.traffic_controls import FaultProfile, RateLimiter
from spec.learned_profile import ProfileSourceError, describe, profile_from_document
from spec.rate_limit import RateLimit

if TYPE_CHECKING:
    from emulator.pipeline import Emulator

PREFIX = "/emulator"
CONTROL_TOKEN_VARIABLE = "EMULATOR_CONTROL_TOKEN"

Handler = Callable[[Request], Awaitable[Response]]


class ControlError(Exception):
    pass


def _emulator(request: Request) -> Emulator:
    """The emulator this app serves (create_app puts it in the app's state)."""
    return request.app.state.emulator


def _slot(request: Request) -> TenantSlot:
    return _emulator(request).tenants.slot(request.path_params["tenant"])


async def _json(request: Request) -> dict[str, Any]:
    try:
        body = json.loads(await request.body() or b"{}")
    except ValueError as error:
        raise ControlError(f"body is not JSON: {error}") from error
    if not isinstance(body, dict):
        raise ControlError("body must be a JSON object")
    return body


def _number(body: dict, key: str, default: float | None = None) -> float:
    value = body.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ControlError(f"{key} must be a number")
    return float(value)


def _refusal(request: Request) -> str | None:
    """Why a control request is refused (401), or None. On loopback every request is
    answered; bound beyond it, only those bearing the control token given at start."""
    config = _emulator(request).config
    if not config.control_needs_token:
        return None
    if not config.control_token:
        return (
            f"the control API is closed: the emulator listens on {config.host} beyond "
            f"loopback and was started without --control-token (or {CONTROL_TOKEN_VARIABLE})"
        )
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(
        token.encode(), config.control_token.encode()
    ):
        return "the control API needs the control token: Authorization: Bearer <token>"
    return None


def access(config: EmulatorConfig) -> str:
    """Who the control API answers, for the start-up banner."""
    if not config.control_api:
        return "hidden (--no-control-api)"
    if not config.control_needs_token:
        return "open to this machine (bound to loopback)"
    if config.control_token:
        return f"needs the control token (bound to {config.host}): Authorization: Bearer <token>"
    return f"closed (bound to {config.host} without --control-token)"


def _guarded(handler: Handler) -> Handler:
    async def endpoint(request: Request) -> Response:
        refusal = _refusal(request)
        if refusal is not None:
            return JSONResponse({"error": refusal}, status_code=401)
        try:
            return await handler(request)
        except (ControlError, ValueError) as error:
            return JSONResponse({"error": str(error)}, status_code=400)

    return endpoint


async def health(request: Request) -> Response:
    return JSONResponse({"status": "ok", "tenants": _emulator(request).tenants.names()})


async def add_client(request: Request) -> Response:
    emulator = _emulator(request)
    client = client_from_record(await _json(request))
    emulator.tokens.register(client)
    emulator.tenants.slot(client.tenant)
    return JSONResponse(
        {
            "clientId": client.client_id,
            "tenant": client.tenant,
            "authorities": sorted(client.authorities),
        },
        status_code=201,
    )


async def tenants(request: Request) -> Response:
    return JSONResponse(_emulator(request).tenants.names())


async def reset(request: Request) -> Response:
    _emulator(request).tenants.reset(request.path_params["tenant"])
    return Response(status_code=204)


async def clock(request: Request) -> Response:
    tenant = _slot(request).tenant
    if request.method == "POST":
        seconds = _number(await _json(request), "advanceSeconds")
        with tenant.lock:
            tenant.advance_clock(seconds)
    return JSONResponse({"now": tenant.stamp(), "offsetSeconds": tenant.clock.offset_seconds})


async def rate_limit(request: Request) -> Response:
    slot = _slot(request)
    if request.method == "GET":
        limit = slot.rate_limiter.limit
        if limit is None:
            return JSONResponse({"requests": None})
        return JSONResponse({"requests": limit.requests, "perSeconds": limit.per_seconds})
    body = await _json(request)
    if body.get("requests") is None:
        slot.rate_limiter = RateLimiter(None)
        return JSONResponse({"requests": None})
    limit = RateLimit(int(_number(body, "requests")), _number(body, "perSeconds", 10))
    if limit.requests < 1 or limit.per_seconds <= 0:
        raise ControlError("requests and perSeconds must be positive")
    slot.rate_limiter = RateLimiter(limit)
    return JSONResponse({"requests": limit.requests, "perSeconds": limit.per_seconds})


async def faults(request: Request) -> Response:
    if request.method == "GET":
        return JSONResponse(_slot(request).faults.as_dict())
    body = await _json(request)
    profile = FaultProfile(
        _number(body, "latencyMs", 0),
        _number(body, "errorRate", 0),
        int(_number(body, "errorStatus", 502)),
    )
    _slot(request).faults = profile
    return JSONResponse(profile.as_dict())


async def transition_delay(request: Request) -> Response:
    if request.method == "GET":
        return JSONResponse({"seconds": _slot(request).tenant.transition_delay})
    seconds = _number(await _json(request), "seconds")
    if seconds < 0:
        raise ControlError("seconds must not be negative")
    _slot(request).tenant.transition_delay = seconds
    return JSONResponse({"seconds": seconds})


async def answers(request: Request) -> Response:
    tenant = _slot(request).tenant
    if request.method == "PUT":
        profile = check_answers((await _json(request)).get("profile"))
        with tenant.lock:
            tenant.answers = profile
    return JSONResponse({"profile": tenant.answers})


async def like(request: Request) -> Response:
    tenant = _slot(request).tenant
    try:
        profile = profile_from_document(await _json(request), "the request body")
    except ProfileSourceError as error:
        raise ControlError(str(error)) from None
    name = learned_answers.register(profile)
    with tenant.lock:
        tenant.answers = name
    return JSONResponse({"profile": name, "changes": describe(profile)})


async def violations(request: Request) -> Response:
    tenant_name = request.path_params["tenant"]
    if request.method == "DELETE":
        _slot(request).tenant.violations.clear()
        return Response(status_code=204)
    found = _emulator(request).violations(tenant_name)
    return JSONResponse([violation.as_dict() for violation in found])


async def objects(request: Request) -> Response:
    tenant = _slot(request).tenant
    with tenant.lock:
        counts = {kind: len(tenant.documents[kind]) for kind in KINDS}
        names = {
            "campaigns": sorted(str(c.get("name")) for c in tenant.all(CAMPAIGN)),
            "templates": sorted(str(t.get("name")) for t in tenant.all(TEMPLATE)),
        }
    return JSONResponse({"counts": counts, **names})


async def certifications(request: Request) -> Response:
    tenant = _slot(request).tenant
    with tenant.lock:
        campaign_id = request.path_params["campaign_id"]
        if tenant.get(CAMPAIGN, campaign_id) is None:
            return JSONResponse({"error": f"no campaign {campaign_id}"}, status_code=404)
        return JSONResponse(campaigns.certifications_of(tenant, campaign_id))


_TABLE: list[tuple[str, Handler, list[str]]] = [
    ("/health", health, ["GET"]),
    ("/clients", add_client, ["POST"]),
    ("/tenants", tenants, ["GET"]),
    ("/tenants/{tenant}/reset", reset, ["POST"]),
    ("/tenants/{tenant}/clock", clock, ["GET", "POST"]),
    ("/tenants/{tenant}/rate-limit", rate_limit, ["GET", "PUT"]),
    ("/tenants/{tenant}/faults", faults, ["GET", "PUT"]),
    ("/tenants/{tenant}/transition-delay", transition_delay, ["GET", "PUT"]),
    ("/tenants/{tenant}/answers", answers, ["GET", "PUT"]),
    ("/tenants/{tenant}/like", like, ["PUT"]),
    ("/tenants/{tenant}/violations", violations, ["GET", "DELETE"]),
    ("/tenants/{tenant}/objects", objects, ["GET"]),
    ("/tenants/{tenant}/campaigns/{campaign_id}/certifications", certifications, ["GET"]),
]
CONTROL_ROUTES = [
    Route(PREFIX + path, _guarded(handler), methods=methods) for path, handler, methods in _TABLE
]
