"""junit.xml: parses, one testsuite, one testcase per pytest outcome, pytest's counts."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import replace

from reports.html_report import render_html
from reports.junit_xml import render_junit_xml
from reports.model import Completion, RunResult
from tests.reports.suite_names import RETRY_AFTER, UNAUTHORIZED


def parse(result: RunResult) -> ET.Element:
    return ET.fromstring(render_junit_xml(result))


def test_one_testsuite_whose_counts_are_pytests(sample_run: RunResult) -> None:
    root = parse(sample_run)
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    assert len(suites) == 1
    suite = suites[0]
    counts = sample_run.test_counts()
    for element in (root, suite):
        assert element.get("tests") == "5"
        assert element.get("failures") == str(counts["failed"]) == "1"
        assert element.get("errors") == str(counts["error"]) == "1"
        # pytest's own --junitxml writes an xfail as a skip.
        assert element.get("skipped") == str(counts["skipped"] + counts["xfailed"]) == "2"
    assert suite.get("time") == "12.500"
    assert len(suite.findall("testcase")) == 5
    assert len(suite.findall("testcase/failure")) == 1
    assert len(suite.findall("testcase/error")) == 1
    assert len(suite.findall("testcase/skipped")) == 2


def test_testcases_are_named_as_pytest_names_them(sample_run: RunResult) -> None:
    cases = parse(sample_run).findall("testsuite/testcase")
    names = [(case.get("classname"), case.get("name")) for case in cases]
    assert names[1] == (
        "conformance.test_auth_and_errors",
        "test_401_without_a_token[getCampaign]",
    )
    assert names[2] == (
        "conformance.test_auth_and_errors",
        "test_429_carries_retry_after (setup)",
    )
    assert cases[1].get("time") == "0.012"


def test_a_failure_names_the_rule_the_document_sentence_and_a_curl(sample_run: RunResult) -> None:
    failure = parse(sample_run).find("testsuite/testcase/failure")
    assert failure is not None
    assert failure.get("type") == f"rule:{UNAUTHORIZED.id}"
    assert failure.get("message") == 'answered the body {"message": "no"}'
    assert f"rule {UNAUTHORIZED.id} (fail)" in failure.text
    assert f"The document says: {UNAUTHORIZED.sentence}" in failure.text
    assert "Response: 401" in failure.text
    reproduce = failure.text.split("Reproduce:\n", 1)[1]
    assert reproduce.startswith("curl ")
    assert "/v3/campaigns/2c9180835d2e5168015d32f890ca1581" in reproduce


def test_an_error_says_why_the_test_stopped(sample_run: RunResult) -> None:
    error = parse(sample_run).find("testsuite/testcase/error")
    assert error is not None
    assert error.get("type") == f"rule:{RETRY_AFTER.id}"
    assert "ConnectionError: connection refused" in error.text


def test_skips_and_xfails_carry_their_reason(sample_run: RunResult) -> None:
    skipped = parse(sample_run).findall("testsuite/testcase/skipped")
    assert [s.get("message") for s in skipped] == ["read-only mode", "xfail: gap"]


def test_run_metadata_as_properties_and_a_timestamp_without_offset(sample_run: RunResult) -> None:
    suite = parse(sample_run).find("testsuite")
    assert suite is not None
    properties = {p.get("name"): p.get("value") for p in suite.findall("properties/property")}
    assert properties["run_id"] == sample_run.metadata.run_id
    assert properties["strict"] == "true"
    assert properties["version:hypothesis"] == "6.170.15"
    # 13:00 at +01:00 is 12:00 UTC; the Ant JUnit schema allows no offset.
    assert suite.get("timestamp") == "2025-01-01T12:00:00"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", suite.get("timestamp", ""))


def test_characters_xml_cannot_carry_do_not_break_the_file(sample_run: RunResult) -> None:
    failing = sample_run.records[6]
    assert failing.exchange is not None
    binary = replace(failing.exchange, response_body="bad\x00byte\x1b[0m")
    sample_run.records[6] = replace(failing, reason="NUL \x00 here", exchange=binary)
    failure = parse(sample_run).find("testsuite/testcase/failure")
    assert failure is not None
    assert "bad\ufffdbyte" in failure.text


def test_an_empty_run_is_still_a_valid_report(make_run) -> None:
    root = parse(make_run([], started_at="not a date"))
    suite = root.find("testsuite")
    assert suite is not None
    assert suite.get("tests") == "0"
    assert suite.get("timestamp") is None


def test_an_incomplete_run_says_so_in_the_headline(sample_run: RunResult) -> None:
    completion = Completion(False, "target-stopped-answering", "conformance: gone", 180, 93)
    cut = replace(sample_run, metadata=replace(sample_run.metadata, completion=completion))
    root = ET.fromstring(render_junit_xml(cut))
    complete = ET.fromstring(render_junit_xml(sample_run))
    assert int(root.get("errors")) == int(complete.get("errors")) + 1
    [case] = [c for c in root.iter("testcase") if c.get("name") == "run"]
    assert "INCOMPLETE RUN (target-stopped-answering, 93 of 180 tests run)" in case.find(
        "error"
    ).get("message")
    html = render_html(cut)
    assert '<p class="incomplete"><strong>INCOMPLETE RUN' in html
    assert "INCOMPLETE" not in render_html(sample_run)
