"""What one answer says about the target (conformance/judging/observations.py), and what of it may
leave the tenant: placeholders instead of values, enum values only when they look like enum
constants, everything through the report redaction, and a round trip through results.json."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest

from conformance.judging.observations import observe_response
from reports.behaviour import TargetBehaviour, new_behaviour_data, placeholder, retry_after_format
from reports.model import RunMetadata, RunResult
from reports.redaction import Redactor
from reports.results_json import render_results_json, results_from_dict


def observe(operation_id: str, body, status: int = 200, url: str = "http://t/v3/x", **headers):
    behaviour = new_behaviour_data()
    response = SimpleNamespace(
        status_code=status, headers=headers, content=json.dumps(body).encode()
    )
    observe_response(behaviour, operation_id, SimpleNamespace(url=url), response)
    return TargetBehaviour.from_data(behaviour)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2c9180835d2e5168015d32f890ca1581", "0" * 32),
        ("8d3e2a1c-9f4b-4c1e-b2a7-5d6e7f8a9b0c", "00000000-0000-0000-0000-000000000000"),
        ("2026-11-29T21:15:47.123Z", "2000-01-01T00:00:00Z"),
        ("2026-11-29", "2000-01-01"),
        ("grace.hopper@acme.example", "someone@example.com"),
        ("https://acme.api.identitynow.com/v3/x", "https://example.com/"),
        ("Grace Hopper", "example"),
        ("ACME_ONLY", "EXAMPLE"),
        ("42", "0"),
        (17, 0),
        (2.5, 0.0),
        (True, True),
        (None, None),
        (["Grace", "Ada"], ["example"]),
        (
            {"name": "Grace", "2c9180835d2e5168015d32f890ca1581": 1},
            {"name": "example", "member1": 0},
        ),
    ],
)
def test_placeholders_keep_the_type_and_format_and_nothing_else(value, expected):
    assert placeholder(value) == expected


def test_undocumented_members_and_unlisted_enum_values_of_a_list(tmp_path):
    item = {
        "id": "2c9180835d2e5168015d32f890ca1581",
        "name": "Grace's campaign",
        "description": None,
        "type": "MACHINE_ACCOUNT",
        "status": "Grace Hopper",  # not an enum constant: could be a name, withheld
        "correlatedStatus": "CORRELATED",
        "revision": 3,
        "owner": {"email": "grace@acme.example"},
    }
    seen = observe("getActiveCampaigns", [item, {**item, "type": "MANAGER"}])
    assert [(m.pointer, m.example, m.count) for m in seen.members] == [
        ("/*/owner", {"email": "someone@example.com"}, 1),
        ("/*/revision", 0, 1),
    ]
    assert [(v.pointer, v.schema, v.value) for v in seen.enum_values] == [
        ("/*/type", "#/components/schemas/CampaignType", "MACHINE_ACCOUNT")
    ]
    assert seen.status_counts == {"getActiveCampaigns": {"200": 1}}


def test_a_condition_on_a_member_is_not_its_enum():
    """Campaign says `anyOf: [not required sourceOwnerCampaignInfo, type enum [SOURCE_OWNER]]`:
    a MANAGER campaign is no enum value outside the set."""
    seen = observe("getCampaign", {"id": "x", "name": "n", "type": "MANAGER", "status": "ACTIVE"})
    assert seen.enum_values == () and seen.members == ()


def test_header_facts():
    listed = observe("getActiveCampaigns", [], url="http://t/v3/campaigns?count=true")
    assert listed.total_count == {"getActiveCampaigns": {"requested_absent": 1}}
    counted = observe(
        "getActiveCampaigns", [], url="http://t/v3/c?count=true", **{"X-Total-Count": "0"}
    )
    assert counted.total_count == {"getActiveCampaigns": {"requested_present": 1}}
    limited = observe("getActiveCampaigns", {"message": "slow down"}, 429, **{"Retry-After": "3"})
    assert limited.retry_after == {"delta-seconds": 1}
    assert retry_after_format("Wed, 21 Oct 2015 07:28:00 GMT") == "http-date"
    assert retry_after_format("soon") == "other"


def test_behaviour_is_redacted_and_read_back():
    secret = "Zq7-distinctive-Secret-4411"
    behaviour = observe(
        "getActiveCampaigns", [{"id": "x", "name": "n", "type": "MANAGER", "note": 1}]
    )
    # A value the placeholders would never keep, planted to show the writer redacts it too.
    planted = TargetBehaviour(
        behaviour.status_counts,
        tuple(type(m)(**{**vars(m), "example": {"leak": secret}}) for m in behaviour.members),
    )
    result = RunResult(RunMetadata("r", "http://t", "tenant", "d", "0"), behaviour=planted)
    text = render_results_json(result, Redactor([secret]))
    assert secret not in text and "***" in text
    read = results_from_dict(json.loads(text))
    assert read.behaviour.members[0].pointer == "/*/note"
    assert read.behaviour.status_counts == {"getActiveCampaigns": {"200": 1}}
