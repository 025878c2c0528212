"""report.html, read back with the standard library's html.parser like a browser would."""

from __future__ import annotations

import json
import shlex
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser

import pytest

import spec
from conformance.judging.openapi_checks import CHECKS
from reports.html_report import render_html
from reports.model import RunResult
from tests.reports import suite_names as suite

SPEC_OPERATION_IDS = [operation["operationId"] for _, _, operation in spec.operations()]
VOID_ELEMENTS = {"meta", "br", "wbr", "link", "img", "hr", "input"}


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    children: list[Node | str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text for c in self.children)

    def find_all(self, tag: str, **attrs: str) -> list[Node]:
        found = []
        for child in self.children:
            if isinstance(child, Node):
                if child.tag == tag and all(
                    value in child.attrs.get(name.rstrip("_"), "").split()
                    or child.attrs.get(name.rstrip("_")) == value
                    for name, value in attrs.items()
                ):
                    found.append(child)
                found += child.find_all(tag, **attrs)
        return found

    def find(self, tag: str, **attrs: str) -> Node:
        found = self.find_all(tag, **attrs)
        assert found, f"no <{tag} {attrs}>"
        return found[0]


class TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in VOID_ELEMENTS:
            self.stack.append(node)

    def handle_endtag(self, tag):
        assert self.stack[-1].tag == tag, f"</{tag}> closes <{self.stack[-1].tag}>"
        self.stack.pop()

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def parse(document: str) -> Node:
    builder = TreeBuilder()
    builder.feed(document)
    builder.close()
    assert builder.stack == [builder.root], "unclosed elements"
    return builder.root


@pytest.fixture
def page(sample_run: RunResult) -> Node:
    return parse(render_html(sample_run))


def matrix_rows(page: Node) -> dict[str, list[Node]]:
    table = page.find("section", id="matrix").find("table")
    return {
        row.attrs["data-operation"]: row.find_all("td", class_="cell")
        for row in table.find_all("tr")
        if "data-operation" in row.attrs
    }


def test_self_contained_no_script_no_network(sample_run: RunResult) -> None:
    document = render_html(sample_run)
    tree = parse(document)
    assert not tree.find_all("script")
    assert not tree.find_all("link")
    assert not tree.find_all("img")
    assert "src=" not in document
    assert len(tree.find_all("style")) == 1


def test_run_metadata_section(page: Node, sample_run: RunResult) -> None:
    meta = dict(
        zip(
            [dt.text for dt in page.find("section", id="run").find_all("dt")],
            [dd.text for dd in page.find("section", id="run").find_all("dd")],
            strict=True,
        )
    )
    assert meta["Run id"] == sample_run.metadata.run_id
    assert meta["Target"] == "tenant: https://acme.api.identitynow.com"
    assert meta["Spec digest (sha256)"] == "a" * 64
    assert meta["Requests"] == "321"
    assert meta["Strict"] == "yes"
    assert meta["hypothesis version"] == "6.170.15"
    assert meta["Seed"] == "random"


def test_header_counts_are_pytests_and_the_records_are_counted_apart(page: Node) -> None:
    header = page.find("header").text
    assert "pytest counted: 1 passed, 1 failed, 1 errors, 1 skipped, 1 xfailed" in header
    assert "(5 operation × check, 3 documented rules)" in header
    assert "3 pass, 2 fail, 1 skip, 1 not-run, 1 error" in header


def test_matrix_has_a_row_for_each_of_the_22_operations(page: Node) -> None:
    rows = matrix_rows(page)
    assert list(rows) == SPEC_OPERATION_IDS
    assert len(rows) == 22
    header = [th.text for th in page.find("section", id="matrix").find_all("th", class_="check")]
    # One column per check function; the suite's own are starred.
    assert header == [suite.SCHEMA_CHECK, suite.STATUS_CHECK, f"{suite.ERROR_SHAPE_CHECK} *"]
    # An operation nothing ran for still has its row, every cell without a record.
    cells = rows["deleteCampaignTemplate"]
    assert [cell.attrs["title"] for cell in cells] == ["no record: 0 case(s)"] * 3


def test_matrix_cells_read_without_colour(page: Node) -> None:
    create = matrix_rows(page)["createCampaign"]
    assert [cell.text for cell in create] == ["✓", "✗", "·"]
    assert [cell.attrs["title"] for cell in create] == [
        "pass: 12 case(s)",
        "fail: 3 case(s)",
        "no record: 0 case(s)",
    ]
    assert "outcome-fail" in create[1].attrs["class"]
    assert create[1].find("a").attrs["href"] == "#failure-1"
    assert matrix_rows(page)["getActiveCampaigns"][0].attrs["title"].startswith("skip")
    assert matrix_rows(page)["getCampaign"][2].attrs["title"].startswith("not run")


def test_rule_table_has_the_sentence_outcome_and_times_exercised(page: Node) -> None:
    section = page.find("section", id="rules")
    rows = {
        row.attrs["data-rule"]: row for row in section.find_all("tr") if "data-rule" in row.attrs
    }
    assert list(rows) == [suite.PAST_DUE.id, suite.UNAUTHORIZED.id, suite.RETRY_AFTER.id]
    past_due = rows[suite.PAST_DUE.id].find_all("td")
    assert suite.PAST_DUE.sentence in past_due[0].text
    assert suite.PAST_DUE.source in past_due[0].text
    assert past_due[1].attrs["title"] == "pass"
    assert past_due[2].text == "5"
    failing = rows[suite.UNAUTHORIZED.id].find_all("td")
    assert failing[1].find("a").attrs["href"] == "#failure-2"
    assert failing[2].text == "22"
    assert rows[suite.RETRY_AFTER.id].find_all("td")[1].attrs["title"] == "error"


def test_status_code_coverage_table(page: Node) -> None:
    rows = {
        row.attrs["data-operation"]: row
        for row in page.find("section", id="coverage").find_all("tr")
        if "data-operation" in row.attrs
    }
    assert list(rows) == SPEC_OPERATION_IDS
    create = rows["createCampaign"]
    seen = [span.text for span in create.find("td", class_="documented").find_all("span")]
    assert seen == ["200 ✓", "400 ✓", "401", "403", "429", "500"]
    assert create.find("td", class_="ratio").text == "2 of 6"
    undocumented = create.find("td", class_="undocumented").find("span", class_="undocumented")
    assert undocumented.text == "⚠ 418"
    assert rows["completeCampaign"].find("td", class_="ratio").text == "0 of 7"
    assert rows["getCampaignTemplates"].find("td", class_="ratio").text == "0 of 6"
    assert not rows["getCampaign"].find_all("span", class_="undocumented")


def test_undocumented_properties_section(page: Node) -> None:
    section = page.find("section", id="undocumented")
    row = section.find("tr", **{"data-operation": "getCampaign"})
    assert [code.text for code in row.find_all("code")] == ["/alerts/0/note", "/extra"]


def test_every_failure_says_what_was_documented_and_what_the_server_did(page: Node) -> None:
    failures = page.find("section", id="failures").find_all("section", class_="failure")
    assert [f.attrs["id"] for f in failures] == ["failure-1", "failure-2", "failure-3"]
    first = failures[0]
    assert first.find("h3").text == f"createCampaign · {suite.STATUS_CHECK} (fail)"
    assert CHECKS[suite.STATUS_CHECK].sentence in first.find("dd").text
    assert "answered 418" in first.text
    assert "418" in first.find("strong").text
    assert "I'm a teapot" in first.find("details").text
    assert "HTTP 418" in first.find("details").text
    rule = failures[1]
    assert rule.find("h3").text == f"rule {suite.UNAUTHORIZED.id} (fail)"
    assert suite.UNAUTHORIZED.sentence in rule.find("dd").text
    # The exchange shown is the one that decided the failure, not the last one of the test.
    assert "/v3/campaigns/2c9180835d2e5168015d32f890ca1581" in rule.find("pre", class_="curl").text
    assert "No request decided this outcome" in failures[2].text


def test_every_test_pytest_did_not_pass_is_listed_with_its_reason(page: Node) -> None:
    rows = page.find("section", id="tests").find("tbody").find_all("tr")
    listed = [(row.find("code").text, row.find_all("td")[0].text) for row in rows]
    assert listed == [
        (suite.UNAUTHORIZED_TEST, "failed"),
        ("conformance/test_auth_and_errors.py::test_429_carries_retry_after", "error in setup"),
        ("conformance/test_x.py::test_read_only", "skipped in setup"),
        ("conformance/test_x.py::test_known_gap", "xfailed"),
    ]
    assert "read-only mode" in rows[2].text


def test_the_curl_command_reproduces_the_request(page: Node, sample_run: RunResult) -> None:
    curls = page.find("section", id="failures").find_all("pre", class_="curl")
    assert len(curls) == 2
    command = curls[0].text
    assert "opaque-token-value" not in command
    words = shlex.split(command.replace("\\\n", " "))
    assert words[:4] == ["curl", "-sS", "-i", "-X"]
    assert words[4:6] == ["POST", "https://acme.api.identitynow.com/v3/campaigns"]
    assert "Authorization: Bearer $SAIL_TOKEN" in words
    assert "Content-Type: application/json" in words
    assert not any(word.startswith("Content-Length") for word in words)
    body = words[words.index("--data-raw") + 1]
    exchange = sample_run.records[1].exchange
    assert exchange is not None
    assert body == exchange.request_body
    assert json.loads(body)["name"] == 'It\'s "quoted" & <odd>'


def test_text_from_the_server_is_escaped(sample_run: RunResult) -> None:
    hostile = "<script>alert(1)</script>"
    sample_run.records[1] = replace(sample_run.records[1], reason=hostile)
    tree = parse(render_html(sample_run))
    assert not tree.find_all("script")
    assert hostile in tree.find("section", id="failures").text


def test_a_run_where_nothing_ran_still_lists_every_operation(make_run) -> None:
    tree = parse(render_html(make_run([])))
    assert list(matrix_rows(tree)) == SPEC_OPERATION_IDS
    assert "No check or rule failed." in tree.find("header").text
    assert "None." in tree.find("section", id="failures").text
    assert not tree.find_all("section", id="skipped")
