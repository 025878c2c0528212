"""Schema conformance, driven by schemathesis from spec/.

Every operation gets generated requests, schema-valid (positive) and schema-breaking
(negative), checked with schemathesis' checks and the suite's own (`openapi_checks`); a
stateful phase then follows the spec's links (create -> get/update/activate/...; template ->
schedule/generate/...); last, every operation is sent its documents' example request, so its
documented success answer is judged on every run. All requests go through the guest
session, so on a tenant the generated calls that would touch objects this run does not own
are refused, never sent.
"""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, reject, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from hypothesis.stateful import Bundle, initialize
from schemathesis.generation import GenerationMode
from schemathesis.generation.stateful.state_machine import StepInput

import spec
from conformance.client import GuestSession, RefusedRequest
from conformance.judging import openapi_checks
from conformance.judging.allowed_steps import AllowedSteps
from conformance.scenario import documented_examples
from conformance.scenario.suite_api import SuiteApi
from conformance.targets.target import Target
from spec import facts
from strategies import (
    campaign_bodies,
    campaign_patches,
    future_date_times,
    register_formats,
    template_bodies,
    template_patches,
    time_zones,
)

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


DOCUMENTED = documented_spec()
SCHEMA = schemathesis.openapi.from_dict(DOCUMENTED)
OPERATIONS = {
    result.ok().definition.raw["operationId"]: result.ok() for result in SCHEMA.get_all_operations()
}


@pytest.fixture(scope="module")
def run_checks(
    pytestconfig: pytest.Config, suite_api: SuiteApi, target: Target
) -> openapi_checks.RunChecks:
    """The suite's checks for this run: --strict, the objects it owns, and the stateful
    check's reader (objects of this run only, read in full; a step on another id is refused
    by the guard or answered 404) with the emulator's clock, or ours on a tenant."""
    kinds = {"getCampaign": "campaign", "getCampaignTemplate": "template"}

    def read(operation_id: str, object_id: str) -> dict | None:
        kind = kinds[operation_id]
        if not suite_api.ledger.owns(kind, object_id):
            return None
        query = {"detail": "FULL"} if kind == "campaign" else None
        response = suite_api.call(operation_id, id=object_id, query=query)
        return response.json() if response.status_code == 200 else None

    control = target.control
    return openapi_checks.RunChecks(
        strict=bool(pytestconfig.getoption("strict")),
        allowed_steps=AllowedSteps(read, control.now if control else lambda: datetime.now(UTC)),
    )


class OwnedObjects:
    """A STAGED campaign and a template of this run for the positive phase's `{id}`: a fresh
    one whenever the last was deleted. Their ids join `owned_ids` (the run's checks), where a
    404 is no longer a justified answer to a schema-valid request."""

    def __init__(self, api: SuiteApi, owned_ids: set[str]) -> None:
        self.api = api
        self.ids: dict[str, str] = {}
        self.owned_ids = owned_ids

    def current(self, path: str) -> str:
        kind = "template" if path.startswith("/campaign-templates/") else "campaign"
        known = self.ids.get(kind)
        if known is None:
            known = self.ids[kind] = self._create(kind)
            self.owned_ids.add(known)
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
def owned_objects(suite_api: SuiteApi, run_checks: openapi_checks.RunChecks) -> OwnedObjects:
    return OwnedObjects(suite_api, run_checks.owned_ids)


NOTHING_TO_BREAK = "{operation_id} has no input that can be made schema-invalid"


def _run(strategy, body) -> None:
    @settings(suppress_health_check=list(HealthCheck), database=None)
    @given(case=strategy)
    def run(case) -> None:
        body(case)

    run()


@pytest.mark.parametrize(
    "mode",
    [
        pytest.param("positive", marks=pytest.mark.checks(*openapi_checks.check_names("positive"))),
        pytest.param("negative", marks=pytest.mark.checks(*openapi_checks.check_names("negative"))),
    ],
)
@pytest.mark.parametrize("operation_id", sorted(OPERATIONS))
def test_operation_honours_the_spec(
    operation_id,
    mode,
    guest_session: GuestSession,
    run_checks: openapi_checks.RunChecks,
    request,
):
    operation = OPERATIONS[operation_id]
    # A read-only run owns nothing: its positive cases keep the generated ids.
    wants_owned = mode == "positive" and not guest_session.read_only
    owned_objects = request.getfixturevalue("owned_objects") if wants_owned else None
    if guest_session.read_only and operation.method.upper() != "GET":
        pytest.skip("read-only run: only safe operations are sent")
    if mode == "negative" and facts.takes_any_request(operation_id):
        # Said from the spec at once: hypothesis would search some hundreds of draws first.
        pytest.skip(NOTHING_TO_BREAK.format(operation_id=operation_id))
    checks = run_checks.for_phase(mode)
    base_url = f"{guest_session.base_url}/v3"

    def call(case) -> None:
        if owned_objects is not None and "id" in (case.path_parameters or {}):
            # "Valid data is accepted" is judged on an object the run owns, not an unknown id.
            case.path_parameters["id"] = owned_objects.current(operation.path)
        try:
            # The guest session adds its token (schemathesis sends none for the spec's oauth2
            # scheme).
            case.call_and_validate(base_url=base_url, session=guest_session, checks=checks)
        except RefusedRequest:
            reject()
        finally:
            if owned_objects is not None:
                owned_objects.sent(operation.method, operation.path)

    try:
        _run(operation.as_strategy(generation_mode=GenerationMode(mode)), call)
    except Unsatisfiable:
        if mode == "negative":
            pytest.skip(NOTHING_TO_BREAK.format(operation_id=operation_id))
        raise


SEEDED = Bundle("seeded")


@pytest.mark.checks(*openapi_checks.check_names("stateful"))
def test_stateful_links(
    guest_session: GuestSession, suite_api: SuiteApi, run_checks: openapi_checks.RunChecks
):
    """Follow the spec's links: created objects are read, changed and deleted in sequence.

    Every scenario starts from two campaigns and a template this run creates with bodies from
    `strategies/` (most generated create bodies are refused as documented, so the links would
    seldom start from an object), and sends, as steps judged by every check, what their state
    allows and what it forbids: activation of a campaign without a deadline, then again
    (refused: no longer STAGED); a patch, activation and completion (refused: not past due)
    of one with a deadline; a template patch. The links vary from there. No draw depends on
    what the server answered, so hypothesis can replay a failing scenario."""
    if guest_session.read_only:
        pytest.skip("read-only run: the links start by creating objects")
    base_url = f"{guest_session.base_url}/v3"
    checks = run_checks.for_phase("stateful")
    allowed_steps = run_checks.allowed_steps
    assert allowed_steps is not None
    actions = facts.enum("CampaignCompleteOptions", "autoCompleteAction")

    class Workflow(SCHEMA.as_state_machine()):
        def get_call_kwargs(self, case) -> dict[str, Any]:
            return {"base_url": base_url, "session": guest_session}

        def before_call(self, case) -> None:
            allowed_steps.before(case)

        def call(self, case, **kwargs):
            try:
                return super().call(case, **kwargs)
            except RefusedRequest:
                reject()

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            case.validate_response(response, checks=checks, transport_kwargs=kwargs or None)

        def seeded_step(self, operation_id: str, body: Any = None, **path: str):
            """One step as schemathesis takes it (recorded, so its checks see the history)."""
            case = OPERATIONS[operation_id].Case(
                path_parameters=path or None,
                **({} if body is None else {"body": body}),
            )
            step = StepInput.initial(case)
            self.recorder.record_case(case=case)
            self.control.record_step(step, self.recorder)
            return self._step(step)

        def created_campaign(self, body: dict) -> tuple[Any, str | None]:
            """A campaign of this run, created as a step: the step and the new id (None when
            refused, which the checks judged already)."""
            created = self.seeded_step("createCampaign", body)
            if created.response.status_code >= 300:
                return created, None
            return created, created.response.json()["id"]

        @initialize(target=SEEDED, data=st.data())
        def campaigns_of_this_run(self, data):
            now = allowed_steps.now()
            # Without a deadline (activation allowed: the rule speaks of a deadline set) ...
            bare = data.draw(campaign_bodies(now=now), label="campaign without a deadline")
            bare.pop("deadline", None)
            # ... and with one in the future, which a patch may move.
            dated = data.draw(campaign_bodies(now=now), label="campaign with a deadline")
            dated["deadline"] = data.draw(future_date_times(now), label="deadline")
            start = st.none() | st.fixed_dictionaries({"timeZone": time_zones()})
            complete = st.none() | st.fixed_dictionaries(
                {"autoCompleteAction": st.sampled_from(actions)}
            )
            patch = data.draw(campaign_patches("STAGED", now=now), label="patch")
            bodies = [data.draw(start) for _ in range(3)] + [data.draw(complete)]
            created, bare_id = self.created_campaign(bare)
            _, dated_id = self.created_campaign(dated)
            for campaign_id in filter(None, (bare_id, dated_id)):
                suite_api.wait_for_status(campaign_id, {"STAGED"}, {"PENDING"})
            if bare_id is not None:
                self.seeded_step("startCampaign", bodies[0], id=bare_id)
                # Refused as documented, no longer STAGED: a judged step needs its 400s too.
                self.seeded_step("startCampaign", bodies[1], id=bare_id)
            if dated_id is not None:
                self.seeded_step("updateCampaign", patch, id=dated_id)
                self.seeded_step("startCampaign", bodies[2], id=dated_id)
                # Refused as documented: not past due.
                self.seeded_step("completeCampaign", bodies[3], id=dated_id)
            return created

        @initialize(target=SEEDED, data=st.data())
        def a_template_of_this_run(self, data):
            now = allowed_steps.now()
            body = data.draw(template_bodies(now=now), label="template")
            patch = data.draw(template_patches(now=now), label="template patch")
            created = self.seeded_step("createCampaignTemplate", body)
            if created.response.status_code < 300:
                self.seeded_step("patchCampaignTemplate", patch, id=created.response.json()["id"])
            return created

    Workflow.TestCase.settings = settings(
        Workflow.TestCase.settings,
        suppress_health_check=list(HealthCheck),
        database=None,
        max_examples=settings().max_examples,
        stateful_step_count=settings().stateful_step_count,
    )
    Workflow.TestCase().runTest()


# A required body whose every documented example is a listed defect: one from strategies/.
STAND_INS = {"createCampaign": campaign_bodies, "createCampaignTemplate": template_bodies}


@pytest.mark.checks(*openapi_checks.check_names("positive"))
@pytest.mark.parametrize("operation_id", documented_examples.ORDER)
def test_documented_example_request(
    operation_id,
    guest_session: GuestSession,
    suite_api: SuiteApi,
    run_checks: openapi_checks.RunChecks,
    request,
):
    """Each operation sent its example request from the documents (conformance/
    documented_examples.py) and judged by the positive checks, so every operation's
    documented success answer (status, schema, headers, members) is checked on every run and
    in every profile. Ids name objects of this run; a read-only run sends only GETs."""
    operation = OPERATIONS[operation_id]
    if guest_session.read_only and operation.method.upper() != "GET":
        pytest.skip("read-only run: only safe operations are sent")
    example = documented_examples.example_request(DOCUMENTED, operation_id)
    owned = None
    if "id" in example.path_parameters and not guest_session.read_only:
        owned = request.getfixturevalue("owned_objects")
        example.path_parameters["id"] = owned.current(operation.path)
    body = example.body
    if example.body_required and not example.has_body:
        assert run_checks.allowed_steps is not None
        body = _one(STAND_INS[operation_id](now=run_checks.allowed_steps.now()))
    elif operation_id == "deleteCampaigns":  # the documents' ids name the vendor's campaigns
        doomed = suite_api.create_campaign(name="example to delete")["id"]
        suite_api.wait_for_status(doomed, {"STAGED"}, {"PENDING"})
        body = {**body, "ids": [doomed]}
    elif isinstance(body, list):  # a patch: a new name keeps the run's prefix (cleanup finds it)
        body = [_prefixed(operation, suite_api) for operation in body]
    case = operation.Case(
        path_parameters=example.path_parameters or None,
        query=example.query or None,
        media_type=example.media_type,
        **({"body": body} if example.has_body or example.body_required else {}),
    )
    try:
        case.call_and_validate(
            base_url=f"{guest_session.base_url}/v3",
            session=guest_session,
            checks=run_checks.for_phase("positive"),
        )
    finally:
        if owned is not None:
            owned.sent(operation.method, operation.path)


def _prefixed(operation: dict, api: SuiteApi) -> dict:
    if operation.get("path") == "/name" and isinstance(operation.get("value"), str):
        return {**operation, "value": api.ledger.name(operation["value"])}
    return operation


def _one(strategy: st.SearchStrategy) -> Any:
    """The first value hypothesis generates (under --seed, the same on every run)."""
    found: list = []

    @settings(max_examples=1, phases=[Phase.generate], database=None)
    @given(strategy)
    def draw(value: Any) -> None:
        found.append(value)

    draw()
    return found[0]
