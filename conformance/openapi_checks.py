"""The suite's own response checks, schemathesis style: `check(ctx, response, case)`.

- `valid_data_is_accepted`: a schema-valid request gets a 2xx, or a 4xx the documents justify
  by a rule the schema cannot state (replaces schemathesis' positive_data_acceptance, whose
  "any 4xx fails" cannot know those rules);
- `documented_error_shape`: every error body has the documented shape and a trackingId;
- `undocumented_properties`: members a response carries that its schema does not declare:
  recorded for the report, failing only in strict mode;
- `allowed_step_is_accepted` (stateful phase): a 400 to a step the object's current state
  allows (activate, complete, patch a campaign or a template) fails, quoting the rule; the
  oracle is conformance/allowed_steps.py.

Schemathesis' `ignored_auth` is not run: it probes only apiKey and http security schemes (the
spec declares oauth2, so it would judge nothing and still record passes), and its probes would
go around the guest session. The "401" rule (test_auth_and_errors.py, test_token_expiry.py)
sends every operation without a token, and an expired one, through the session instead.

Schemathesis' convention: a check raises on failure and returns True for a response it does
not apply to; returning None means it judged the response and found it right. What each
check holds the server to, and the check lists each kind of test runs (`RunChecks`, which
carries what the checks must know of the run: no module here keeps run state), are at the
end.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import Any

from schemathesis.checks import not_a_server_error
from schemathesis.core import NotSet
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
from conformance.allowed_steps import JUDGES
from conformance.rules import RULES
from conformance.tally import current_tally, observed

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
    """A failure that quotes the documented expectation next to the server's behaviour."""

    def __init__(self, operation: str, title: str, message: str) -> None:
        super().__init__(operation=operation, title=title, message=message)


def _operation_id(case) -> str:
    return case.operation.definition.raw["operationId"]


class AllowedSteps:
    """What the stateful phase's `allowed_step_is_accepted` check needs of the run:
    `read(operation_id, id)` answers the object a step acts on (a GET through the run's
    session; None when it is not one this run owns or cannot be read) and `now()` the
    target's clock. The state machine calls `before(case)` before it sends a step: the object
    is judged as it was before the step and as it is after a 400, and only when both say the
    same (an object that moved on its own meanwhile, PENDING to STAGED, is not judged)."""

    def __init__(
        self, read: Callable[[str, str], dict | None], now: Callable[[], datetime]
    ) -> None:
        self.read = read
        self.now = now
        self._before: dict[str, dict] = {}  # case id -> the object before the step

    def before(self, case) -> None:
        judged = JUDGES.get(_operation_id(case))
        object_id = (case.path_parameters or {}).get("id")
        if judged is None or not isinstance(object_id, str) or not _documented_request(case):
            return
        state = self.read(judged[0], object_id)
        if state is not None:
            self._before[case.id] = state

    def judge(self, response, case) -> bool | None:
        before = self._before.pop(case.id, None)
        if before is None or response.status_code != 400:
            return True  # not a judged step, or not refused
        getter, judge = JUDGES[_operation_id(case)]
        after = self.read(getter, case.path_parameters["id"])
        if after is None:
            return True
        body, now = _body(case), self.now()
        first, then = judge(before, body, now), judge(after, body, now)
        if first is None or then is None or first.allowed != then.allowed:
            return True  # cannot say, or the object changed meanwhile
        if not then.allowed:
            return None  # a documented rule refuses the step: the 400 is right
        sentences = " ".join(RULES[rule].sentence for rule in then.rules)
        raise ContractFailure(
            case.operation.label,
            "Allowed step refused",
            f"The document says: {sentences}\nThe object was: {then.state} (read before and "
            f"after the step).\nThe server did: answered 400 {response.text[:300]}",
        )


def _body(case) -> Any:
    return None if isinstance(case.body, NotSet) else case.body


@cache
def _request_validator(operation_id: str, media_type: str):
    _, _, operation = spec.operation_by_id(operation_id)
    media = spec.deref(operation["requestBody"])["content"].get(media_type)
    return None if media is None else spec.validator_for(media["schema"], "request")


def _documented_request(case) -> bool:
    """The step's body is one its operation documents (media type and schema), or it has
    none and needs none: the input is valid, so only a rule of the documents may refuse it."""
    operation_id = _operation_id(case)
    _, _, operation = spec.operation_by_id(operation_id)
    request_body = spec.deref(operation.get("requestBody", {}))
    body = _body(case)
    if body is None:
        return not request_body.get("required", False)
    media_type = case.media_type or next(iter(request_body.get("content", {})), "")
    validator = _request_validator(operation_id, media_type)
    return validator is not None and validator.is_valid(body)


def is_error_response(body: Any) -> bool:
    """An ErrorResponseDto as the documents show it: a trackingId and at least one message."""
    return (
        isinstance(body, dict)
        and isinstance(body.get("trackingId"), str)
        and bool(body["trackingId"])
        and isinstance(body.get("messages"), list)
        and bool(body["messages"])
    )


def documented_error_shape(ctx, response, case) -> bool | None:
    status = response.status_code
    if status < 400:
        return True  # not an error
    body = _json(response)
    if status == 401:
        ok = isinstance(body, dict) and isinstance(body.get("error"), str)
        expected = 'a 401 body {"error": "..."}'
    elif status == 429:
        retry = (response.headers.get("retry-after") or [""])[0]  # lower-case keys, list values
        ok = isinstance(body, dict) and isinstance(body.get("message"), str) and retry.isdigit()
        expected = 'a 429 body {"message": "..."} with Retry-After in seconds'
    else:
        ok = is_error_response(body)
        expected = "an ErrorResponseDto with a trackingId and at least one message"
    if not ok:
        raise ContractFailure(
            case.operation.label,
            "Undocumented error shape",
            f"The document says: {expected}.\nThe server did: answered "
            f"{status} {response.text[:300]}",
        )
    return None


def _valid_data_is_accepted(owned_ids: set[str], response, case) -> bool | None:
    # A case without generation metadata is one the suite built from the documents (their
    # example requests): schema-valid as a positive case is.
    if case.meta is not None and case.meta.generation.mode.value != "positive":
        return True  # not a schema-valid request: nothing to judge
    status = response.status_code
    if 200 <= status < 300:
        return None
    justified = dict(JUSTIFIED_REJECTIONS.get(_operation_id(case), {}))
    owned = (case.path_parameters or {}).get("id") in owned_ids
    if owned and _operation_id(case) not in NO_SCHEDULE_404:
        justified.pop(404, None)  # the id names an object this run owns
    if status in justified:
        return None
    raise ContractFailure(
        case.operation.label,
        "Schema-valid request rejected",
        f"The document says: a request that matches the operation's schema is accepted, "
        f"unless a documented rule forbids it ({'; '.join(justified.values()) or 'none here'})."
        f"\nThe server did: answered {status} {response.text[:300]}",
    )


def _undocumented_properties(strict: bool, response, case) -> bool | None:
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
    if strict:
        raise ContractFailure(
            case.operation.label,
            "Undocumented response properties",
            f"The document says: the response schema declares its members."
            f"\nThe server did: answered undeclared {', '.join(found)}",
        )
    return None


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


# What each check holds the server to, for the report's columns: (kind, sentence).
DESCRIBED: dict[str, tuple[str, str]] = {
    "not_a_server_error": ("schemathesis", "No response is a 5xx server error."),
    "status_code_conformance": (
        "schemathesis",
        "The status code is one the operation documents.",
    ),
    "content_type_conformance": (
        "schemathesis",
        "The Content-Type is one the documented response declares.",
    ),
    "response_schema_conformance": (
        "schemathesis",
        "The body matches the documented response schema.",
    ),
    "response_headers_conformance": (
        "schemathesis",
        "The documented response headers are present and match their schemas.",
    ),
    "use_after_free": (
        "schemathesis",
        "A deleted resource is no longer served (404 after DELETE).",
    ),
    "negative_data_rejection": (
        "schemathesis",
        "A request that breaks the schema is rejected with a 4xx.",
    ),
    "ensure_resource_availability": (
        "schemathesis",
        "A resource just created is available to the operations its links lead to.",
    ),
    "valid_data_is_accepted": (
        "suite",
        "A schema-valid request is accepted, unless a documented rule forbids it.",
    ),
    "documented_error_shape": (
        "suite",
        "Every error body has the documented shape (ErrorResponseDto with a trackingId; "
        "401 and 429 bodies as documented).",
    ),
    "undocumented_properties": (
        "suite",
        "Response members are those the schema declares (fails only with --strict).",
    ),
    "allowed_step_is_accepted": (
        "suite",
        "A step the object's current state allows (activate a STAGED campaign, complete a "
        "past-due one, patch the members its status lets change) is not refused with a 400.",
    ),
}


# What every response is held to, whichever kind of test sent it.
EVERY_RESPONSE = (
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
)


@dataclass
class RunChecks:
    """The suite's checks as one run needs them. What they must know of the run (its options,
    the objects it owns, how to read them) is carried here, by one object a fixture owns,
    instead of module globals: two runs in one process never see each other's. Each list
    wraps its checks with `observed`, which counts what each judges per operation."""

    strict: bool = False  # --strict: undocumented response members fail
    # Objects of this run the positive phase sends: a 404 is no longer a justified answer.
    owned_ids: set[str] = field(default_factory=set)
    allowed_steps: AllowedSteps | None = None  # the stateful phase's reader; None: not judged

    def valid_data_is_accepted(self, ctx, response, case) -> bool | None:
        return _valid_data_is_accepted(self.owned_ids, response, case)

    def undocumented_properties(self, ctx, response, case) -> bool | None:
        return _undocumented_properties(self.strict, response, case)

    def allowed_step_is_accepted(self, ctx, response, case) -> bool | None:
        return True if self.allowed_steps is None else self.allowed_steps.judge(response, case)

    def positive(self) -> list:
        return _observed(
            *EVERY_RESPONSE,
            response_headers_conformance,
            use_after_free,
            self.valid_data_is_accepted,
            documented_error_shape,
            self.undocumented_properties,
        )

    def negative(self) -> list:
        return _observed(
            *EVERY_RESPONSE,
            negative_data_rejection,
            documented_error_shape,
        )

    def stateful(self) -> list:
        """Links chain valid requests whose ids come from earlier answers: the schema-level
        checks apply; `valid_data_is_accepted` does not (a step may rightly meet a lifecycle
        rule): `allowed_step_is_accepted` judges those steps instead."""
        return _observed(
            *EVERY_RESPONSE,
            response_headers_conformance,
            use_after_free,
            ensure_resource_availability,
            documented_error_shape,
            self.undocumented_properties,
            self.allowed_step_is_accepted,
        )


def _observed(*checks: Callable) -> list:
    return [observed(check) for check in checks]


def names(checks: list) -> list[str]:
    return [check.__name__ for check in checks]


# The checks each kind of test declares (pytest.mark.checks), whatever the run.
POSITIVE_CHECK_NAMES = names(RunChecks().positive())
NEGATIVE_CHECK_NAMES = names(RunChecks().negative())
STATEFUL_CHECK_NAMES = names(RunChecks().stateful())
