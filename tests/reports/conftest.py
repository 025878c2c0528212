"""Synthetic runs for the report tests: a small run touching every section of every report,
named with the check names and rule ids the suite really emits."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest

from conformance.judging.openapi_checks import CHECKS
from conformance.judging.rules import RULES, Rule
from reports.model import (
    CheckRecord,
    Exchange,
    Observed,
    Outcome,
    RunMetadata,
    RunResult,
    TestOutcome,
)
from tests.reports import suite_names as suite

BASE_URL = "https://acme.api.identitynow.com"
CAMPAIGN_BODY = {"name": 'It\'s "quoted" & <odd>', "description": None, "type": "MANAGER"}


def metadata(**overrides: Any) -> RunMetadata:
    fields: dict[str, Any] = {
        "run_id": "cc-20250101T120000-ab12",
        "target_url": BASE_URL,
        "target_kind": "tenant",
        "spec_digest": "a" * 64,
        "suite_version": "0.1.0",
        "dependency_versions": {"hypothesis": "6.170.15", "schemathesis": "4.32.0"},
        "started_at": "2025-01-01T13:00:00+01:00",
        "duration_s": 12.5,
        "request_count": 321,
        "hypothesis_profile": "tenant",
        "read_only": False,
        "strict": True,
    }
    return RunMetadata(**{**fields, **overrides})


def create_campaign_exchange() -> Exchange:
    return Exchange(
        method="POST",
        url=f"{BASE_URL}/v3/campaigns",
        request_headers={
            "Authorization": "Bearer opaque-token-value",
            "Content-Type": "application/json",
            "Content-Length": "64",
        },
        request_body=json.dumps(CAMPAIGN_BODY),
        status_code=418,
        response_headers={"Content-Type": "text/plain"},
        response_body="I'm a teapot",
        elapsed_ms=42.0,
        operation_id="createCampaign",
    )


def unauthorized_exchange() -> Exchange:
    return Exchange(
        method="GET",
        url=f"{BASE_URL}/v3/campaigns/2c9180835d2e5168015d32f890ca1581",
        status_code=401,
        response_headers={"Content-Type": "application/json"},
        response_body='{"message": "no"}',
        operation_id="getCampaign",
    )


def sample_records() -> list[CheckRecord]:
    """Every outcome; checks and rules; a folded cell; a failing check and a failing rule,
    each with its deciding exchange."""
    return [
        CheckRecord(
            "check",
            "createCampaign",
            suite.SCHEMA_CHECK,
            "schemathesis",
            "pass",
            documented=CHECKS[suite.SCHEMA_CHECK].sentence,
            cases=12,
            tests=["conformance/test_openapi_conformance.py::test_operation_honours_the_spec"],
            duration_ms=100.0,
        ),
        CheckRecord(
            "check",
            "createCampaign",
            suite.STATUS_CHECK,
            "schemathesis",
            "fail",
            reason="answered 418, which the spec does not document",
            documented=CHECKS[suite.STATUS_CHECK].sentence,
            cases=3,
            failures=1,
            exchange=create_campaign_exchange(),
            tests=["conformance/test_openapi_conformance.py::test_operation_honours_the_spec"],
            duration_ms=80.0,
        ),
        CheckRecord("check", "getCampaign", suite.SCHEMA_CHECK, "schemathesis", "pass", cases=4),
        CheckRecord(
            "check",
            "getActiveCampaigns",
            suite.SCHEMA_CHECK,
            "schemathesis",
            "skip",
            reason="read-only mode",
        ),
        CheckRecord(
            "check",
            "getCampaign",
            suite.ERROR_SHAPE_CHECK,
            "suite",
            "not-run",
            reason="no response it applies to (4 declined)",
        ),
        rule_record(suite.PAST_DUE, "pass", cases=5, duration_ms=900.0),
        rule_record(
            suite.UNAUTHORIZED,
            "fail",
            reason='answered the body {"message": "no"}',
            cases=22,
            failures=1,
            exchange=unauthorized_exchange(),
            tests=[suite.UNAUTHORIZED_TEST],
        ),
        rule_record(
            suite.RETRY_AFTER,
            "error",
            reason="the test stopped (ConnectionError: connection refused)",
            tests=["conformance/test_auth_and_errors.py::test_429_carries_retry_after"],
        ),
    ]


def rule_record(rule: Rule, outcome: Outcome, **fields: Any) -> CheckRecord:
    """A record of a catalogue rule, quoting its sentence and source as the suite does."""
    return CheckRecord(
        "rule",
        None,
        rule.id,
        rule.kind,
        outcome,
        documented=rule.sentence,
        source=rule.source,
        **fields,
    )


def sample_tests() -> list[TestOutcome]:
    """One of each outcome pytest counts."""
    return [
        TestOutcome(
            "conformance/test_collections.py::test_paging[getActiveCampaigns]", "passed", "call"
        ),
        TestOutcome(
            suite.UNAUTHORIZED_TEST, "failed", "call", "[401] The document says: ...", 12.0
        ),
        TestOutcome(
            "conformance/test_auth_and_errors.py::test_429_carries_retry_after",
            "error",
            "setup",
            "ConnectionError: connection refused",
        ),
        TestOutcome("conformance/test_x.py::test_read_only", "skipped", "setup", "read-only mode"),
        TestOutcome("conformance/test_x.py::test_known_gap", "xfailed", "call", "xfail: gap"),
    ]


def sample_observed() -> dict[str, Observed]:
    return {
        "createCampaign": Observed((200, 400, 418)),
        "getCampaign": Observed((200,), ("/alerts/0/note", "/extra")),
    }


@pytest.fixture
def sample_run() -> RunResult:
    return RunResult(metadata(), sample_records(), observed=sample_observed(), tests=sample_tests())


@pytest.fixture
def make_run() -> Callable[..., RunResult]:
    """make_run(records, observed=None, tests=None, **metadata overrides) -> RunResult."""

    def build(
        records: list[CheckRecord],
        observed: dict[str, Observed] | None = None,
        tests: list[TestOutcome] | None = None,
        **overrides: Any,
    ) -> RunResult:
        return RunResult(
            metadata(**overrides), list(records), observed=observed or {}, tests=tests or []
        )

    return build


@pytest.fixture
def make_record() -> Callable[..., CheckRecord]:
    """make_record(operation_id, check, outcome, **fields): a check record for an operation,
    a rule record (the check is a rule id of the catalogue) for operation None."""

    def build(operation_id: str | None, check: str, outcome: str, **fields: Any) -> CheckRecord:
        if operation_id is None:
            rule = RULES[check]
            record = CheckRecord("rule", None, check, rule.kind, "pass", documented=rule.sentence)
        else:
            kind = CHECKS[check].kind if check in CHECKS else "schemathesis"
            record = CheckRecord("check", operation_id, check, kind, "pass", cases=1)
        return replace(record, outcome=outcome, **fields)

    return build
