"""The emulator's request pipeline in front of the domain.

For an API request: route (spec.routes, the one matcher of a request to its operation) ->
bearer token (401) -> the tenant's latency -> its rate limit (429) -> injected errors ->
authority (403) -> request contract (400) -> due background work -> the operation's handler
-> domain errors mapped to 400/404. What a client got wrong is recorded for the gate: every
4xx its request caused, and what a tenant accepts but ignores (undeclared members and query
parameters, repeated slashes, requests sent before their Retry-After ran out;
emulator.gate.request_findings).
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from emulator import http_errors, learned_answers, token_endpoint
from emulator.api_operations import HANDLERS, Call
from emulator.auth import AuthError, Principal, TokenService
from emulator.config import ClientConfig, EmulatorConfig
from emulator.domain import campaign_tasks, campaigns
from emulator.domain.errors import DomainError, NotFound
from emulator.domain.query_errors import QueryError
from emulator.domain.tenant import CAMPAIGN, Document, Tenant, Violation
from emulator.gate import request_findings
from emulator.gate.request_findings import VIOLATION, WARNING, Finding
from emulator.persistence import SqliteJournal
from emulator.request_contract import OperationContract, RequestRejected, load_contracts, validate
from emulator.tenants import TenantRegistry
from spec import routes

# The path a client sent, where the app served it with repeated slashes collapsed.
SENT_PATH = "emulator.sent_path"


@dataclass
class Outcome:
    """The answer to a request, who sent it (when the token said), and the refusal the gate
    records (a 4xx the request caused)."""

    response: Response
    principal: Principal | None = None
    refusal: Finding | None = None


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
    async def handle(self, request: Request) -> Response:
        findings = _sent_path_findings(request)
        path = request.url.path
        # The raw path: spec.routes decodes the parameters itself, once.
        raw_path = request.scope.get("raw_path", b"").decode("latin-1") or path
        resource = routes.resource(raw_path)
        found = resource.operation(request.method) if resource else None
        if found is None:
            outcome = _no_operation(request.method, path, resource)
            operation_id = None
        else:
            operation_id = found.operation_id
            findings += request_findings.judge(
                found,
                request.query_params.keys(),
                request.headers.get("content-type"),
                await request.body(),
            )
            contract = self.contracts[operation_id]
            outcome = await self._answer(request, contract, found.path_params, findings)
        if outcome.refusal is not None or findings:
            self._record(request, operation_id, outcome, findings)
        return outcome.response

    async def _answer(
        self,
        request: Request,
        contract: OperationContract,
        path_params: dict[str, str],
        findings: list[Finding],
    ) -> Outcome:
        authorization = request.headers.get("authorization")
        try:
            principal = self.tokens.verify(authorization)
        except AuthError as error:
            refusal = Finding(VIOLATION, str(error))
            return Outcome(http_errors.unauthorized(str(error)), None, refusal)
        slot = self.tenants.slot(principal.tenant)
        if slot.faults.latency_ms:  # the round trip: every answer of the tenant, 429s too
            await asyncio.sleep(slot.faults.latency_ms / 1000)
        slot.manners.requests[principal.client.client_id] += 1
        if slot.rate_limiter.retry_afters.sent_early(authorization or ""):
            # The seconds stay out of the reason, so the gate counts these as one finding.
            reason = "sent before the Retry-After its token was given ran out"
            findings.append(Finding(VIOLATION, reason))
        retry_after = slot.rate_limiter.retry_after(authorization or "")
        if retry_after is not None:
            return Outcome(http_errors.too_many_requests(retry_after), principal)
        if slot.faults.should_fail():
            response = http_errors.error_response(slot.faults.error_status, "Injected fault")
            return Outcome(response, principal)
        tenant = slot.tenant
        if not principal.authorities & contract.authorities:
            reason = f"needs one of {sorted(contract.authorities)}"
            response = http_errors.error_response(403, f"This operation {reason}")
            return Outcome(response, principal, Finding(VIOLATION, reason))
        try:
            valid = validate(
                contract,
                path_params,
                request.query_params,
                request.headers.get("content-type"),
                await request.body(),
                tenant.answers,
            )
        except RequestRejected as error:
            return _bad_request(principal, f"{error.field}: {error.message}", error.field)
        with tenant.lock:
            tenant.run_due_work(lambda kind, doc: _finish_work(tenant, kind, doc))
            try:
                body, headers = HANDLERS[contract.operation_id](Call(tenant, principal, valid))
            except NotFound as error:
                return Outcome(http_errors.error_response(404, error.message), principal)
            except (DomainError, QueryError) as error:
                field = getattr(error, "field", None) or getattr(error, "parameter", None)
                cause = f"{field}: {error.message}" if field else error.message
                return _bad_request(principal, cause, field)
        status = contract.status_for(tenant.answers)
        body = learned_answers.add_learned_members(tenant.answers, contract.operation_id, body)
        if body is None:
            return Outcome(Response(status_code=status, headers=headers), principal)
        return Outcome(JSONResponse(body, status_code=status, headers=headers), principal)

    async def issue_token(self, request: Request) -> Response:
        """POST /oauth/token (RFC 6749 client credentials, see emulator.token_endpoint); the
        tokens a client asks for are counted for the gate's manners warning."""
        response = await token_endpoint.issue_token(request, self.tokens)
        if response.status_code == 200:
            token = json.loads(bytes(response.body))["access_token"]
            principal = self.tokens.verify(f"Bearer {token}")  # warms the cache for its use
            slot = self.tenants.slot(principal.tenant)
            slot.manners.tokens[principal.client.client_id] += 1
            for finding in _sent_path_findings(request):
                self._store(principal.client, [_violation(request, None, 200, None, finding)])
        return response

    # --- what the gate reads -----------------------------------------------------------------
    def violations(self, tenant_name: str) -> list[Violation]:
        """What the tenant's clients got wrong, oldest first, then the manners warnings."""
        slot = self.tenants.slot(tenant_name)
        found = list(slot.tenant.violations)
        for client_id, reason in slot.manners.token_warnings():
            at = slot.tenant.stamp()
            warning = Violation(at, None, "POST", "/oauth/token", 200, reason, client_id, WARNING)
            found.append(warning)
        return found

    def _record(
        self,
        request: Request,
        operation_id: str | None,
        outcome: Outcome,
        findings: list[Finding],
    ) -> None:
        status = outcome.response.status_code
        tracking_id = _tracking_id(outcome.response)
        every = [outcome.refusal] if outcome.refusal is not None else []
        recorded = [
            _violation(request, operation_id, status, tracking_id, finding)
            for finding in every + findings
        ]
        client = outcome.principal.client if outcome.principal else None
        if client is None:
            client = self.tokens.peek_client(request.headers.get("authorization"))
        self._store(client, recorded)

    def _store(self, client: ClientConfig | None, violations: list[Violation]) -> None:
        if client is None:  # no token names a client: no tenant can be blamed
            self.tenants.unattributed.extend(violations)
            del self.tenants.unattributed[:-1000]
            return
        tenant = self.tenants.slot(client.tenant).tenant
        for violation in violations:
            violation.client_id = client.client_id
            violation.at = tenant.stamp()
            tenant.record_violation(violation)

    def close(self) -> None:
        if self.journal is not None:
            self.journal.close()


def _sent_path_findings(request: Request) -> list[Finding]:
    sent = request.scope.get(SENT_PATH)
    return [request_findings.repeated_slashes(sent)] if sent else []


def _no_operation(method: str, path: str, resource: routes.Resource | None) -> Outcome:
    """404 for a path the API does not have; 405 with its Allow header for a method a path
    does not take. Either is a violation naming the nearest operation."""
    finding = request_findings.unknown_operation(method, path)
    if resource is not None:
        cause = f"{method} is not an operation of this path"
        response = http_errors.error_response(405, cause, {"Allow": ", ".join(resource.methods)})
    else:
        response = http_errors.error_response(404, f"No operation at {path}")
    return Outcome(response, None, finding)


def _bad_request(principal: Principal, cause: str, field: str | None) -> Outcome:
    refusal = Finding(VIOLATION, cause, field)
    return Outcome(http_errors.error_response(400, cause), principal, refusal)


def _violation(
    request: Request,
    operation_id: str | None,
    status: int,
    tracking_id: str | None,
    finding: Finding,
) -> Violation:
    sent = request.scope.get(SENT_PATH) or request.url.path
    return Violation(
        "",
        operation_id,
        request.method,
        sent,
        status,
        finding.reason,
        None,
        finding.kind,
        tracking_id,
        finding.member,
    )


def _tracking_id(response: Response) -> str | None:
    """The trackingId of a documented error body (the one the client's logs show)."""
    if response.status_code < 400 or not isinstance(response, JSONResponse):
        return None
    try:
        body = json.loads(bytes(response.body))
    except ValueError:
        return None
    return body.get("trackingId") if isinstance(body, dict) else None


def _finish_work(tenant: Tenant, kind: str, document: Document) -> None:
    if kind == CAMPAIGN:
        campaigns.finish_work(tenant, document)
    else:
        campaign_tasks.finish_report(tenant, document)
