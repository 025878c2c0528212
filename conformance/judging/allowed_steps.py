"""Whether the documents allow a lifecycle step on an object as it is now: the oracle of the
stateful phase's `allowed_step_is_accepted` check (conformance/judging/openapi_checks.py), and
`AllowedSteps`, which reads the object before and after each step and asks the judges.

Each judge takes the object as a GET answered it, the step's body and the target's clock, and
answers `Allowed(rules, state)` (the documents allow the step, so a 400 breaks `rules`),
`FORBIDDEN` (a documented rule, or RFC 6902, refuses it: a 400 is right) or None: the step
carries something these few lines cannot judge (a body member the documents do not describe,
a deadline within a day or two of now, a change inside a template's campaign, a nested JSON
Pointer). None is never a guess in either direction.

Written from the documents' sentences (conformance/judging/rules.py), spec.facts and the standards;
it shares no code with the emulator: on a tenant it is the only judge.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any

from schemathesis.core import NotSet

import spec
from spec import facts
from strategies.generation_oracles import PatchTestFailed, add_duration, apply_patch


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    rules: tuple[str, ...] = ()  # the rules (conformance/judging/rules.py) that allow the step
    state: str = ""  # the object's state that makes it allowed, in words


FORBIDDEN = Verdict(False)

# "If you try to activate a campaign with a deadline of today or in the past, you will
# receive a 400": today ends, in the furthest time zone (UTC+14), at most 38 h from now.
PAST_TODAY = timedelta(days=2)
# Past due means the deadline has passed on the target's clock, which may differ from ours.
CLOCK_SKEW = timedelta(hours=1)


def judge_activation(campaign: dict, body: Any, now: datetime) -> Verdict | None:
    """startCampaign: "The campaign must be staged", with a deadline in the future (none at
    all is allowed: the deadline is optional and the rule speaks of a deadline set)."""
    if not _documented_options(body, "ActivateCampaignOptions"):
        return None
    if campaign.get("status") != "STAGED":
        return FORBIDDEN
    if campaign.get("deadline") is None:
        return Verdict(True, ("activate-only-staged",), "STAGED, without a deadline")
    deadline = _instant(campaign["deadline"])
    if deadline is None:
        return None
    if deadline <= now:
        return FORBIDDEN
    if deadline >= now + PAST_TODAY:
        return Verdict(
            True,
            ("activate-only-staged", "activate-future-deadline"),
            f"STAGED, deadline {campaign['deadline']} (the target's clock: {_text(now)})",
        )
    return None  # "today" in some time zone


def judge_completion(campaign: dict, body: Any, now: datetime) -> Verdict | None:
    """completeCampaign: runs "for any campaigns that are past due" (an ACTIVE one)."""
    if not _documented_options(body, "CampaignCompleteOptions"):
        return None
    if campaign.get("status") != "ACTIVE":
        return FORBIDDEN
    deadline = _instant(campaign.get("deadline"))
    if deadline is None:
        return None  # no deadline, or one we cannot read: the documents do not say
    if deadline <= now - CLOCK_SKEW:
        return Verdict(
            True,
            ("complete-past-due",),
            f"ACTIVE, past due since {campaign['deadline']} (the target's clock: {_text(now)})",
        )
    if deadline > now + CLOCK_SKEW:
        return FORBIDDEN
    return None


def judge_campaign_patch(campaign: dict, patch: Any, now: datetime) -> Verdict | None:
    """updateCampaign: every operation writes a member the status lets a PATCH change, and
    the object RFC 6902 says it produces is still a Campaign."""
    status = str(campaign.get("status"))
    written = _written_members(patch, facts.patchable_by_status("updateCampaign").get(status, ()))
    if not isinstance(written, tuple):
        return written
    result = _patched(campaign, patch)
    if result is None or not spec.component_validator("Campaign", "request").is_valid(result):
        return FORBIDDEN
    rule = "patch-staged" if status == "STAGED" else "patch-active"  # the statuses listed
    return Verdict(True, (rule,), f"{status}; the patch writes {', '.join(written)}")


def judge_template_patch(template: dict, patch: Any, now: datetime) -> Verdict | None:
    """patchCampaignTemplate: name, description, deadlineDuration and campaign are
    patchable; the result is still a CampaignTemplate. A change inside `campaign` must also
    follow the campaign rules (SEARCH needs a query, ...), which this oracle does not judge."""
    written = _written_members(patch, facts.patchable("patchCampaignTemplate"))
    if not isinstance(written, tuple):
        return written
    if "campaign" in written:
        return None
    result = _patched(template, patch)
    if result is None or not spec.component_validator("CampaignTemplate", "request").is_valid(
        result
    ):
        return FORBIDDEN
    duration = result.get("deadlineDuration")
    if duration is not None and not _iso_duration(duration):
        return None  # the schema does not check the format; the grammar is wider than ours
    return Verdict(True, ("template-patchable",), f"the patch writes {', '.join(written)}")


# Each judged operation: the object it acts on (the GET that reads it) and its judge.
JUDGES = {
    "startCampaign": ("getCampaign", judge_activation),
    "completeCampaign": ("getCampaign", judge_completion),
    "updateCampaign": ("getCampaign", judge_campaign_patch),
    "patchCampaignTemplate": ("getCampaignTemplate", judge_template_patch),
}


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

    def refusal(self, response, case) -> Verdict | None:
        """The verdict on a step the server refused with a 400, of the object as read before
        and after it: allowed (the 400 breaks its rules) or FORBIDDEN (a documented rule
        refuses it: the 400 is right); None when the step is not judged or was not refused."""
        before = self._before.pop(case.id, None)
        if before is None or response.status_code != 400:
            return None  # not a judged step, or not refused
        getter, judge = JUDGES[_operation_id(case)]
        after = self.read(getter, case.path_parameters["id"])
        if after is None:
            return None
        body, now = _body(case), self.now()
        first, then = judge(before, body, now), judge(after, body, now)
        if first is None or then is None or first.allowed != then.allowed:
            return None  # cannot say, or the object changed meanwhile
        return then


def _operation_id(case) -> str:
    return case.operation.definition.raw["operationId"]


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


# RFC 6902 section 4: each operation and the members it must carry.
_MEMBERS = {
    "add": ("path", "value"),
    "remove": ("path",),
    "replace": ("path", "value"),
    "move": ("from", "path"),
    "copy": ("from", "path"),
    "test": ("path", "value"),
}


def _written_members(patch: Any, patchable: tuple[str, ...]) -> tuple[str, ...] | Verdict | None:
    """The top-level members a patch writes, each one in `patchable`; FORBIDDEN when an
    operation is malformed or writes another member; None when it cannot say (no write, or
    a write below a member)."""
    if not isinstance(patch, list) or not all(isinstance(o, dict) for o in patch):
        return None
    written: list[str] = []
    for operation in patch:
        needed = _MEMBERS.get(operation.get("op"))
        if needed is None or any(member not in operation for member in needed):
            return FORBIDDEN  # RFC 6902 section 4: an unknown or incomplete operation
        pointers = [operation[m] for m in needed if m != "value"]
        if not all(isinstance(p, str) for p in pointers):
            return FORBIDDEN
        if operation["op"] == "test":
            continue  # reads only
        if operation["op"] == "copy":
            pointers = [operation["path"]]  # the source is only read
        for pointer in pointers:
            if not pointer.startswith("/"):
                return FORBIDDEN  # the whole document, or not a JSON Pointer
            member, _, below = pointer[1:].partition("/")
            member = member.replace("~1", "/").replace("~0", "~")
            if member not in patchable:
                return FORBIDDEN  # "the fields that can be patched"
            if below:
                return None
            written.append(member)
    return tuple(dict.fromkeys(written)) or None  # a patch that writes nothing: not judged


def _patched(document: dict, patch: list[dict]) -> dict | None:
    """The object RFC 6902 says `patch` produces, or None where RFC 6902 refuses it."""
    result = document
    for operation in patch:
        member = operation["path"][1:].partition("/")[0]
        if operation["op"] == "replace" and member not in result:
            return None  # section 4.3: the target location must exist
        try:
            result = apply_patch(result, [operation])
        except (PatchTestFailed, KeyError, IndexError, TypeError, ValueError):
            return None  # a failed test, a missing source or target
    return result


def _documented_options(body: Any, component: str) -> bool:
    """No body (the documented defaults), or only documented members with valid values."""
    if body is None:
        return True
    declared = set(facts.declared_members(component))
    return (
        isinstance(body, dict)
        and set(body) <= declared
        and spec.component_validator(component, "request").is_valid(body)
    )


def _instant(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def _iso_duration(text: Any) -> bool:
    if not isinstance(text, str) or not any(c.isdigit() for c in text) or text.endswith("T"):
        return False
    try:
        add_duration(datetime(2000, 1, 1, tzinfo=UTC), text)
    except (ValueError, OverflowError):
        return False
    return True


def _text(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")
