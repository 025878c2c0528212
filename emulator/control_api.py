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

Bad input answers 400 {"error": ...}; the control API is for tests on loopback and has no auth.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from emulator import learned_answers
from emulator.config import RateLimit, check_answers, client_from_record
from emulator.domain import campaigns
from emulator.domain.tenant import CAMPAIGN, KINDS, TEMPLATE
from emulator.traffic_controls import FaultProfile, RateLimiter
from spec.learned_profile import ProfileSourceError, describe, profile_from_document

if TYPE_CHECKING:
    from emulator.app import Emulator

PREFIX = "/emulator"


class ControlError(Exception):
    pass


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


def control_routes(emulator: Emulator) -> list[Route]:
    def guarded(handler):
        async def endpoint(request: Request) -> Response:
            try:
                return await handler(request)
            except (ControlError, ValueError) as error:
                return JSONResponse({"error": str(error)}, status_code=400)

        return endpoint

    def slot_of(request: Request):
        return emulator.tenants.slot(request.path_params["tenant"])

    async def health(request: Request) -> Response:
        return JSONResponse({"status": "ok", "tenants": emulator.tenants.names()})

    async def add_client(request: Request) -> Response:
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
        return JSONResponse(emulator.tenants.names())

    async def reset(request: Request) -> Response:
        emulator.tenants.reset(request.path_params["tenant"])
        return Response(status_code=204)

    async def clock(request: Request) -> Response:
        tenant = slot_of(request).tenant
        if request.method == "POST":
            seconds = _number(await _json(request), "advanceSeconds")
            with tenant.lock:
                tenant.advance_clock(seconds)
        return JSONResponse({"now": tenant.stamp(), "offsetSeconds": tenant.clock.offset_seconds})

    async def rate_limit(request: Request) -> Response:
        slot = slot_of(request)
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
            return JSONResponse(slot_of(request).faults.as_dict())
        body = await _json(request)
        profile = FaultProfile(
            _number(body, "latencyMs", 0),
            _number(body, "errorRate", 0),
            int(_number(body, "errorStatus", 502)),
        )
        slot_of(request).faults = profile
        return JSONResponse(profile.as_dict())

    async def transition_delay(request: Request) -> Response:
        if request.method == "GET":
            return JSONResponse({"seconds": slot_of(request).tenant.transition_delay})
        seconds = _number(await _json(request), "seconds")
        if seconds < 0:
            raise ControlError("seconds must not be negative")
        slot_of(request).tenant.transition_delay = seconds
        return JSONResponse({"seconds": seconds})

    async def answers(request: Request) -> Response:
        tenant = slot_of(request).tenant
        if request.method == "PUT":
            profile = check_answers((await _json(request)).get("profile"))
            with tenant.lock:
                tenant.answers = profile
        return JSONResponse({"profile": tenant.answers})

    async def like(request: Request) -> Response:
        tenant = slot_of(request).tenant
        try:
            profile = profile_from_document(await _json(request), "the request body")
        except ProfileSourceError as error:
            raise ControlError(str(error)) from None
        name = learned_answers.register(profile)
        with tenant.lock:
            tenant.answers = name
        return JSONResponse({"profile": name, "changes": describe(profile)})

    async def violations(request: Request) -> Response:
        tenant = slot_of(request).tenant
        if request.method == "DELETE":
            tenant.violations.clear()
            return Response(status_code=204)
        return JSONResponse([violation.as_dict() for violation in tenant.violations])

    async def objects(request: Request) -> Response:
        tenant = slot_of(request).tenant
        with tenant.lock:
            counts = {kind: len(tenant.documents[kind]) for kind in KINDS}
            names = {
                "campaigns": sorted(str(c.get("name")) for c in tenant.all(CAMPAIGN)),
                "templates": sorted(str(t.get("name")) for t in tenant.all(TEMPLATE)),
            }
        return JSONResponse({"counts": counts, **names})

    async def certifications(request: Request) -> Response:
        tenant = slot_of(request).tenant
        with tenant.lock:
            campaign_id = request.path_params["campaign_id"]
            if tenant.get(CAMPAIGN, campaign_id) is None:
                return JSONResponse({"error": f"no campaign {campaign_id}"}, status_code=404)
            return JSONResponse(campaigns.certifications_of(tenant, campaign_id))

    table = [
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
    return [
        Route(PREFIX + path, guarded(handler), methods=methods) for path, handler, methods in table
    ]
