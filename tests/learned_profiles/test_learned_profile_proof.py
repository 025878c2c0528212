"""A tenant's drift, learned from one conformance run, reproduced by a fresh emulator.

The drifted emulator answers createCampaign with 202, accepts MACHINE_ACCOUNT and adds two
undocumented members to every campaign (drift_emulator.py). The suite runs against it as
against a tenant; a fresh `python -m emulator --like` that run's results.json must then give
the suite the same verdicts and observations (the same drift, nothing else), and the vendor
SDK example client must behave the same against both. An emulator answering as the documents
is the control: the same run finds no drift there, so the comparison can fail.
"""

from __future__ import annotations

import json
from dataclasses import asdict

from drift_emulator import EDITOR_EMAIL, EDITOR_NAME
from learning_runs import CLIENT, FOREIGN_NAMES, LIMITED, load

from spec.learned_profile import LearnedProfile, describe, load_profile


def _changes(profile: LearnedProfile) -> dict:
    """What a profile changes, without the counts behind it."""
    return {
        "statuses": {(s.operation_id, s.documented, s.answered) for s in profile.statuses},
        "members": {(m.operation_id, m.pointer, json.dumps(m.example)) for m in profile.members},
        "enums": {(e.schema, e.values) for e in profile.enums},
    }


def _observed(document: dict) -> dict:
    behaviour = document["behaviour"]
    return {
        "status codes": {op: sorted(codes) for op, codes in behaviour["status_counts"].items()},
        "members": sorted(
            (m["operation_id"], m["status"], m["pointer"], json.dumps(m["example"]))
            for m in behaviour["undocumented_members"]
        ),
        "enum values": sorted(
            (v["operation_id"], v["pointer"], v["value"]) for v in behaviour["enum_values"]
        ),
        "X-Total-Count": behaviour["total_count"],
    }


def _verdicts(document: dict) -> dict:
    return {
        "tests": sorted((t["nodeid"], t["outcome"]) for t in document["tests"]),
        "records": sorted(
            {
                (r["record_type"], r["operation_id"] or "", r["check"], r["outcome"])
                for r in document["records"]
            }
        ),
    }


def test_the_run_against_the_drifted_target_records_the_drift(runs):
    changes = _changes(load_profile(runs["drifted"]))
    assert changes["statuses"] == {("createCampaign", 200, 202)}
    assert changes["enums"] == {("#/components/schemas/CampaignType", ("MACHINE_ACCOUNT",))}
    placeholder_editor = json.dumps({"name": "example", "email": "someone@example.com"})
    assert {
        ("createCampaign", "/revision", "0"),
        ("createCampaign", "/lastEditor", placeholder_editor),
        ("getActiveCampaigns", "/*/revision", "0"),
        ("getCampaign", "/revision", "0"),
    } <= changes["members"]
    assert {pointer.rsplit("/", 1)[1] for _, pointer, _ in changes["members"]} == {
        "revision",
        "lastEditor",
    }


def test_the_documented_emulator_shows_no_drift(runs):
    """The control: the same run against the documents' answers learns nothing, and its
    observations differ from the drifted run's."""
    assert load_profile(runs["documented"]).is_empty()
    assert _observed(load(runs["documented"])) != _observed(load(runs["drifted"]))


def test_the_learned_emulator_shows_the_suite_the_same_drift_and_nothing_else(runs):
    drifted, learned = load(runs["drifted"]), load(runs["learned"])
    assert _verdicts(learned) == _verdicts(drifted)
    assert _observed(learned) == _observed(drifted)
    assert _changes(load_profile(runs["learned"])) == _changes(load_profile(runs["drifted"]))


def test_no_secret_or_foreign_data_reaches_the_observations_or_the_profile(runs):
    document = load(runs["drifted"])
    profile = load_profile(runs["drifted"])
    # The run saw the foreign campaigns and the members' values: it listed the campaigns and
    # recorded the members of each listed item.
    assert any(
        m["pointer"] == "/*/lastEditor" for m in document["behaviour"]["undocumented_members"]
    )
    written = "\n".join(
        [json.dumps(document["behaviour"]), describe(profile), json.dumps(asdict(profile))]
    )
    leaks = [CLIENT[1], LIMITED[1], *FOREIGN_NAMES, *runs["foreign ids"], EDITOR_NAME, EDITOR_EMAIL]
    assert [leak for leak in leaks if leak in written] == []
    assert "eyJ" not in written  # no token (tokens are JWTs)
