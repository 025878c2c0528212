"""What the target now does differently, first and in plain words, each with the stated rule
that makes it a regression, a fix or a change; flaky records and differing runs, apart."""

from __future__ import annotations

from dataclasses import replace

from reports.behaviour import DriftFinding, EnumValueSeen, TargetBehaviour
from reports.diff import compare_runs
from reports.diff_text import format_text
from reports.model import RunResult
from tests.reports.suite_names import SCHEMA_CHECK

MACHINE = "MACHINE_ACCOUNT as a campaign type (known drift 1)"


def acting(run: RunResult, **behaviour) -> RunResult:
    return replace(run, behaviour=TargetBehaviour(**behaviour))


def drift(follows: str, status: int) -> dict[str, DriftFinding]:
    return {
        MACHINE: DriftFinding(follows, "400 naming `type`", "created", status, "createCampaign")
    }


def test_a_replaced_success_status_is_a_regression_named_first(make_run) -> None:
    before = acting(make_run([]), status_counts={"createCampaign": {"202": 9, "400": 2}})
    after = acting(make_run([]), status_counts={"createCampaign": {"200": 9, "400": 2}})
    text = format_text(compare_runs(before, after))
    lines = text.splitlines()
    assert lines[2] == "Regressions (1):"
    assert lines[3].strip() == (
        "createCampaign now answers 200; it answered 202 before — regression: a changed "
        "success status breaks clients either way"
    )
    # More statuses, none replaced: the requests differ, nothing to say.
    more = acting(make_run([]), status_counts={"createCampaign": {"202": 9, "200": 1}})
    assert compare_runs(before, more).findings == []


def test_a_value_now_refused_regresses_and_now_accepted_changes(make_run) -> None:
    accepted = acting(make_run([]), drift=drift("published", 202))
    refused = acting(make_run([]), drift=drift("documents", 400))
    [finding] = compare_runs(accepted, refused).findings
    assert finding.verdict == "regression" and finding.because == "requests that worked now fail"
    assert finding.text.startswith(f"{MACHINE}: now refused with 400 (400 naming `type`)")
    assert "the target follows the documents now" in finding.text
    [back] = compare_runs(refused, accepted).findings
    assert back.verdict == "change" and "now accepted with 202" in back.text
    neither = acting(make_run([]), drift=drift("neither", 500))
    [broken] = compare_runs(accepted, neither).findings
    assert broken.verdict == "regression" and "neither" in broken.because


def test_an_enum_value_newly_seen_is_a_regression(make_run) -> None:
    value = EnumValueSeen("getCampaign", 200, "/status", "#/enum", "ARCHIVED", 3)
    before = make_run([])
    after = acting(make_run([]), enum_values=(value, replace(value, status=201)))
    [finding] = compare_runs(before, after).findings
    assert finding.verdict == "regression"
    assert finding.text.startswith("getCampaign answered ARCHIVED at /status")
    assert compare_runs(after, after).findings == []


def test_a_record_the_before_runs_disagree_on_is_flaky_not_a_regression(
    make_run, make_record
) -> None:
    passing = make_run([make_record("getCampaign", SCHEMA_CHECK, "pass")])
    failing = make_run([make_record("getCampaign", SCHEMA_CHECK, "fail", reason="r")])
    diff = compare_runs([passing, failing], failing)
    assert not diff.regressed
    assert [c.name for c in diff.flaky] == [SCHEMA_CHECK]
    text = format_text(diff)
    assert "Flaky (1): (their outcome differs among the before runs: not compared)" in text
    assert "pass/fail before, fail now" in text
    assert compare_runs(passing, failing).regressed  # one before run: a regression


def test_runs_of_different_profiles_warn_naming_both(make_run) -> None:
    before = make_run([], hypothesis_profile="ci", seed=1)
    after = make_run([], hypothesis_profile="tenant", seed=1, run_id="cc-other")
    [warning] = compare_runs(before, after).warnings()
    assert "different profiles (ci before, tenant after)" in warning
