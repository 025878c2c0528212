"""Tests for the campaign status state machine."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from emulator.domain.campaign_lifecycle import (
    INITIAL_STATUS,
    CampaignStatus,
    LifecycleError,
    begin_activation,
    begin_completion,
    patchable_fields,
    settle,
)

NOW = datetime(2024, 5, 1, 12, tzinfo=UTC)
FUTURE = NOW + timedelta(days=14)
PAST = NOW - timedelta(seconds=1)
ALL_STATUSES = [s.value for s in CampaignStatus]


def test_creation_starts_pending_and_settles_staged() -> None:
    assert INITIAL_STATUS == "PENDING"
    assert settle(INITIAL_STATUS) == "STAGED"


@pytest.mark.parametrize(
    ("status", "settled"),
    [("PENDING", "STAGED"), ("ACTIVATING", "ACTIVE"), ("COMPLETING", "COMPLETED")]
    + [(s, s) for s in ("STAGED", "CANCELING", "ACTIVE", "COMPLETED", "ERROR", "ARCHIVED")],
)
def test_settle(status: str, settled: str) -> None:
    assert settle(status) == settled


def test_full_happy_path() -> None:
    status = settle(INITIAL_STATUS)
    status = settle(begin_activation(status, FUTURE, NOW))
    assert status == "ACTIVE"
    status = settle(begin_completion(status, FUTURE, FUTURE))
    assert status == "COMPLETED"


def test_activation_goes_through_activating() -> None:
    assert begin_activation("STAGED", FUTURE, NOW) == "ACTIVATING"


@pytest.mark.parametrize("deadline", [NOW, PAST])
def test_activation_needs_a_future_deadline(deadline: datetime) -> None:
    with pytest.raises(LifecycleError) as info:
        begin_activation("STAGED", deadline, NOW)
    assert info.value.reason == "deadline"
    assert "must be in the future in order to activate the campaign" in str(info.value)
    assert "completion deadline" in info.value.message


def test_activation_without_deadline_is_allowed() -> None:
    assert begin_activation("STAGED", None, NOW) == "ACTIVATING"


@pytest.mark.parametrize("status", [s for s in ALL_STATUSES if s != "STAGED"])
def test_activation_only_from_staged(status: str) -> None:
    with pytest.raises(LifecycleError) as info:
        begin_activation(status, FUTURE, NOW)
    assert info.value.reason == "status"
    assert status in info.value.message


@pytest.mark.parametrize("deadline", [NOW, PAST])
def test_completion_when_past_due(deadline: datetime) -> None:
    assert begin_completion("ACTIVE", deadline, NOW) == "COMPLETING"


@pytest.mark.parametrize("deadline", [FUTURE, NOW + timedelta(microseconds=1), None])
def test_completion_needs_past_due(deadline: datetime | None) -> None:
    with pytest.raises(LifecycleError) as info:
        begin_completion("ACTIVE", deadline, NOW)
    assert info.value.reason == "deadline"
    assert "will return a content error if the campaign is not past due" in info.value.message


@pytest.mark.parametrize("status", [s for s in ALL_STATUSES if s != "ACTIVE"])
def test_completion_only_from_active(status: str) -> None:
    with pytest.raises(LifecycleError, match=status) as info:
        begin_completion(status, PAST, NOW)
    assert info.value.reason == "status"


def test_patchable_fields() -> None:
    assert patchable_fields("STAGED") == {
        "name",
        "description",
        "recommendationsEnabled",
        "deadline",
        "emailNotificationEnabled",
        "autoRevokeAllowed",
    }
    assert patchable_fields("ACTIVE") == {"deadline"}
    for status in set(ALL_STATUSES) - {"STAGED", "ACTIVE"}:
        assert patchable_fields(status) == frozenset()


def test_unknown_status_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="BOGUS"):
        settle("BOGUS")
    with pytest.raises(ValueError, match="staged"):
        patchable_fields("staged")


def test_results_are_plain_strings() -> None:
    result = begin_activation("STAGED", FUTURE, NOW)
    assert isinstance(result, str)
    assert f"{result}" == "ACTIVATING"
