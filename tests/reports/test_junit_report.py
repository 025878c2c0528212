"""junit.xml: parses, one testsuite, one testcase per record, counts CI systems read."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import replace

from reports.junit_xml import render_junit_xml
from reports.model import RunResult


def parse(result: RunResult) -> ET.Element:
    return ET.fromstring(render_junit_xml(result))


def test_one_testsuite_with_the_right_counts(sample_run: RunResult) -> None:
    root = parse(sample_run)
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    assert len(suites) == 1
    suite = suites[0]
    for element in (root, suite):
        assert element.get("tests") == "8"
        assert element.get("failures") == "2"
        assert element.get("skipped") == "1"
        assert element.get("errors") == "0"
    assert suite.get("time") == "12.500"
    assert len(suite.findall("testcase")) == 8
    assert len(suite.findall("testcase/failure")) == 2
    assert len(suite.findall("testcase/skipped")) == 1


def test_testcases_are_named_by_operation_and_check(sample_run: RunResult) -> None:
    cases = parse(sample_run).findall("testsuite/testcase")
    names = [(case.get("classname"), case.get("name")) for case in cases]
    assert names[0] == ("createCampaign", "response_schema_conformance")
    assert names[6] == ("run", "auth:401-shape")
    assert cases[5].get("time") == "0.900"


def test_failures_carry_the_document_sentence_and_a_curl(sample_run: RunResult) -> None:
    failure = parse(sample_run).find("testsuite/testcase[@name='status_code_conformance']/failure")
    assert failure is not None
    assert failure.get("message") == "answered 418, which the spec does not document"
    assert failure.get("type") == "schema"
    assert "The document says: #/paths/~1campaigns/post/responses" in failure.text
    assert "Response: 418" in failure.text
    assert '-H "Authorization: Bearer $SAIL_TOKEN"' in failure.text


def test_skips_carry_their_reason(sample_run: RunResult) -> None:
    skipped = parse(sample_run).find("testsuite/testcase/skipped")
    assert skipped is not None
    assert skipped.get("message") == "read-only mode"


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
    failing = sample_run.records[1]
    assert failing.exchange is not None
    binary = replace(failing.exchange, response_body="bad\x00byte\x1b[0m")
    sample_run.records[1] = replace(failing, reason="NUL \x00 here", exchange=binary)
    failure = parse(sample_run).find("testsuite/testcase/failure")
    assert failure is not None
    assert "bad\ufffdbyte" in failure.text


def test_an_empty_run_is_still_a_valid_report(make_run) -> None:
    root = parse(make_run([], started_at="not a date"))
    suite = root.find("testsuite")
    assert suite is not None
    assert suite.get("tests") == "0"
    assert suite.get("timestamp") is None
