"""The certification campaign status state machine, as pure functions over status strings.

Creation starts a campaign in ``PENDING``; background work moves each transitional status
(``PENDING``, ``ACTIVATING``, ``COMPLETING``) to its settled status (see :func:`settle`).
``activate`` and ``complete`` are the only user-driven transitions besides deletion.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Literal

from spec import facts

__all__ = [
    "INITIAL_STATUS",
    "CampaignStatus",
    "LifecycleError",
    "begin_activation",
    "begin_completion",
    "patchable_fields",
    "settle",
]


class CampaignStatus(StrEnum):
    """Every status a campaign can report."""

    PENDING = "PENDING"
    STAGED = "STAGED"
    CANCELING = "CANCELING"
    ACTIVATING = "ACTIVATING"
    ACTIVE = "ACTIVE"
    COMPLETING = "COMPLETING"
    COMPLETED = "COMPLETED"
    ERROR = "ERROR"
    ARCHIVED = "ARCHIVED"


INITIAL_STATUS = CampaignStatus.PENDING


class LifecycleError(Exception):
    """An action the campaign's current status or deadline does not allow.

    ``reason`` is ``"status"`` when the campaign is in the wrong status for the action and
    ``"deadline"`` when the status is right but the deadline rule is not met.
    """

    def __init__(self, message: str, reason: Literal["status", "deadline"]) -> None:
        super().__init__(message)
        self.message = message
        self.reason = reason


_SETTLES_TO: dict[CampaignStatus, CampaignStatus] = {
    CampaignStatus.PENDING: CampaignStatus.STAGED,
    CampaignStatus.ACTIVATING: CampaignStatus.ACTIVE,
    CampaignStatus.COMPLETING: CampaignStatus.COMPLETED,
}

# The documents' list per status (spec `x-patchable-by-status`); unlisted statuses allow none.
_PATCHABLE: dict[CampaignStatus, frozenset[str]] = {
    CampaignStatus(status): frozenset(fields)
    for status, fields in facts.patchable_by_status("updateCampaign").items()
}


@dataclass(frozen=True)
class _Action:
    name: str
    source: CampaignStatus
    target: CampaignStatus
    wants_past_due: bool  # True: deadline must be <= now; False: deadline must be > now
    deadline_rule: str


_ACTIVATE = _Action(
    "activate",
    CampaignStatus.STAGED,
    CampaignStatus.ACTIVATING,
    wants_past_due=False,
    deadline_rule="The campaign's completion deadline ({deadline}) must be in the future "
    "in order to activate the campaign",
)
_COMPLETE = _Action(
    "complete",
    CampaignStatus.ACTIVE,
    CampaignStatus.COMPLETING,
    wants_past_due=True,
    deadline_rule="This endpoint will return a content error if the campaign is not past due "
    "(deadline: {deadline})",
)


def patchable_fields(status: str) -> frozenset[str]:
    """Return the campaign fields a PATCH may change while in ``status``."""
    return _PATCHABLE.get(CampaignStatus(status), frozenset())


def settle(status: str) -> CampaignStatus:
    """Return the status ``status`` becomes once its background work finishes."""
    current = CampaignStatus(status)
    return _SETTLES_TO.get(current, current)


def begin_activation(status: str, deadline: datetime | None, now: datetime) -> CampaignStatus:
    """Start activating: STAGED -> ACTIVATING, only if ``deadline`` is after ``now``.

    A campaign without a deadline may be activated. Raises :class:`LifecycleError`.
    """
    return _begin(_ACTIVATE, status, deadline, now)


def begin_completion(status: str, deadline: datetime | None, now: datetime) -> CampaignStatus:
    """Start completing: ACTIVE -> COMPLETING, only if past due (``deadline <= now``).

    A campaign without a deadline is never past due. Raises :class:`LifecycleError`.
    """
    return _begin(_COMPLETE, status, deadline, now)


def _begin(
    action: _Action, status: str, deadline: datetime | None, now: datetime
) -> CampaignStatus:
    current = CampaignStatus(status)
    if current is not action.source:
        raise LifecycleError(
            f"Cannot {action.name} a campaign in status {current.value}; "
            f"only {action.source.value} campaigns can be {action.name}d",
            "status",
        )
    # No deadline counts as "not past due": activation is allowed, completion is not.
    past_due = deadline is not None and deadline <= now
    if past_due is not action.wants_past_due:
        shown = deadline.isoformat() if deadline is not None else "none"
        raise LifecycleError(action.deadline_rule.format(deadline=shown), "deadline")
    return action.target
