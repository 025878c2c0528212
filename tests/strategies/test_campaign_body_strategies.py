"""campaign_bodies() is valid for its type; invalid_campaign_bodies() breaks the named rule."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategy_checks import CAMPAIGN, NOW, campaign_rule_problems, draw_once, errors

from emulator.domain.campaign_rules import check_campaign_rules
from emulator.domain.errors import InvalidRequest
from strategies import (
    INVALID_CAMPAIGN_REASONS,
    SCHEMA_SILENT_REASONS,
    campaign_bodies,
    invalid_campaign_bodies,
)
from strategies.spec_facts import CAMPAIGN_TYPES

PREFIX = "run-7f3a "


@pytest.mark.parametrize("campaign_type", [*CAMPAIGN_TYPES, None])
@settings(max_examples=30)
@given(data=st.data())
def test_campaign_bodies_are_valid_for_their_type(campaign_type, data):
    body = data.draw(campaign_bodies(campaign_type, name_prefix=PREFIX, now=NOW))
    assert not errors(CAMPAIGN, body)
    assert not campaign_rule_problems(body)
    check_campaign_rules(body)  # the emulator's reading of the same sentences
    assert body["name"].startswith(PREFIX)
    assert campaign_type in (None, body["type"])


def test_an_undocumented_type_is_refused():
    with pytest.raises(ValueError):
        draw_once(campaign_bodies("MACHINE_ACCOUNT"))


def test_a_prefix_must_leave_room_for_a_name():
    with pytest.raises(ValueError):
        draw_once(campaign_bodies(name_prefix="x" * 128))


@pytest.mark.parametrize("reason", sorted(INVALID_CAMPAIGN_REASONS))
@settings(max_examples=8)
@given(data=st.data())
def test_invalid_campaign_bodies_break_the_rule_they_name(reason, data):
    body, named = data.draw(invalid_campaign_bodies(reason, name_prefix=PREFIX, now=NOW))
    assert named == reason
    if reason in SCHEMA_SILENT_REASONS:
        # The schema cannot say it: the body passes the schema, and only the rule catches it.
        assert not errors(CAMPAIGN, body), reason
        assert campaign_rule_problems(body), reason
        with pytest.raises(InvalidRequest):
            check_campaign_rules(body)
    else:
        assert errors(CAMPAIGN, body), reason


@settings(max_examples=30)
@given(pair=invalid_campaign_bodies())
def test_any_invalid_body_names_a_known_reason(pair):
    body, reason = pair
    assert reason in INVALID_CAMPAIGN_REASONS
    assert errors(CAMPAIGN, body) or reason in SCHEMA_SILENT_REASONS


def test_an_unknown_reason_is_refused():
    with pytest.raises(ValueError):
        draw_once(invalid_campaign_bodies("no such rule"))
