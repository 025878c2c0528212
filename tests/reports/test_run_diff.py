"""The before/after diff: each regression kind, the non-regressions, and the output formats."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from reports.__main__ import main
from reports.diff import compare_runs, format_json, format_markdown, format_text
from reports.model import RunResult
from reports.results_json import write_results_json


def run_cli(tmp_path: Path, before: RunResult, after: RunResult, *options: str) -> int:
    before_path = write_results_json(before, tmp_path / "before.json")
    after_path = write_results_json(after, tmp_path / "after.json")
    return main(["diff", str(before_path), str(after_path), *options])


def test_equal_runs_report_nothing_and_exit_0(sample_run: RunResult, tmp_path: Path, capsys):
    assert run_cli(tmp_path, sample_run, sample_run) == 0
    out, err = capsys.readouterr()
    assert out.strip().splitlines()[-1] == "No changes."
    assert "Regressions" not in out
    assert err == ""
    diff = compare_runs(sample_run, sample_run)
    assert not diff.changed
    assert not diff.regressed


def test_a_new_failure_is_a_regression(make_run, make_record, tmp_path: Path, capsys) -> None:
    before = make_run([make_record("getCampaign", "response_schema_conformance", "pass")])
    after = make_run(
        [make_record("getCampaign", "response_schema_conformance", "fail", reason="bad date")]
    )
    diff = compare_runs(before, after)
    assert [(c.operation, c.check, c.before, c.after) for c in diff.new_failures] == [
        ("getCampaign", "response_schema_conformance", "pass", "fail")
    ]
    assert diff.regressed
    assert run_cli(tmp_path, before, after) == 1
    out = capsys.readouterr().out
    assert "new failure: getCampaign · response_schema_conformance: bad date" in out
    assert "Result: 1 regression(s)." in out


def test_a_failing_check_that_did_not_run_before_is_a_new_failure(make_run, make_record) -> None:
    after = make_run([make_record(None, "auth:401-shape", "fail")])
    diff = compare_runs(make_run([]), after)
    assert [(c.operation, c.before) for c in diff.new_failures] == [("run", None)]


def test_fixed_and_not_rerun_failures_are_not_regressions(make_run, make_record) -> None:
    before = make_run(
        [
            make_record("getCampaign", "a", "fail", reason="was broken"),
            make_record("getCampaign", "b", "fail"),
            make_record("getCampaign", "c", "fail"),
        ]
    )
    after = make_run(
        [make_record("getCampaign", "a", "pass"), make_record("getCampaign", "b", "skip")]
    )
    diff = compare_runs(before, after)
    assert [(c.check, c.reason) for c in diff.fixed_failures] == [("a", "was broken")]
    assert [(c.check, c.after) for c in diff.failures_not_rerun] == [("b", "skip"), ("c", None)]
    assert diff.changed
    assert not diff.regressed
    text = format_text(diff)
    assert "fixed: getCampaign · a: was broken" in text
    assert "failed before, not run now: getCampaign · c" in text
    assert text.endswith("Result: no regressions.")


def test_status_codes_newly_seen_and_no_longer_seen(make_run, make_record) -> None:
    before = make_run([make_record("getCampaign", "a", "pass", status_codes_seen=[200, 404])])
    after = make_run([make_record("getCampaign", "a", "pass", status_codes_seen=[200, 500])])
    diff = compare_runs(before, after)
    assert diff.status_codes_appeared == {"getCampaign": [500]}
    assert diff.status_codes_vanished == {"getCampaign": [404]}
    assert not diff.regressed
    assert "status codes of getCampaign: newly seen 500; no longer seen 404" in format_text(diff)


def test_undocumented_properties_appearing_regress_and_vanishing_do_not(
    make_run, make_record
) -> None:
    before = make_run([make_record("getCampaign", "a", "pass", undocumented_properties=["/old"])])
    after = make_run([make_record("getCampaign", "a", "pass", undocumented_properties=["/new"])])
    diff = compare_runs(before, after)
    assert diff.undocumented_appeared == {"getCampaign": ["/new"]}
    assert diff.undocumented_vanished == {"getCampaign": ["/old"]}
    assert diff.regression_count == 1
    text = format_text(diff)
    assert "undocumented property appeared: getCampaign /new" in text
    assert "undocumented property vanished: getCampaign /old" in text


@pytest.mark.parametrize(
    ("before_ms", "after_ms", "factor", "slower"),
    [
        (40.0, 400.0, 2.0, True),  # 10x and 360 ms
        (10.0, 40.0, 2.0, False),  # 4x but only 30 ms: noise
        (1000.0, 1500.0, 2.0, False),  # 500 ms but only 1.5x
        (1000.0, 2500.0, 2.0, True),
        (1000.0, 2500.0, 3.0, False),  # the factor is the caller's
        (0.0, 60.0, 2.0, True),
    ],
)
def test_wide_slowdowns_are_regressions(make_run, make_record, before_ms, after_ms, factor, slower):
    before = make_run([make_record("getCampaign", "a", "pass", duration_ms=before_ms)])
    after = make_run([make_record("getCampaign", "a", "pass", duration_ms=after_ms)])
    diff = compare_runs(before, after, slowdown_factor=factor)
    assert bool(diff.slower) is slower
    assert diff.regressed is slower


def test_slowdowns_compare_medians_of_checks_both_runs_ran(make_run, make_record) -> None:
    common = [make_record("getCampaign", "a", "pass", duration_ms=d) for d in (10, 20, 30)]
    before = make_run([*common, make_record("getCampaign", "b", "skip", duration_ms=0.0)])
    after = make_run(
        [
            *[make_record("getCampaign", "a", "pass", duration_ms=d) for d in (10, 25, 900)],
            make_record("getCampaign", "b", "pass", duration_ms=5000.0),  # skipped before
            make_record("getCampaign", "new-check", "pass", duration_ms=5000.0),
        ]
    )
    assert compare_runs(before, after).slower == []


def test_the_slowdown_line_and_the_cli_factor(make_run, make_record, tmp_path, capsys) -> None:
    before = make_run([make_record("getActiveCampaigns", "a", "pass", duration_ms=40.0)])
    after = make_run([make_record("getActiveCampaigns", "a", "pass", duration_ms=400.0)])
    assert "slower: getActiveCampaigns median 40 ms -> 400 ms (×10.0)" in format_text(
        compare_runs(before, after)
    )
    assert run_cli(tmp_path, before, after, "--slowdown-factor", "20") == 0
    assert run_cli(tmp_path, before, after, "--slowdown-factor", "5") == 1


def test_a_different_spec_digest_warns_but_still_compares(
    sample_run: RunResult, tmp_path: Path, capsys
) -> None:
    after = RunResult(replace(sample_run.metadata, spec_digest="b" * 64), sample_run.records)
    assert run_cli(tmp_path, sample_run, after) == 0
    out, err = capsys.readouterr()
    assert err.count("\n") == 1
    assert err.startswith("python -m reports: warning: the runs used different specs")
    assert "No changes." in out


def test_json_and_markdown_formats(make_run, make_record, tmp_path: Path, capsys) -> None:
    before = make_run([make_record("getCampaign", "a", "pass")], spec_digest="c" * 64)
    after = make_run([make_record("getCampaign", "a", "fail", reason="r")])
    assert run_cli(tmp_path, before, after, "--format", "json") == 1
    document = json.loads(capsys.readouterr().out)
    assert document["regressed"] is True
    assert document["spec_digest_changed"] is True
    assert document["new_failures"][0]["check"] == "a"
    markdown = format_markdown(compare_runs(before, after))
    assert markdown.startswith("## Run `cc-20250101T120000-ab12` compared with run")
    assert "### Regressions (1)" in markdown
    assert "- new failure: `getCampaign` · `a`: r" in markdown
    assert "> **Warning:** the runs used different specs" in markdown
    assert json.loads(format_json(compare_runs(before, before)))["regressed"] is False
