"""RFC 6902 JSON Patch documents for campaigns (per status) and campaign templates.

What may change comes from spec/ (`x-patchable-by-status` on updateCampaign, `x-patchable`
on patchCampaignTemplate). Valid patches use `add` wherever the member might be absent (RFC
6902 §4.1: add replaces an existing member), `replace` only where it is known to exist, and
`test` only where it must hold: right after the write it checks, or against `current`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from hypothesis import strategies as st

from strategies.campaign_parts import campaign_filter_refs
from strategies.campaigns import BOOLEAN_MEMBERS
from strategies.durations import durations
from strategies.patch_values import campaign_member_values
from strategies.placeholders import placeholder_text
from strategies.scalars import MAX_NAME_LENGTH, future_date_times, ids, names, printable_text
from strategies.spec_facts import (
    COMMENT_REQUIREMENTS,
    declared_members,
    patchable,
    patchable_by_status,
)
from strategies.templates import template_campaigns

Operation = dict[str, Any]
CAMPAIGN_PATCHABLE: Mapping[str, tuple[str, ...]] = patchable_by_status("updateCampaign")
TEMPLATE_PATCHABLE: tuple[str, ...] = patchable("patchCampaignTemplate")
# Members every campaign representation has (SlimCampaign requires them).
_ALWAYS_PRESENT = frozenset({"name", "description", "type"})


def _writes(
    draw: st.DrawFn, path: str, values: st.SearchStrategy, present: bool
) -> list[Operation]:
    """A write of `path` (replace only if `present`), sometimes followed by a test of it."""
    value = draw(values)
    op = draw(st.sampled_from(["add", "replace"])) if present else "add"
    written = [{"op": op, "path": path, "value": value}]
    if draw(st.booleans()):
        written.append({"op": "test", "path": path, "value": value})
    return written


@st.composite
def campaign_patches(
    draw: st.DrawFn,
    status: str,
    *,
    now: datetime | None = None,
    name_prefix: str = "",
    current: Mapping[str, Any] | None = None,
) -> list[Operation]:
    """A patch an updateCampaign on a campaign in `status` must accept.

    Invariants: every write targets a member `status` lets a PATCH change (STAGED: name,
    description, recommendationsEnabled, deadline, emailNotificationEnabled,
    autoRevokeAllowed; ACTIVE: deadline); values are well typed (a non-blank name starting
    with `name_prefix`, text descriptions, booleans, deadlines at least two days after
    `now`); `test` operations hold. With `current` (the campaign as last read), some tests
    check its present values first and `replace` is used on any member it has. When name
    and description are both patchable, the document's own example (copy /name to
    /description) sometimes ends the patch. Raises ValueError for a status with nothing
    patchable.
    """
    allowed = CAMPAIGN_PATCHABLE.get(status)
    if not allowed:
        raise ValueError(f"a campaign in {status!r} has no patchable member")
    present = set(current) if current is not None else set(_ALWAYS_PRESENT)
    fields = draw(st.lists(st.sampled_from(allowed), min_size=1, max_size=3, unique=True))
    patch: list[Operation] = []
    for field in fields:
        known = None if current is None else current.get(field)
        if known is not None and draw(st.booleans()):
            patch.append({"op": "test", "path": f"/{field}", "value": known})
        values = campaign_member_values(field, name_prefix=name_prefix, now=now)
        patch += _writes(draw, f"/{field}", values, field in present)
    if {"name", "description"} <= set(allowed) and draw(st.booleans()):
        patch.append({"op": "copy", "from": "/name", "path": "/description"})
    return patch


@st.composite
def forbidden_campaign_patches(
    draw: st.DrawFn, status: str, *, now: datetime | None = None
) -> list[Operation]:
    """A patch with exactly one operation that writes a member `status` does not let a PATCH
    change (e.g. /type, /status, /id, or /name while ACTIVE), with a value of that member's
    own type; any other operations are valid for `status`. Well formed throughout, so the
    forbidden path is the only fault."""
    allowed = set(CAMPAIGN_PATCHABLE.get(status, ()))
    member = draw(st.sampled_from([m for m in declared_members("Campaign") if m not in allowed]))
    op = draw(st.sampled_from(["add", "replace", "remove"]))
    forbidden: Operation = {"op": op, "path": f"/{member}"}
    if op != "remove":
        forbidden["value"] = draw(campaign_member_values(member, now=now))
    if not allowed or draw(st.booleans()):
        return [forbidden]
    valid = draw(campaign_patches(status, now=now))
    at = draw(st.integers(0, len(valid)))
    return [*valid[:at], forbidden, *valid[at:]]


def _template_members(name_prefix: str, now: datetime | None) -> dict[str, tuple[Any, bool]]:
    """Each patchable template path: (values, whether every template has it)."""
    campaign_name = placeholder_text(name_prefix, MAX_NAME_LENGTH)
    members: dict[str, tuple[Any, bool]] = {
        "/name": (names(name_prefix), True),
        "/description": (printable_text(), True),
        "/deadlineDuration": (durations(), False),
        "/campaign": (template_campaigns(name_prefix=name_prefix, now=now), True),
        "/campaign/name": (campaign_name, True),
        "/campaign/description": (placeholder_text() | printable_text(), True),
        "/campaign/mandatoryCommentRequirement": (st.sampled_from(COMMENT_REQUIREMENTS), False),
        "/campaign/correlatedStatus": (st.just("CORRELATED"), False),
        "/campaign/filter": (campaign_filter_refs(), False),
        **{f"/campaign/{member}": (st.booleans(), False) for member in BOOLEAN_MEMBERS},
    }
    return members


@st.composite
def template_patches(
    draw: st.DrawFn, *, name_prefix: str = "", now: datetime | None = None
) -> list[Operation]:
    """A patch patchCampaignTemplate must accept on any template.

    Invariants: writes only name, description, deadlineDuration and campaign (whole, or a
    member a create accepts that fits every campaign type: name and description, which may
    carry placeholders, the booleans, mandatoryCommentRequirement, CORRELATED, a filter);
    names start with `name_prefix`; `test` operations follow the write they check.
    """
    members = _template_members(name_prefix, now)
    paths = draw(st.lists(st.sampled_from(sorted(members)), min_size=1, max_size=3, unique=True))
    patch: list[Operation] = []
    for path in paths:
        values, always_present = members[path]
        patch += _writes(draw, path, values, always_present)
    return patch


def _template_member_values(member: str, now: datetime | None) -> st.SearchStrategy:
    """Values of the JSON type the CampaignTemplate schema gives a member no PATCH may write."""
    if member in ("created", "modified"):
        return future_date_times(now)
    if member == "scheduled":
        return st.booleans()
    if member == "ownerRef":
        return st.builds(lambda i: {"id": i, "type": "IDENTITY", "name": "owner"}, ids())
    return ids()  # id


@st.composite
def forbidden_template_patches(draw: st.DrawFn, *, now: datetime | None = None) -> list[Operation]:
    """A patch with exactly one operation writing a template member the document does not
    list as patchable (id, created, modified, scheduled, ownerRef), with a value of that
    member's own type; any other operations are a valid `template_patches` patch. Well formed
    throughout, so only the patchable-fields rule can refuse it."""
    members = [m for m in declared_members("CampaignTemplate") if m not in TEMPLATE_PATCHABLE]
    member = draw(st.sampled_from(members))
    op = draw(st.sampled_from(["add", "replace"]))
    forbidden: Operation = {
        "op": op,
        "path": f"/{member}",
        "value": draw(_template_member_values(member, now)),
    }
    if draw(st.booleans()):
        return [forbidden]
    valid = draw(template_patches(now=now))
    at = draw(st.integers(0, len(valid)))
    return [*valid[:at], forbidden, *valid[at:]]
