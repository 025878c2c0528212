"""The stateful check's oracle (conformance/judging/allowed_steps.py): what it allows, what it
forbids, and where it declines to judge. The strategies' valid and forbidden patches are the
second opinion: the oracle must allow every patch `campaign_patches` makes and forbid every
one `forbidden_campaign_patches` makes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from conformance.judging.allowed_steps import (
    FORBIDDEN,
    judge_activation,
    judge_campaign_patch,
    judge_completion,
    judge_template_patch,
)
from strategies import campaign_patches, forbidden_campaign_patches

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)


def at(days: float) -> str:
    return (NOW + timedelta(days=days)).isoformat().replace("+00:00", "Z")


def campaign(status: str = "STAGED", **members) -> dict:
    return {
        "id": "c1",
        "name": "cc-run-x campaign",
        "description": None,
        "type": "MANAGER",
        "status": status,
        "created": at(-1),
        **members,
    }


TEMPLATE = {
    "id": "t1",
    "name": "cc-run-x template",
    "description": "d",
    "created": at(-1),
    "campaign": {"name": "c", "description": None, "type": "MANAGER"},
}


def test_activation_allowed_staged_without_a_deadline_or_with_a_future_one() -> None:
    allowed = judge_activation(campaign(), None, NOW)
    assert allowed is not None and allowed.allowed
    assert allowed.rules == ("activate-only-staged",)
    future = judge_activation(campaign(deadline=at(30)), {"timeZone": "-05:00"}, NOW)
    assert future is not None and future.rules[-1] == "activate-future-deadline"


def test_activation_forbidden_when_not_staged_or_past_deadline() -> None:
    assert judge_activation(campaign("ACTIVE", deadline=at(30)), None, NOW) == FORBIDDEN
    assert judge_activation(campaign("PENDING"), None, NOW) == FORBIDDEN
    assert judge_activation(campaign(deadline=at(-1)), None, NOW) == FORBIDDEN


def test_activation_not_judged_today_or_with_undocumented_options() -> None:
    assert judge_activation(campaign(deadline=at(0.5)), None, NOW) is None  # "today"
    assert judge_activation(campaign(), {"timeZone": "Z", "extra": 1}, NOW) is None
    assert judge_activation(campaign(), {"timeZone": "America/New_York"}, NOW) is None
    assert judge_activation(campaign(), [], NOW) is None


def test_completion_allowed_only_when_active_and_past_due() -> None:
    due = judge_completion(
        campaign("ACTIVE", deadline=at(-1)), {"autoCompleteAction": "REVOKE"}, NOW
    )
    assert due is not None and due.rules == ("complete-past-due",)
    assert judge_completion(campaign("ACTIVE", deadline=at(3)), None, NOW) == FORBIDDEN
    assert judge_completion(campaign("STAGED", deadline=at(-1)), None, NOW) == FORBIDDEN
    assert judge_completion(campaign("ACTIVE"), None, NOW) is None  # no deadline: not said
    assert judge_completion(campaign("ACTIVE", deadline=at(0)), None, NOW) is None  # skew


def test_campaign_patch_follows_the_status_and_rfc_6902() -> None:
    rename = [{"op": "replace", "path": "/name", "value": "cc-run-x renamed"}]
    staged = judge_campaign_patch(campaign(), rename, NOW)
    assert staged is not None and staged.rules == ("patch-staged",)
    assert judge_campaign_patch(campaign("ACTIVE", deadline=at(9)), rename, NOW) == FORBIDDEN
    later = [{"op": "replace", "path": "/deadline", "value": at(20)}]
    active = judge_campaign_patch(campaign("ACTIVE", deadline=at(9)), later, NOW)
    assert active is not None and active.rules == ("patch-active",)
    assert judge_campaign_patch(campaign("COMPLETED", deadline=at(9)), later, NOW) == FORBIDDEN
    # RFC 6902: replace needs the target, a test must hold, add needs a value.
    assert judge_campaign_patch(campaign(), later, NOW) == FORBIDDEN
    failing = [{"op": "test", "path": "/name", "value": "other"}, *rename]
    assert judge_campaign_patch(campaign(), failing, NOW) == FORBIDDEN
    assert judge_campaign_patch(campaign(), [{"op": "add", "path": "/name"}], NOW) == FORBIDDEN
    # The result must still be a Campaign: a name is required, a deadline a date-time.
    assert judge_campaign_patch(campaign(), [{"op": "remove", "path": "/name"}], NOW) == FORBIDDEN
    bad_date = [{"op": "add", "path": "/deadline", "value": "tomorrow"}]
    assert judge_campaign_patch(campaign(), bad_date, NOW) == FORBIDDEN


def test_campaign_patch_not_judged_when_nested_or_writing_nothing() -> None:
    nested = [{"op": "add", "path": "/description/x", "value": "y"}]
    assert judge_campaign_patch(campaign(), nested, NOW) is None
    assert judge_campaign_patch(campaign(), [], NOW) is None
    only_test = [{"op": "test", "path": "/name", "value": "cc-run-x campaign"}]
    assert judge_campaign_patch(campaign(), only_test, NOW) is None


def test_template_patch_judges_its_own_members_and_leaves_the_campaign_alone() -> None:
    renamed = judge_template_patch(
        TEMPLATE, [{"op": "replace", "path": "/name", "value": "n"}], NOW
    )
    assert renamed is not None and renamed.rules == ("template-patchable",)
    duration = [{"op": "add", "path": "/deadlineDuration", "value": "P2W"}]
    assert judge_template_patch(TEMPLATE, duration, NOW) is not None
    odd = [{"op": "add", "path": "/deadlineDuration", "value": "two weeks"}]
    assert judge_template_patch(TEMPLATE, odd, NOW) is None
    owner = [{"op": "replace", "path": "/created", "value": at(1)}]
    assert judge_template_patch(TEMPLATE, owner, NOW) == FORBIDDEN
    inside = [{"op": "replace", "path": "/campaign/name", "value": "x"}]
    assert judge_template_patch(TEMPLATE, inside, NOW) is None


@settings(max_examples=60, deadline=None)
@given(data=st.data(), status=st.sampled_from(["STAGED", "ACTIVE"]))
def test_the_strategies_patches_are_allowed_and_their_forbidden_ones_forbidden(data, status):
    current = campaign(status, deadline=at(10))
    allowed = data.draw(campaign_patches(status, now=NOW, current=current))
    verdict = judge_campaign_patch(current, allowed, NOW)
    assert verdict is not None and verdict.allowed, allowed
    forbidden = data.draw(forbidden_campaign_patches(status, now=NOW))
    assert judge_campaign_patch(current, forbidden, NOW) == FORBIDDEN, forbidden
