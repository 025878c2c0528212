"""Schema conformance, driven by schemathesis from spec/.

Every operation gets generated requests, schema-valid (positive) and schema-breaking
(negative), checked with schemathesis' checks and the suite's own (`openapi_checks`); a
stateful phase then follows the spec's links (create -> get/update/activate/...; template ->
schedule/generate/...). All requests go through the guest session, so on a tenant the
generated calls that would touch objects this run does not own are refused, never sent.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, reject, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.generation import GenerationMode

import spec
from conformance import openapi_checks
from conformance.client import GuestSession, RefusedRequest
from conformance.suite_api import SuiteApi
from strategies import register_formats

register_formats()


def documented_spec() -> dict[str, Any]:
    """The spec without the document examples listed as defects: they are invalid on purpose
    and must not be sent as if they were the contract."""
    document = copy.deepcopy(spec.load_spec())
    defective = {
        name
        for name, example in document["components"]["examples"].items()
        if "x-documentation-defect" in example
    }
    for _, item in document["paths"].items():
        for operation in item.values():
            media_types = [*operation.get("requestBody", {}).get("content", {}).values()]
            for response in operation["responses"].values():
                media_types += response.get("content", {}).values()
            for media in media_types:
                examples = media.get("examples", {})
                for key in list(examples):
                    ref = examples[key].get("$ref", "")
                    if (
                        "x-documentation-defect" in examples[key]
                        or ref.rsplit("/", 1)[-1] in defective
                    ):
                        del examples[key]
                if "examples" in media and not examples:
                    del media["examples"]
    _accept_published_success_codes(document)
    return document


def _accept_published_success_codes(document: dict[str, Any]) -> None:
    """Known drift: where the vendor's published description answers with another success
    code (createCampaign 202), either answer passes the schema checks here;
    test_vendor_drift.py reports which one the target gives."""
    published = spec.load_spec("published")["paths"]
    for path, item in document["paths"].items():
        for method, operation in item.items():
            for code, response in published[path][method]["responses"].items():
                operation["responses"].setdefault(code, response)


SCHEMA = schemathesis.openapi.from_dict(documented_spec())
OPERATIONS = {
    result.ok().definition.raw["operationId"]: result.ok() for result in SCHEMA.get_all_operations()
}
POSITIVE_CHECKS = openapi_checks.POSITIVE_CHECKS
NEGATIVE_CHECKS = openapi_checks.NEGATIVE_CHECKS
STATEFUL_CHECKS = openapi_checks.STATEFUL_CHECKS


@pytest.fixture(scope="module")
def openapi_session(guest_session: GuestSession, pytestconfig) -> GuestSession:
    """A guest session that leaves the token to schemathesis (sent as an explicit header), so
    its ignored-auth probes really go without one; ledger, tokens and throttle are shared."""
    openapi_checks.STRICT["enabled"] = bool(pytestconfig.getoption("strict"))
    session = GuestSession(
        guest_session.base_url,
        guest_session.tokens,
        guest_session.ledger,
        throttle=guest_session.throttle,
        read_only=guest_session.read_only,
    )
    session.authenticate = False
    session.observers = guest_session.observers
    yield session
    guest_session.request_count += session.request_count
    session.close()


class OwnedObjects:
    """A STAGED campaign and a template of this run for the positive phase's `{id}`: a fresh
    one whenever the last was deleted. Their ids are in `openapi_checks.OWNED_IDS`, where a
    404 is no longer a justified answer to a schema-valid request."""

    def __init__(self, api: SuiteApi) -> None:
        self.api = api
        self.ids: dict[str, str] = {}

    def current(self, path: str) -> str:
        kind = "template" if path.startswith("/campaign-templates/") else "campaign"
        known = self.ids.get(kind)
        if known is None:
            known = self.ids[kind] = self._create(kind)
            openapi_checks.OWNED_IDS.add(known)
        return known

    def sent(self, method: str, path: str) -> None:
        """After a positive case: a deleted template is replaced before the next case."""
        if method.upper() == "DELETE" and path == "/campaign-templates/{id}":
            self.ids.pop("template", None)

    def _create(self, kind: str) -> str:
        if kind == "template":
            body = {
                "name": self.api.ledger.name("schemathesis"),
                "description": "conformance",
                "campaign": {"name": "schemathesis", "description": "d", "type": "MANAGER"},
            }
            return self.api.ok("createCampaignTemplate", body=body)["id"]
        campaign = self.api.create_campaign(name="schemathesis")["id"]
        self.api.wait_for_status(campaign, {"STAGED"}, {"PENDING"})
        return campaign


@pytest.fixture(scope="module")
def owned_objects(suite_api: SuiteApi, pytestconfig) -> OwnedObjects:
    return OwnedObjects(suite_api)


def _run(strategy, body) -> None:
    @settings(suppress_health_check=list(HealthCheck), database=None)
    @given(case=strategy)
    def run(case) -> None:
        body(case)

    run()


@pytest.mark.parametrize(
    "mode",
    [
        pytest.param("positive", marks=pytest.mark.checks(*openapi_checks.names(POSITIVE_CHECKS))),
        pytest.param("negative", marks=pytest.mark.checks(*openapi_checks.names(NEGATIVE_CHECKS))),
    ],
)
@pytest.mark.parametrize("operation_id", sorted(OPERATIONS))
def test_operation_honours_the_spec(operation_id, mode, openapi_session: GuestSession, request):
    operation = OPERATIONS[operation_id]
    # A read-only run owns nothing: its positive cases keep the generated ids.
    wants_owned = mode == "positive" and not openapi_session.read_only
    owned_objects = request.getfixturevalue("owned_objects") if wants_owned else None
    if openapi_session.read_only and operation.method.upper() != "GET":
        pytest.skip("read-only run: only safe operations are sent")
    checks = POSITIVE_CHECKS if mode == "positive" else NEGATIVE_CHECKS
    base_url = f"{openapi_session.base_url}/v3"

    def call(case) -> None:
        headers = {"Authorization": f"Bearer {openapi_session.tokens.token()}"}
        if owned_objects is not None and "id" in (case.path_parameters or {}):
            # "Valid data is accepted" is judged on an object the run owns, not an unknown id.
            case.path_parameters["id"] = owned_objects.current(operation.path)
        try:
            case.call_and_validate(
                base_url=base_url, session=openapi_session, headers=headers, checks=checks
            )
        except RefusedRequest:
            reject()
        finally:
            if owned_objects is not None:
                owned_objects.sent(operation.method, operation.path)

    try:
        _run(operation.as_strategy(generation_mode=GenerationMode(mode)), call)
    except Unsatisfiable:
        if mode == "negative":
            pytest.skip(f"{operation_id} has no input that can be made schema-invalid")
        raise


@pytest.mark.checks(*openapi_checks.names(STATEFUL_CHECKS))
def test_stateful_links(openapi_session: GuestSession, pytestconfig):
    """Follow the spec's links: created objects are read, changed and deleted in sequence."""
    if openapi_session.read_only:
        pytest.skip("read-only run: the links start by creating objects")
    base_url = f"{openapi_session.base_url}/v3"

    class Workflow(SCHEMA.as_state_machine()):
        def get_call_kwargs(self, case) -> dict[str, Any]:
            token = openapi_session.tokens.token()
            return {
                "base_url": base_url,
                "session": openapi_session,
                "headers": {"Authorization": f"Bearer {token}"},
            }

        def call(self, case, **kwargs):
            try:
                return super().call(case, **kwargs)
            except RefusedRequest:
                reject()

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            case.validate_response(
                response,
                checks=STATEFUL_CHECKS,
                transport_kwargs=kwargs or None,
            )

    Workflow.TestCase.settings = settings(
        Workflow.TestCase.settings,
        suppress_health_check=list(HealthCheck),
        database=None,
        max_examples=settings().max_examples,
        stateful_step_count=settings().stateful_step_count,
    )
    Workflow.TestCase().runTest()
