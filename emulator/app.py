"""The emulator's ASGI application: a request pipeline in front of the domain.

For an API request the pipeline is: route (from spec/ paths) -> bearer token (401) -> the
tenant's rate limit (429) -> injected faults -> authority (403) -> request contract (400) ->
due background work -> the operation's handler -> domain errors mapped to 400/404. Every
4xx a client's non-conforming request caused is recorded as a contract violation.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import defaultdict

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from emulator import http_errors, learned_answers, token_endpoint
from emulator.api_operations import HANDLERS, Call
from emulator.auth import AuthError, TokenService
from emulator.config import EmulatorConfig
from emulator.control_api import control_routes
from emulator.domain import campaign_tasks, campaigns
from emulator.domain.errors import DomainError, NotFound
from emulator.domain.query_errors import QueryError
from emulator.domain.tenant import CAMPAIGN, Document, Tenant, Violation
from emulator.persistence import SqliteJournal
from emulator.request_contract import OperationContract, RequestRejected, load_contracts, validate
from emulator.tenants import TenantRegistry

API_PREFIX = "/v3"


class Emulator:
    """The emulator's state: clients and tokens, tenants, and the operation contracts."""

    def __init__(self, config: EmulatorConfig) -> None:
        self.config = config
        self.tokens = TokenService(config.signing_key, config.token_ttl_seconds)
        for client in config.clients:
            self.tokens.register(client)
        self.journal = SqliteJournal(config.db_path) if config.db_path else None
        self.tenants = TenantRegistry(config, self.journal)
        self.contracts = load_contracts()

    # --- the API pipeline ------------------------------------------------------------------
    async def handle(self, request: Request, by_method: dict[str, OperationContract]) -> Response:
        contract = by_method.get(request.method)
        if contract is None:
            allow = ", ".join(sorted(by_method))
            return http_errors.error_response(
                405, f"{request.method} is not an operation of this path", {"Allow": allow}
            )
        authorization = request.headers.get("authorization")
        try:
            principal = self.tokens.verify(authorization)
        except AuthError as error:
            self._violation(request, contract, 401, str(error), authorization)
            return http_errors.unauthorized(str(error))
        slot = self.tenants.slot(principal.tenant)
        retry_after = slot.rate_limiter.retry_after(authorization or "")
        if retry_after is not None:
            return http_errors.too_many_requests(retry_after)
        if slot.faults.latency_ms:
            await asyncio.sleep(slot.faults.latency_ms / 1000)
        if slot.faults.should_fail():
            return http_errors.error_response(slot.faults.error_status, "Injected fault")
        tenant = slot.tenant
        if not principal.authorities & contract.authorities:
            reason = f"needs one of {sorted(contract.authorities)}"
            self._record(tenant, request, contract, 403, reason, principal.client.client_id)
            return http_errors.error_response(403, f"This operation {reason}")
        try:
            valid = validate(
                contract,
                request.path_params,
                request.query_params,
                request.headers.get("content-type"),
                await request.body(),
                tenant.answers,
            )
        except RequestRejected as error:
            cause = f"{error.field}: {error.message}"
            self._record(tenant, request, contract, 400, cause, principal.client.client_id)
            return http_errors.error_response(400, cause)
        with tenant.lock:
            tenant.run_due_work(lambda kind, doc: _finish_work(tenant, kind, doc))
            try:
                body, headers = HANDLERS[contract.operation_id](Call(tenant, principal, valid))
            except NotFound as error:
                return http_errors.error_response(404, error.message)
            except (DomainError, QueryError) as error:
                field = getattr(error, "field", None) or getattr(error, "parameter", None)
                cause = f"{field}: {error.message}" if field else error.message
                self._record(tenant, request, contract, 400, cause, principal.client.client_id)
                return http_errors.error_response(400, cause)
        status = contract.status_for(tenant.answers)
        body = learned_answers.add_learned_members(tenant.answers, contract.operation_id, body)
        if body is None:
            return Response(status_code=status, headers=headers)
        return JSONResponse(body, status_code=status, headers=headers)

    async def issue_token(self, request: Request) -> Response:
        """POST /oauth/token (RFC 6749 client credentials, see emulator.token_endpoint)."""
        return await token_endpoint.issue_token(request, self.tokens)

    # --- violations --------------------------------------------------------------------------
    def _violation(self, request, contract, status, reason, authorization) -> None:
        client = self.tokens.peek_client(authorization)
        if client is None:
            violation = _make_violation(None, request, contract, status, reason, None)
            self.tenants.unattributed.append(violation)
            del self.tenants.unattributed[:-1000]
            return
        tenant = self.tenants.slot(client.tenant).tenant
        self._record(tenant, request, contract, status, reason, client.client_id)

    def _record(self, tenant: Tenant, request, contract, status, reason, client_id) -> None:
        tenant.record_violation(
            _make_violation(tenant, request, contract, status, reason, client_id)
        )

    def close(self) -> None:
        if self.journal is not None:
            self.journal.close()


def _make_violation(tenant, request, contract, status, reason, client_id) -> Violation:
    stamp = tenant.stamp() if tenant is not None else ""
    return Violation(
        stamp, contract.operation_id, request.method, request.url.path, status, reason, client_id
    )


def _finish_work(tenant: Tenant, kind: str, document: Document) -> None:
    if kind == CAMPAIGN:
        campaigns.finish_work(tenant, document)
    else:
        campaign_tasks.finish_report(tenant, document)


def _api_routes(emulator: Emulator) -> list[Route]:
    by_path: dict[str, dict[str, OperationContract]] = defaultdict(dict)
    for contract in emulator.contracts.values():
        by_path[contract.path][contract.method] = contract

    def endpoint_for(by_method: dict[str, OperationContract]):
        async def endpoint(request: Request) -> Response:
            return await emulator.handle(request, by_method)

        return endpoint

    # Literal segments must win over {id}: /campaigns/delete before /campaigns/{id}.
    ordered = sorted(by_path, key=lambda path: (path.count("{"), path))
    return [_AnyMethodRoute(API_PREFIX + path, endpoint_for(by_path[path])) for path in ordered]


class _AnyMethodRoute(Route):
    """Every method reaches the pipeline, which answers 405 with the path's own Allow header
    (a plain Route would answer unknown methods with its own method list)."""

    def __init__(self, path: str, endpoint) -> None:
        super().__init__(path, endpoint)
        self.methods = None  # Route then neither filters methods nor answers 405 itself


async def _http_error(request: Request, exc: HTTPException) -> Response:
    """Starlette's own refusals (no route, a method a route does not take) in the documented
    error shape."""
    if exc.status_code == 404:
        return http_errors.error_response(404, f"No operation at {request.url.path}")
    # Starlette's 405 carries the route's Allow header (RFC 9110 15.5.6): keep it.
    return http_errors.error_response(exc.status_code, exc.detail, exc.headers)


async def _internal_error(request: Request, exc: Exception) -> Response:
    return http_errors.error_response(500, "The emulator failed; this is a bug in the emulator")


def create_app(config: EmulatorConfig | None = None) -> Starlette:
    emulator = Emulator(config or EmulatorConfig())
    routes = [Route("/oauth/token", emulator.issue_token, methods=["POST"])]
    routes += _api_routes(emulator)
    if emulator.config.control_api:
        routes += control_routes(emulator)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette):
        yield
        emulator.close()

    app = Starlette(
        routes=routes,
        exception_handlers={HTTPException: _http_error, Exception: _internal_error},
        lifespan=lifespan,
    )
    app.state.emulator = emulator
    return app
