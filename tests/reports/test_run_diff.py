"""The before/after diff: keyed on rule ids and check names, each regression kind, the
non-regressions, and output that fits a pull-request comment."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from reports.__main__ import main
from reports.behaviour import TargetBehaviour
from reports.diff import compare_runs, format_json
from reports.diff_text import format_markdown, format_text
from reports.model import Exchange, Observed, RunResult, StoppedBy
from reports.results_json import write_results_json
from tests.reports.suite_names import (
    PAST_DUE,
    RETRY_AFTER,
    SCHEMA_CHECK,
    STATUS_CHECK,
    UNAUTHORIZED,
)

BASE = "https://acme.api.identitynow.com/v3"


def run_cli(tmp_path: Path, before: RunResult, after: RunResult, *options: str) -> int:
    before_path = write_results_json(before, tmp_path / "before.json")
    after_path = write_results_json(after, tmp_path / "after.json")
    return main(["diff", str(before_path), str(after_path), *options])


def seeded(run: RunResult, run_id: str) -> RunResult:
    return replace(run, metadata=replace(run.metadata, run_id=run_id, seed=7))


def test_equal_runs_report_nothing_and_exit_0(sample_run: RunResult, tmp_path: Path, capsys):
    assert run_cli(tmp_path, sample_run, sample_run) == 0
    out, err = capsys.readouterr()
    assert out.strip().splitlines()[-1] == "No changes."
    assert "Regressions" not in out
    assert err == ""
    diff = compare_runs(sample_run, sample_run)
    assert not diff.changed
    assert not diff.regressed


def test_a_rule_that_newly_fails_is_named_by_id_with_its_operation(make_run, make_record):
    activate = Exchange(
        "POST",
        f"{BASE}/campaigns/2c91/activate",
        status_code=202,
        response_body='{"id": "2c91", "type": "CAMPAIGN_ACTIVATE"}',
        operation_id="startCampaign",  # as the suite identified it when it sent the request
    )
    before = make_run([make_record(None, PAST_DUE.id, "pass", cases=5)])
    after = make_run(
        [make_record(None, PAST_DUE.id, "fail", reason="completed early", exchange=activate)]
    )
    diff = compare_runs(before, after)
    [change] = diff.new_failures
    assert (change.record_type, change.name, change.operation) == (
        "rule",
        PAST_DUE.id,
        "startCampaign",
    )
    assert (change.before, change.after) == ("pass", "fail")
    text = format_text(diff)
    assert f"newly fails: rule {PAST_DUE.id} on startCampaign — the document says: “" in text
    assert 'the server: answered 202 to POST {"id":"2c91","type":"CAMPAIGN_ACTIVATE"}' in text
    assert "on run" not in text and "· run" not in text
    assert "Result: 1 regression(s)." in text


def test_a_check_that_newly_fails_names_its_operation_and_the_error_text(make_run, make_record):
    refused = Exchange(
        "GET",
        f"{BASE}/campaigns/2c91",
        status_code=409,
        response_body='{"detailCode": "409.0 Conflict", "trackingId": "t", '
        '"messages": [{"locale": "en-US", "text": "database unavailable"}]}',
    )
    before = make_run([make_record("getCampaign", STATUS_CHECK, "pass")])
    after = make_run([make_record("getCampaign", STATUS_CHECK, "fail", exchange=refused)])
    text = format_text(compare_runs(before, after))
    assert f"newly fails: check {STATUS_CHECK} on getCampaign" in text
    assert "the server: answered 409 to GET 409.0 Conflict; database unavailable" in text


def test_a_record_failing_without_a_prior_record_is_a_new_failure(make_run, make_record):
    after = make_run([make_record(None, UNAUTHORIZED.id, "fail", reason="The server did: x")])
    diff = compare_runs(make_run([]), after)
    assert [(c.name, c.before, c.did) for c in diff.new_failures] == [(UNAUTHORIZED.id, None, "x")]


def test_newly_erroring_and_stopped_running_are_regressions(make_run, make_record):
    """A record kept from running by a cause it records regressed; one no request reached
    (no record, or nothing checks it now) is what was sent, not the target: a change."""
    before = make_run(
        [
            make_record(None, UNAUTHORIZED.id, "pass"),
            make_record(None, PAST_DUE.id, "pass"),
            make_record(None, RETRY_AFTER.id, "pass"),
            make_record("getCampaign", SCHEMA_CHECK, "pass"),
        ]
    )
    timeout = StoppedBy("error", "ReadTimeout")
    after = make_run(
        [
            make_record(None, UNAUTHORIZED.id, "error", reason="the test stopped (timeout)"),
            make_record(None, PAST_DUE.id, "not-run", reason="no test of this run checks it"),
            make_record(None, RETRY_AFTER.id, "not-run", reason="stopped", stopped_by=timeout),
        ]
    )
    diff = compare_runs(before, after)
    assert [c.name for c in diff.new_errors] == [UNAUTHORIZED.id]
    assert [(c.name, c.after) for c in diff.stopped_running] == [(RETRY_AFTER.id, "not-run")]
    assert [(c.name, c.after) for c in diff.no_longer_judged] == [
        (SCHEMA_CHECK, None),
        (PAST_DUE.id, "not-run"),
    ]
    assert diff.regression_count == 2  # the error, and the records the timeout stopped
    text = format_text(diff)
    assert f"newly errors: rule {UNAUTHORIZED.id}" in text
    assert "the server: the test stopped (timeout)" in text
    assert "tests stopped on an error (ReadTimeout); the test(s) stopped there, before " in text
    assert f"no longer judged (1): rule {PAST_DUE.id}" in text
    assert f"no longer judged on getCampaign (1): check {SCHEMA_CHECK}" in text


def test_fixed_and_newly_running_are_not_regressions(make_run, make_record):
    before = make_run(
        [
            make_record(None, UNAUTHORIZED.id, "fail", reason="The server did: was broken"),
            make_record(None, PAST_DUE.id, "skip", reason="read-only"),
        ]
    )
    after = make_run(
        [make_record(None, UNAUTHORIZED.id, "pass"), make_record(None, PAST_DUE.id, "pass")]
    )
    diff = compare_runs(before, after)
    assert [(c.name, c.did) for c in diff.fixed] == [(UNAUTHORIZED.id, "was broken")]
    assert [(c.name, c.before) for c in diff.started_running] == [(PAST_DUE.id, "skip")]
    assert diff.changed and not diff.regressed
    text = format_text(diff)
    assert f"fixed: rule {UNAUTHORIZED.id}" in text
    assert f"now judged (1): rule {PAST_DUE.id}" in text
    assert text.endswith("Result: no regressions.")


def test_a_renamed_rule_diffs_as_the_same_rule(make_run, make_record) -> None:
    """A run written before a rule id was renamed compares with one written after: the old
    id is read as the new one, so nothing "stopped running" and a new failure names it."""
    renamed = replace(
        make_record(None, "background-transitions", "pass"), check="created-pending-then-staged"
    )
    before = make_run([renamed])
    assert not compare_runs(
        before, make_run([make_record(None, "background-transitions", "pass")])
    ).changed
    diff = compare_runs(before, make_run([make_record(None, "background-transitions", "fail")]))
    assert [c.name for c in diff.new_failures] == ["background-transitions"]
    assert diff.stopped_running == []


def test_a_newly_seen_server_error_regresses_other_new_codes_do_not(make_run):
    before = make_run([], observed={"getCampaign": Observed((200, 404))})
    after = make_run([], observed={"getCampaign": Observed((200, 400, 503))})
    diff = compare_runs(before, after)
    assert diff.server_errors_appeared == {"getCampaign": [503]}
    assert diff.status_codes_appeared == {"getCampaign": [400]}
    assert diff.status_codes_vanished == {"getCampaign": [404]}
    assert diff.regression_count == 1
    text = format_text(diff)
    assert "server error: getCampaign answered 503 (newly seen)" in text
    assert "status codes of getCampaign: newly seen 400; no longer seen 404" in text


def test_undocumented_properties_appearing_regress_and_vanishing_do_not(make_run) -> None:
    before = make_run([], observed={"getCampaign": Observed((), ("/old",))})
    after = make_run([], observed={"getCampaign": Observed((), ("/new",))})
    diff = compare_runs(before, after)
    assert diff.undocumented_appeared == {"getCampaign": ["/new"]}
    assert diff.undocumented_vanished == {"getCampaign": ["/old"]}
    assert diff.regression_count == 1
    text = format_text(diff)
    assert "undocumented property appeared: getCampaign /new" in text
    assert "undocumented property vanished: getCampaign /old" in text


def timed(run: RunResult, **server_ms: list[float]) -> RunResult:
    """The run with these server times per request, per operation."""
    return replace(
        run, behaviour=TargetBehaviour(server_ms={k: tuple(v) for k, v in server_ms.items()})
    )


def spread(median_ms: float, count: int = 40) -> list[float]:
    """`count` samples around a median, as a server's times spread (±20%)."""
    return [median_ms * (0.8 + 0.4 * index / (count - 1)) for index in range(count)]


@pytest.mark.parametrize(
    ("before_ms", "after_ms", "factor", "slower"),
    [
        (40.0, 400.0, 2.0, True),  # 10x and 360 ms
        (10.0, 40.0, 2.0, False),  # 4x but only 30 ms: noise
        (1000.0, 1500.0, 2.0, False),  # 500 ms but only 1.5x
        (1000.0, 2500.0, 2.0, True),
        (1000.0, 2500.0, 3.0, False),  # the factor is the caller's
    ],
)
def test_an_operation_is_slower_when_its_server_times_say_so(
    make_run, before_ms, after_ms, factor, slower
):
    before = timed(make_run([]), getCampaign=spread(before_ms))
    after = timed(make_run([]), getCampaign=spread(after_ms))
    diff = compare_runs(before, after, slowdown_factor=factor)
    assert bool(diff.slower) is slower
    assert not diff.regressed  # its own section: a regression only with --fail-on-slower
    failing = compare_runs(before, after, slowdown_factor=factor, fail_on_slower=True)
    assert failing.regressed is slower


def test_few_requests_or_one_slow_answer_are_no_slowdown(make_run) -> None:
    before = timed(make_run([]), getCampaign=spread(10.0), listCampaigns=spread(10.0, 5))
    # One answer of 5 s among 40 moves neither the median nor the 90th percentile; five
    # requests are too few to say anything.
    after = timed(
        make_run([]), getCampaign=[*spread(10.0, 39), 5000.0], listCampaigns=spread(900.0, 5)
    )
    assert compare_runs(before, after).slower == []


def test_test_durations_are_not_server_time(make_run, make_record) -> None:
    """A test that waited on the throttle is not a slower server."""
    before = make_run([make_record("getCampaign", SCHEMA_CHECK, "pass", duration_ms=8.0)])
    after = make_run([make_record("getCampaign", SCHEMA_CHECK, "pass", duration_ms=4635.0)])
    assert compare_runs(before, after).slower == []


def test_the_slower_section_and_fail_on_slower(make_run, tmp_path, capsys) -> None:
    before = timed(make_run([]), getActiveCampaigns=spread(40.0))
    after = timed(make_run([]), getActiveCampaigns=spread(400.0))
    text = format_text(compare_runs(before, after))
    assert "Slower (1): (the server's time per request; fails the diff only with" in text
    assert "getActiveCampaigns median 40 ms -> 400 ms (×10.0)" in text
    assert text.endswith("Result: no regressions.")
    assert run_cli(tmp_path, before, after) == 0
    assert run_cli(tmp_path, before, after, "--fail-on-slower") == 1
    assert run_cli(tmp_path, before, after, "--fail-on-slower", "--slowdown-factor", "20") == 0


def test_different_specs_and_unseeded_runs_warn_but_still_compare(
    sample_run: RunResult, tmp_path: Path, capsys
) -> None:
    after = replace(sample_run, metadata=replace(sample_run.metadata, spec_digest="b" * 64))
    assert run_cli(tmp_path, sample_run, after) == 0
    out, err = capsys.readouterr()
    assert err.startswith("python -m reports: warning: the runs used different specs")
    assert err.count("\n") == 1  # the same run id: no seed warning
    assert "No changes." in out
    other = replace(sample_run, metadata=replace(sample_run.metadata, run_id="cc-other"))
    assert run_cli(tmp_path, sample_run, other) == 0
    assert "were not given the same --seed" in capsys.readouterr().err
    assert run_cli(tmp_path, seeded(sample_run, "a"), seeded(sample_run, "b")) == 0
    assert capsys.readouterr().err == ""


def test_markdown_fits_a_pull_request_comment(sample_run: RunResult, make_run, tmp_path, capsys):
    before = make_run([])
    (tmp_path / "report.html").write_text("<!DOCTYPE html>", encoding="utf-8")
    assert run_cli(tmp_path, before, sample_run, "--format", "markdown") == 1
    markdown = capsys.readouterr().out
    assert markdown.startswith("## Run `cc-20250101T120000-ab12` compared with run")
    assert "### Regressions (" in markdown
    items = markdown.split("\n- ")[1:]
    failing = [item for item in items if item.startswith("newly fails")]
    assert len(failing) == 2
    for item in failing:
        lines = item.split("\n\n")[0].splitlines()
        assert len(lines) <= 2, item
        assert all(len(line) <= 400 for line in lines), item
        assert "curl" not in item  # the curl stays in the report
        assert f"({tmp_path / 'report.html'}#failure-" in item
    rule = next(item for item in failing if "rule" in item.split("—")[0])
    assert f"rule `{UNAUTHORIZED.id}` on `getCampaign`" in rule
    assert "answered 401 to GET no" in rule


def test_json_format(make_run, make_record, tmp_path: Path, capsys) -> None:
    before = make_run([make_record("getCampaign", SCHEMA_CHECK, "pass")], spec_digest="c" * 64)
    after = make_run([make_record("getCampaign", SCHEMA_CHECK, "fail", reason="r")])
    assert run_cli(tmp_path, before, after, "--format", "json") == 1
    document = json.loads(capsys.readouterr().out)
    assert document["regressed"] is True
    assert document["spec_digest_changed"] is True
    assert document["new_failures"][0]["name"] == SCHEMA_CHECK
    assert json.loads(format_json(compare_runs(before, before)))["regressed"] is False
    assert format_markdown(compare_runs(before, before)).endswith("**No changes.**")


def test_rules_a_breach_kept_from_running_make_one_line(make_run, make_record) -> None:
    before = make_run(
        [make_record(None, rule, "pass", cases=1) for rule in (PAST_DUE.id, UNAUTHORIZED.id)]
    )
    after = make_run(
        [
            make_record(None, UNAUTHORIZED.id, "fail", reason="answered 200"),
            make_record(
                None,
                PAST_DUE.id,
                "not-run",
                reason="the test stopped",
                stopped_by=StoppedBy("rule", UNAUTHORIZED.id, "getCampaign"),
            ),
        ]
    )
    diff = compare_runs(before, after)
    assert diff.regression_count == 1  # one cause
    text = format_text(diff)
    assert "Regressions (1):" in text
    [line] = [line for line in text.splitlines() if UNAUTHORIZED.id in line]
    assert line.strip().startswith(f"newly fails: rule {UNAUTHORIZED.id}")
    assert f"the test(s) stopped there, before checking 1: rule {PAST_DUE.id}" in text
    assert f"stopped running (not-run): rule {PAST_DUE.id}" not in text


def test_a_5xx_and_everything_it_stopped_are_one_regression(make_run, make_record) -> None:
    """A 500 to createCampaign fails not_a_server_error there, stops a state machine before
    twenty records and breaks a walkthrough's rule: one cause, one line, named first."""
    error = Exchange("POST", f"{BASE}/campaigns", status_code=500, operation_id="createCampaign")
    stopped = StoppedBy("server-error", "500", "createCampaign")
    checks = [f"check_{index}" for index in range(20)]
    before = make_run(
        [make_record("createCampaign", "not_a_server_error", "pass")]
        + [make_record("getCampaign", name, "pass") for name in checks]
        + [make_record(None, PAST_DUE.id, "pass"), make_record(None, UNAUTHORIZED.id, "pass")],
        observed={"createCampaign": Observed((202,))},
    )
    after = make_run(
        [make_record("createCampaign", "not_a_server_error", "fail", exchange=error)]
        + [make_record("getCampaign", n, "error", stopped_by=stopped) for n in checks]
        + [
            make_record(None, PAST_DUE.id, "fail", exchange=error),
            make_record(None, UNAUTHORIZED.id, "fail", reason="answered 200"),
        ],
        observed={"createCampaign": Observed((202, 500))},
    )
    diff = compare_runs(before, after)
    assert diff.regression_count == 2  # the 500, and the unrelated 401 failure
    lines = format_markdown(diff).splitlines()
    assert len(lines) < 12
    first = next(line for line in lines if line.startswith("- "))
    assert first.startswith("- server error: `createCampaign` answered 500 (newly seen); 22")
    assert "and 19 more" in first
