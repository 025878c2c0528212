"""JSON Patch strategies: valid patches apply and keep the resource valid; forbidden ones
touch exactly one member the status forbids; malformed ones are refused by the spec."""

from __future__ import annotations

import jsonpatch
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategy_checks import (
    CAMPAIGN,
    NOW,
    PATCH,
    TEMPLATE,
    campaign_rule_problems,
    draw_once,
    errors,
)

from emulator.domain.campaign_lifecycle import patchable_fields
from emulator.domain.campaign_rules import check_campaign_rules
from strategies import (
    CAMPAIGN_PATCHABLE,
    TEMPLATE_PATCHABLE,
    campaign_bodies,
    campaign_patches,
    forbidden_campaign_patches,
    malformed_patches,
    template_bodies,
    template_patches,
)
from strategies.spec_facts import CAMPAIGN_STATUSES

PREFIX = "run-7f3a "
WRITES = ("add", "replace", "remove", "move", "copy")
STATUSES = sorted(CAMPAIGN_PATCHABLE)


def written_members(patch: list[dict]) -> list[str]:
    return [op["path"].split("/")[1] for op in patch if op["op"] in WRITES]


def test_patchable_members_are_the_ones_the_emulator_lets_through():
    # The documented list itself is checked in tests/emulator/test_campaign_lifecycle.py.
    assert set(CAMPAIGN_PATCHABLE) == {"STAGED", "ACTIVE"}
    for status in CAMPAIGN_STATUSES:
        assert set(CAMPAIGN_PATCHABLE.get(status, ())) == patchable_fields(status), status
    assert TEMPLATE_PATCHABLE == ("name", "description", "deadlineDuration", "campaign")


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("knows_current", [False, True])
@settings(max_examples=25)
@given(data=st.data())
def test_campaign_patches_apply_and_keep_the_campaign_valid(status, knows_current, data):
    campaign = {**data.draw(campaign_bodies(now=NOW)), "status": status}
    current = campaign if knows_current else None
    patch = data.draw(campaign_patches(status, now=NOW, name_prefix=PREFIX, current=current))
    assert not errors(PATCH, patch)
    assert set(written_members(patch)) <= set(CAMPAIGN_PATCHABLE[status])
    patched = jsonpatch.apply_patch(campaign, patch)  # raises if a test op does not hold
    assert not errors(CAMPAIGN, patched)
    assert not campaign_rule_problems(patched)
    assert patched["name"] == campaign["name"] or patched["name"].startswith(PREFIX)


@pytest.mark.parametrize("status", sorted(set(CAMPAIGN_STATUSES) - set(CAMPAIGN_PATCHABLE)))
def test_no_valid_patch_for_a_status_with_nothing_patchable(status):
    with pytest.raises(ValueError):
        draw_once(campaign_patches(status))


@pytest.mark.parametrize("status", CAMPAIGN_STATUSES)
@settings(max_examples=20)
@given(data=st.data())
def test_forbidden_patches_write_exactly_one_forbidden_member(status, data):
    patch = data.draw(forbidden_campaign_patches(status, now=NOW))
    assert not errors(PATCH, patch)
    allowed = set(CAMPAIGN_PATCHABLE.get(status, ()))
    assert len([m for m in written_members(patch) if m not in allowed]) == 1


@settings(max_examples=50)
@given(data=st.data())
def test_template_patches_apply_and_keep_the_template_valid(data):
    template = data.draw(template_bodies(now=NOW))
    patch = data.draw(template_patches(name_prefix=PREFIX, now=NOW))
    assert not errors(PATCH, patch)
    assert set(written_members(patch)) <= set(TEMPLATE_PATCHABLE)
    patched = jsonpatch.apply_patch(template, patch)
    assert not errors(TEMPLATE, patched)
    check_campaign_rules(patched["campaign"], where="campaign.")


@settings(max_examples=60)
@given(pair=malformed_patches())
def test_malformed_patches_are_refused_by_the_spec(pair):
    document, reason = pair
    assert errors(PATCH, document), reason
