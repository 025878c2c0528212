"""The run model's views: matrix, status-code coverage, undocumented members, failures."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
import requests
from schemathesis.core.transport import Response as SchemathesisResponse

import spec
from reports.model import (
    RUN_WIDE,
    CheckRecord,
    Exchange,
    RunResult,
    fold_outcomes,
    installed_versions,
    is_documented,
    spec_file_digest,
)
from tests.reports import suite_names as suite

SPEC_OPERATION_IDS = [operation["operationId"] for _, _, operation in spec.operations()]


def test_the_spec_has_the_22_documented_operations() -> None:
    assert len(SPEC_OPERATION_IDS) == 22


def test_matrix_has_every_operation_in_spec_order_even_without_records(
    sample_run: RunResult,
) -> None:
    matrix = sample_run.matrix()
    assert list(matrix) == SPEC_OPERATION_IDS
    assert set(matrix["getCampaignTemplates"].values()) == {None}


def test_matrix_columns_are_the_check_names_in_first_seen_order(sample_run: RunResult) -> None:
    assert sample_run.operation_checks() == [
        suite.SCHEMA_CHECK,
        suite.STATUS_CHECK,
        suite.ERROR_SHAPE_CHECK,
    ]
    matrix = sample_run.matrix()
    assert matrix["createCampaign"][suite.STATUS_CHECK] == "fail"
    assert matrix["getCampaign"][suite.SCHEMA_CHECK] == "pass"
    assert matrix["getActiveCampaigns"][suite.SCHEMA_CHECK] == "skip"
    assert matrix["getCampaign"][suite.ERROR_SHAPE_CHECK] == "not-run"
    assert matrix["completeCampaign"][suite.SCHEMA_CHECK] is None


def test_rules_are_not_matrix_rows(sample_run: RunResult) -> None:
    assert [r.check for r in sample_run.rule_records()] == [
        suite.PAST_DUE.id,
        suite.UNAUTHORIZED.id,
        suite.RETRY_AFTER.id,
    ]
    assert all(r.row == RUN_WIDE for r in sample_run.rule_records())
    assert RUN_WIDE not in sample_run.matrix()


def test_an_operation_the_spec_does_not_know_still_gets_a_row(make_run, make_record) -> None:
    run = make_run([make_record("retiredOperation", suite.SCHEMA_CHECK, "fail")])
    assert list(run.matrix())[-1] == "retiredOperation"
    assert len(run.matrix()) == 23


@pytest.mark.parametrize(
    ("outcomes", "folded"),
    [
        (["pass", "fail", "skip"], "fail"),
        (["pass", "error"], "error"),
        (["error", "fail"], "fail"),
        (["skip", "pass"], "pass"),
        (["not-run", "skip"], "skip"),
        (["not-run"], "not-run"),
        ([], None),
    ],
)
def test_several_records_of_a_cell_fold_to_one_outcome(outcomes, folded) -> None:
    assert fold_outcomes(outcomes) == folded


def test_status_coverage_compares_documented_codes_with_codes_seen(
    sample_run: RunResult,
) -> None:
    coverage = {c.operation_id: c for c in sample_run.status_coverage()}
    assert list(coverage) == SPEC_OPERATION_IDS
    create = coverage["createCampaign"]
    assert create.documented == ("200", "400", "401", "403", "429", "500")
    assert create.seen == (200, 400, 418)
    assert create.seen_documented == (200, 400)
    assert create.seen_undocumented == (418,)
    assert create.documented_not_seen == ("401", "403", "429", "500")
    assert coverage["getCampaignTemplates"].seen == ()


def test_status_codes_of_the_deciding_exchange_count_as_seen(make_run, make_record) -> None:
    exchange = Exchange("GET", "https://t/v3/campaigns/1", status_code=503)
    run = make_run([make_record("getCampaign", suite.STATUS_CHECK, "fail", exchange=exchange)])
    assert run.status_codes_seen() == {"getCampaign": {503}}


@pytest.mark.parametrize(
    ("code", "documented", "expected"),
    [
        (200, ["200"], True),
        (404, ["200", "4XX"], True),
        (404, ["200", "4xx"], True),
        (503, ["200", "default"], True),
        (418, ["200", "400"], False),
    ],
)
def test_status_code_ranges_and_default_document_codes(code, documented, expected) -> None:
    assert is_documented(code, documented) is expected


def test_undocumented_properties_failures_and_counts(sample_run: RunResult) -> None:
    assert sample_run.undocumented_properties() == {"getCampaign": ["/alerts/0/note", "/extra"]}
    assert [r.key for r in sample_run.failures()] == [
        ("createCampaign", suite.STATUS_CHECK),
        ("rule", suite.UNAUTHORIZED.id),
        ("rule", suite.RETRY_AFTER.id),
    ]
    assert sample_run.outcome_counts() == {
        "pass": 3,
        "fail": 2,
        "skip": 1,
        "not-run": 1,
        "error": 1,
    }
    assert sample_run.test_counts() == {
        "passed": 1,
        "failed": 1,
        "error": 1,
        "skipped": 1,
        "xfailed": 1,
        "xpassed": 0,
    }


def test_records_refuse_unknown_kinds_outcomes_and_misplaced_operations() -> None:
    with pytest.raises(ValueError, match="kind"):
        CheckRecord("check", "getCampaign", "x", "style", "pass")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="outcome"):
        CheckRecord("check", "getCampaign", "x", "suite", "broken")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="record_type"):
        CheckRecord("test", "getCampaign", "x", "suite", "pass")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="names its operation"):
        CheckRecord("rule", "getCampaign", suite.UNAUTHORIZED.id, "auth", "pass")
    with pytest.raises(ValueError, match="names its operation"):
        CheckRecord("check", None, suite.SCHEMA_CHECK, "schemathesis", "pass")


def test_an_exchange_carries_the_operation_its_request_called() -> None:
    """Identified as it is built (spec.routes), from a requests.Response or schemathesis'."""
    found = []
    for method, path in [
        ("POST", "/v3/campaigns/2c91/activate"),
        ("GET", "/v3/campaigns"),
        ("GET", "/v3/campaigns/2c91"),
        ("POST", "/v3/campaigns/2c91/run-report/CAMPAIGN_STATUS_REPORT"),
        ("POST", "/oauth/token"),
    ]:
        response = requests.Response()
        response.request = requests.Request(method, f"https://t{path}").prepare()
        response.status_code, response._content = 200, b"{}"
        found.append(Exchange.from_response(response).operation_id)
        wrapped = SchemathesisResponse.from_requests(response, verify=True)
        assert Exchange.from_response(wrapped).operation_id == found[-1]
    assert found == [
        "startCampaign",
        "getActiveCampaigns",
        "getCampaign",
        "startCampaignReport",
        None,
    ]


def test_exchange_from_a_requests_response() -> None:
    prepared = requests.Request(
        "POST", "https://t/v3/campaigns", json={"name": "n"}, headers={"X-Trace": "1"}
    ).prepare()
    response = requests.Response()
    response.request = prepared
    response.status_code = 400
    response.headers["Content-Type"] = "application/json"
    response._content = b'{"detailCode": "400.1"}'
    response.encoding = "utf-8"
    response.elapsed = timedelta(milliseconds=12)
    exchange = Exchange.from_response(response)
    assert (exchange.method, exchange.url, exchange.status_code) == (
        "POST",
        "https://t/v3/campaigns",
        400,
    )
    assert exchange.request_body == '{"name": "n"}'
    assert exchange.request_headers["X-Trace"] == "1"
    assert exchange.response_body == '{"detailCode": "400.1"}'
    assert exchange.elapsed_ms == pytest.approx(12.0)


def test_spec_digest_and_installed_versions() -> None:
    assert spec_file_digest() == hashlib.sha256(spec.SPEC_PATH.read_bytes()).hexdigest()
    versions = installed_versions(["pytest", "no-such-distribution-xyz"])
    assert versions["pytest"] == pytest.__version__
    assert versions["no-such-distribution-xyz"] == "not installed"
