"""The response checks a run holds every answer to: one catalogue, `CHECKS`, shaped like the
rule catalogue (conformance/judging/rules.py). Each entry names a check function, its kind
(schemathesis' own or the suite's), the sentence it holds the server to and the phases it
applies to; the `@pytest.mark.checks` markers (`check_names`), the check lists a run sends
with (`RunChecks.for_phase`) and the report's columns are all read from it.

The suite's own, schemathesis style (`check(run, ctx, response, case)`: `run` is the run's
`RunChecks`, which carries what a check must know of the run, so no module keeps run state):
- `valid_data_is_accepted`: a schema-valid request gets a 2xx, or a 4xx the documents justify
  by a rule the schema cannot state (replaces schemathesis' positive_data_acceptance, whose
  "any 4xx fails" cannot know those rules);
- `documented_error_shape`: every error body has the documented shape and a trackingId;
- `undocumented_properties`: members a response carries that its schema does not declare:
  recorded for the report, failing only in strict mode;
- `allowed_step_is_accepted` (stateful phase): a 400 to a step the object's current state
  allows (activate, complete, patch a campaign or a template) fails, quoting the rule; the
  oracle is conformance/judging/allowed_steps.py.

Schemathesis' `ignored_auth` is not run: it probes only apiKey and http security schemes (the
spec declares oauth2, so it would judge nothing and still record passes), and its probes would
go around the guest session. The "401" rule (test_auth_and_errors.py, test_token_expiry.py)
sends every operation without a token, and an expired one, through the session instead.

Schemathesis' convention: a check raises on failure and returns True for a response it does
not apply to; returning None means it judged the response and found it right.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

import pytest
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import Failure
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ensure_resource_availability,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
    use_after_free,
)

import spec
from conformance.judging.allowed_steps import AllowedSteps
from conformance.judging.rules import RULES
from conformance.judging.tally import current_tally, observed
from spec.responses import error_shape_problem

# Statuses a schema-valid request may still get, and the documented reason.
JUSTIFIED_REJECTIONS: dict[str, dict[int, str]] = {
    "createCampaign": {
        400: "SEARCH needs query or identityIds; ROLE_COMPOSITION needs a "
        "remediatorRef; only SOURCE_OWNER campaigns can be Uncorrelated"
    },
    "createCampaignTemplate": {400: "the template's campaign follows the campaign rules"},
    "updateCampaign": {
        400: "the fields that can be patched differ based on the status",
        404: "a generated id names no campaign",
    },
    "patchCampaignTemplate": {
        400: "only name, description, deadlineDuration and campaign are patchable",
        404: "a generated id names no template",
    },
    "startCampaign": {
        400: "the campaign must be staged, with a deadline in the future",
        404: "a generated id names no campaign",
    },
    "completeCampaign": {
        400: "a content error if the campaign is not past due",
        404: "a generated id names no campaign",
    },
    "move": {
        400: "only the campaign's own certifications can be reassigned",
        404: "a generated id names no campaign",
    },
    "setCampaignTemplateSchedule": {
        400: "the body is optional but a schedule is needed to set one",
        404: "a generated id names no template",
    },
    "deleteCampaigns": {404: "generated ids name no campaign"},
}
for _, _path, _operation in spec.operations():
    if "{id}" in _path:  # a generated id names no object: 404 is the documented answer
        JUSTIFIED_REJECTIONS.setdefault(_operation["operationId"], {}).setdefault(
            404, "a generated id names no object"
        )

# A template the run owns may have no schedule: "The API returns a 404 if there is no
# schedule set."
NO_SCHEDULE_404 = frozenset({"getCampaignTemplateSchedule", "deleteCampaignTemplateSchedule"})


class ContractFailure(Failure):
    """A failure that quotes the documented expectation next to the server's behaviour:
    "The document says: SAYS\nThe server did: DID", as the rule catalogue's failures read."""

    def __init__(self, case, title: str, says: str, did: str) -> None:
        message = f"The document says: {says}\nThe server did: {did}"
        super().__init__(operation=case.operation.label, title=title, message=message)


def _answered(response) -> str:
    return f"answered {response.status_code} {response.text[:300]}"


def _operation_id(case) -> str:
    return case.operation.definition.raw["operationId"]


def documented_error_shape(run: RunChecks, ctx, response, case) -> bool | None:
    if response.status_code < 400:
        return True  # not an error
    retry_after = (response.headers.get("retry-after") or [""])[0]  # lower-case, list values
    expected = error_shape_problem(response.status_code, retry_after, _json(response))
    if expected is not None:
        raise ContractFailure(case, "Undocumented error shape", f"{expected}.", _answered(response))
    return None


def valid_data_is_accepted(run: RunChecks, ctx, response, case) -> bool | None:
    # A case without generation metadata is one the suite built from the documents (their
    # example requests): schema-valid as a positive case is.
    if case.meta is not None and case.meta.generation.mode.value != "positive":
        return True  # not a schema-valid request: nothing to judge
    status = response.status_code
    if 200 <= status < 300:
        return None
    justified = dict(JUSTIFIED_REJECTIONS.get(_operation_id(case), {}))
    owned = (case.path_parameters or {}).get("id") in run.owned_ids
    if owned and _operation_id(case) not in NO_SCHEDULE_404:
        justified.pop(404, None)  # the id names an object this run owns
    if status in justified:
        return None
    raise ContractFailure(
        case,
        "Schema-valid request rejected",
        "a request that matches the operation's schema is accepted, unless a documented rule "
        f"forbids it ({'; '.join(justified.values()) or 'none here'}).",
        _answered(response),
    )


def undocumented_properties(run: RunChecks, ctx, response, case) -> bool | None:
    operation = case.operation.definition.raw
    documented = operation["responses"].get(str(response.status_code))
    body = _json(response)
    if documented is None or body is None:
        return True  # no documented JSON body to compare with
    content = spec.deref(documented).get("content", {})
    media = content.get("application/json")
    if media is None:
        return True
    found = sorted(set(_extra_members(body, spec.deref(media["schema"]), "")))
    if not found:
        return None
    for pointer in found:
        current_tally().saw_undocumented(operation["operationId"], pointer)
    if run.strict:
        raise ContractFailure(
            case,
            "Undocumented response properties",
            "the response schema declares its members.",
            f"answered undeclared {', '.join(found)}",
        )
    return None


def allowed_step_is_accepted(run: RunChecks, ctx, response, case) -> bool | None:
    if run.allowed_steps is None:
        return True  # not a stateful run: nothing reads the objects
    verdict = run.allowed_steps.refusal(response, case)
    if verdict is None:
        return True  # not a judged step, or not refused
    if not verdict.allowed:
        return None  # a documented rule refuses the step: the 400 is right
    sentences = " ".join(RULES[rule].sentence for rule in verdict.rules)
    state = f"\nThe object was: {verdict.state} (read before and after the step)."
    raise ContractFailure(case, "Allowed step refused", sentences + state, _answered(response))


def _extra_members(value: Any, schema: dict, pointer: str):
    schema = spec.deref(schema)
    if isinstance(value, list) and "items" in schema:
        for index, item in enumerate(value):
            yield from _extra_members(item, schema["items"], f"{pointer}/{index}")
        return
    if not isinstance(value, dict):
        return
    properties = spec.declared_properties(schema)
    if properties is None:  # a free-form object: anything goes
        return
    for key, member in value.items():
        if key not in properties:
            yield f"{pointer}/{key}"
        else:
            yield from _extra_members(member, properties[key], f"{pointer}/{key}")


def _json(response) -> Any:
    try:
        return json.loads(response.content or b"null")
    except ValueError:
        return None


Phase = Literal["positive", "negative", "stateful"]
# positive: schema-valid generated requests and the documents' example requests; negative:
# schema-breaking ones; stateful: the steps of the spec's links.
EVERY_PHASE: frozenset[Phase] = frozenset({"positive", "negative", "stateful"})


@dataclass(frozen=True)
class Check:
    """One response check: its function (schemathesis': `check(ctx, response, case)`; the
    suite's: `check(run, ctx, response, case)`), what it holds the server to, and the phases
    whose responses it judges. Its name is the function's."""

    function: Callable[..., bool | None]
    kind: Literal["schemathesis", "suite"]
    sentence: str
    phases: frozenset[Phase]

    @property
    def name(self) -> str:
        return self.function.__name__


def _check(function, kind, sentence: str, *phases: Phase) -> Check:
    return Check(function, kind, sentence, frozenset(phases) or EVERY_PHASE)


_CHECKS = [
    _check(not_a_server_error, "schemathesis", "No response is a 5xx server error."),
    _check(
        status_code_conformance,
        "schemathesis",
        "The status code is one the operation documents.",
    ),
    _check(
        content_type_conformance,
        "schemathesis",
        "The Content-Type is one the documented response declares.",
    ),
    _check(
        response_schema_conformance,
        "schemathesis",
        "The body matches the documented response schema.",
    ),
    _check(
        response_headers_conformance,
        "schemathesis",
        "The documented response headers are present and match their schemas.",
        "positive",
        "stateful",
    ),
    _check(
        use_after_free,
        "schemathesis",
        "A deleted resource is no longer served (404 after DELETE).",
        "positive",
        "stateful",
    ),
    _check(
        negative_data_rejection,
        "schemathesis",
        "A request that breaks the schema is rejected with a 4xx.",
        "negative",
    ),
    _check(
        ensure_resource_availability,
        "schemathesis",
        "A resource just created is available to the operations its links lead to.",
        "stateful",
    ),
    _check(
        valid_data_is_accepted,
        "suite",
        "A schema-valid request is accepted, unless a documented rule forbids it.",
        "positive",
    ),
    _check(
        documented_error_shape,
        "suite",
        "Every error body has the documented shape (ErrorResponseDto with a trackingId; "
        "401 and 429 bodies as documented).",
    ),
    _check(
        undocumented_properties,
        "suite",
        "Response members are those the schema declares (fails only with --strict).",
        "positive",
        "stateful",
    ),
    _check(
        allowed_step_is_accepted,
        "suite",
        "A step the object's current state allows (activate a STAGED campaign, complete a "
        "past-due one, patch the members its status lets change) is not refused with a 400.",
        "stateful",
    ),
]
CHECKS: dict[str, Check] = {check.name: check for check in _CHECKS}


def check_names(phase: Phase) -> list[str]:
    """The checks a phase runs, in catalogue order: what its tests declare with
    `@pytest.mark.checks`."""
    return [check.name for check in _CHECKS if phase in check.phases]


def unknown_checks(item: pytest.Item) -> list[str]:
    """Names a test's `checks` markers give that the catalogue lacks."""
    return [
        name for mark in item.iter_markers("checks") for name in mark.args if name not in CHECKS
    ]


@dataclass
class RunChecks:
    """The suite's checks as one run needs them. What they must know of the run (its options,
    the objects it owns, how to read them) is carried here, by one object a fixture owns,
    instead of module globals: two runs in one process never see each other's."""

    strict: bool = False  # --strict: undocumented response members fail
    # Objects of this run the positive phase sends: a 404 is no longer a justified answer.
    owned_ids: set[str] = field(default_factory=set)
    allowed_steps: AllowedSteps | None = None  # the stateful phase's reader; None: not judged

    def for_phase(self, phase: Phase) -> list[Callable]:
        """The phase's checks as schemathesis calls them, each counted per operation in the
        running test's tally (`observed`)."""
        return [observed(self._callable(CHECKS[name])) for name in check_names(phase)]

    def _callable(self, check: Check) -> Callable:
        if check.kind == "schemathesis":
            return check.function

        @functools.wraps(check.function)
        def with_run(ctx, response, case):
            return check.function(self, ctx, response, case)

        return with_run
