"""Mutations of what every operation promises: response shapes, status codes, error bodies,
authentication and authority, rate-limit answers."""

from __future__ import annotations

import contextvars
import dataclasses
import math
from typing import Any

from broken_lifecycle import WALKTHROUGH as CAMPAIGN_WALKTHROUGH
from broken_templates import WALKTHROUGH as TEMPLATE_WALKTHROUGH
from mutation_kit import EveryAuthority, Mutation, change_contract, check, rewrite_responses, rule

AUTH = "conformance/test_auth_and_errors.py"
OPENAPI = "conformance/test_openapi_conformance.py"
CREATE_POSITIVE = f"{OPENAPI}::test_operation_honours_the_spec[createCampaign-positive]"
CREATE_EXAMPLE = f"{OPENAPI}::test_documented_example_request[createCampaign]"
CAMPAIGN_ANSWERS = ("createCampaign", "getCampaign", "getActiveCampaigns", "updateCampaign")


def _name_missing() -> None:
    rewrite_responses(CAMPAIGN_ANSWERS, lambda c: {k: v for k, v in c.items() if k != "name"})


def _staged_reported_as_ready() -> None:
    def rename(campaign: dict) -> dict:
        return {**campaign, "status": "READY"} if campaign.get("status") == "STAGED" else campaign

    rewrite_responses(CAMPAIGN_ANSWERS, rename)


def _undocumented_member() -> None:
    rewrite_responses(["createCampaign"], lambda campaign: {**campaign, "revision": 1})


def _create_answers_201() -> None:
    change_contract("createCampaign", success_status=201)


def _delete_template_answers_200_with_body() -> None:
    from emulator.api_operations import HANDLERS

    original = HANDLERS["deleteCampaignTemplate"]

    def delete(call: Any) -> tuple[dict, dict]:
        original(call)
        return {"id": call.id, "deleted": True}, {}

    HANDLERS["deleteCampaignTemplate"] = delete
    change_contract("deleteCampaignTemplate", success_status=200)


# The pipeline calls `http_errors.error_response` / `too_many_requests` through the module,
# and error_response calls `error_body` through it.
def _error_400_as_message() -> None:
    from starlette.responses import JSONResponse

    from emulator import http_errors

    original = http_errors.error_response

    def error_response(status: int, cause: str | None = None, headers: dict | None = None):
        if status == 400:
            return JSONResponse({"message": cause}, status_code=400, headers=headers)
        return original(status, cause, headers)

    http_errors.error_response = error_response


def _error_404_without_tracking_id() -> None:
    from emulator import http_errors

    original = http_errors.error_body

    def error_body(status: int, cause: str | None = None) -> dict:
        body = original(status, cause)
        if status == 404:
            del body["trackingId"]
        return body

    http_errors.error_body = error_body


_OPERATION = contextvars.ContextVar[str | None]("operation", default=None)


def _no_401_for_get_campaign_reports() -> None:
    """The token check cannot see the operation, so the pipeline's entry notes it first."""
    import time

    from emulator.auth import Principal, TokenService
    from emulator.pipeline import Emulator
    from spec import routes

    original_handle, original_verify = Emulator.handle, TokenService.verify

    async def handle(self: Emulator, request: Any) -> Any:
        token = _OPERATION.set(routes.operation_id(request.method, request.url.path))
        try:
            return await original_handle(self, request)
        finally:
            _OPERATION.reset(token)

    def verify(self: TokenService, authorization: str | None) -> Principal:
        if not authorization and _OPERATION.get() == "getCampaignReports":
            return Principal(self.clients()[0], time.time() + 3600)  # the default client
        return original_verify(self, authorization)

    Emulator.handle, TokenService.verify = handle, verify


def _no_403_for_delete_campaigns() -> None:
    change_contract("deleteCampaigns", authorities=EveryAuthority({"ORG_ADMIN", "CERT_ADMIN"}))


def _retry_after_missing() -> None:
    from starlette.responses import JSONResponse

    from emulator import http_errors

    http_errors.too_many_requests = lambda retry_after: JSONResponse(
        {"message": " Rate Limit Exceeded "}, status_code=429
    )


def _expired_tokens_accepted() -> None:
    from emulator.auth import TokenService

    original = TokenService._decode
    TokenService._decode = lambda self, token: dataclasses.replace(
        original(self, token), expires_at=math.inf
    )


MUTATIONS = [
    Mutation(
        name="campaign-name-missing",
        does="answers campaigns without their required name",
        apply=_name_missing,
        caught_by=check("createCampaign", "response_schema_conformance"),
        selection=(CREATE_POSITIVE, CREATE_EXAMPLE),
    ),
    Mutation(
        name="staged-reported-as-ready",
        does="answers STAGED campaigns as READY (not in the status enum)",
        apply=_staged_reported_as_ready,
        caught_by=rule("background-transitions"),
        selection=(CAMPAIGN_WALKTHROUGH,),
    ),
    Mutation(
        name="undocumented-response-member",
        does="adds an undeclared member to createCampaign's answer",
        apply=_undocumented_member,
        caught_by=check("createCampaign", "undocumented_properties"),
        selection=(CREATE_POSITIVE, CREATE_EXAMPLE),
        extra_args=("--strict",),
        strict_only=True,
    ),
    Mutation(
        name="create-answers-201",
        does="answers createCampaign 201 (documented: 200)",
        apply=_create_answers_201,
        caught_by=check("createCampaign", "status_code_conformance"),
        selection=(CREATE_POSITIVE, CREATE_EXAMPLE),
    ),
    Mutation(
        name="delete-template-answers-200",
        does="answers deleteCampaignTemplate 200 with a body (documented: 204)",
        apply=_delete_template_answers_200_with_body,
        caught_by=rule("template-delete"),
        selection=(TEMPLATE_WALKTHROUGH,),
    ),
    Mutation(
        name="error-400-as-message",
        does='answers 400 as {"message": ...}, not an ErrorResponseDto',
        apply=_error_400_as_message,
        caught_by=rule("error-response-body"),
        selection=(f"{AUTH}::test_malformed_bodies_are_400[not-json-createCampaign]",),
    ),
    Mutation(
        name="error-404-without-tracking-id",
        does="answers 404 bodies without trackingId",
        apply=_error_404_without_tracking_id,
        caught_by=rule("error-response-body"),
        selection=(f"{AUTH}::test_unknown_ids_are_404[getCampaign]",),
    ),
    Mutation(
        name="no-401-for-getCampaignReports",
        does="serves getCampaignReports without a token",
        apply=_no_401_for_get_campaign_reports,
        caught_by=rule("401"),
        selection=(f"{AUTH}::test_401_without_a_token[getCampaignReports]",),
    ),
    Mutation(
        name="no-403-for-deleteCampaigns",
        does="lets a client without ORG_ADMIN/CERT_ADMIN delete campaigns",
        apply=_no_403_for_delete_campaigns,
        caught_by=rule("403"),
        selection=(f"{AUTH}::test_403_with_a_token_lacking_the_authority[deleteCampaigns]",),
    ),
    Mutation(
        name="429-without-retry-after",
        does="answers 429 without Retry-After",
        apply=_retry_after_missing,
        caught_by=rule("429"),
        selection=(f"{AUTH}::test_429_carries_retry_after",),
        # A tenant limits each token: the run's probe reaches the 429 on a token of its own.
        # A small limit on both sides keeps the probe short, and a one-second window the wait
        # its Retry-After asks (the intact run waits it out); the verdict is the same at 100/10s.
        extra_args=("--rate-limit", "20/1s"),
        emulator_args=("--rate-limit", "20/1s"),
    ),
    Mutation(
        name="expired-token-accepted",
        does="accepts expired tokens",
        apply=_expired_tokens_accepted,
        caught_by=rule("401"),
        selection=("conformance/test_token_expiry.py::test_an_expired_token_is_refused",),
        # Tokens that live 1 s (at least: exp is rounded up): the test waits out the run's
        # first one. With a tenant's 12-minute tokens it would be skipped, saying so.
        emulator_args=("--token-ttl", "1"),
    ),
]
