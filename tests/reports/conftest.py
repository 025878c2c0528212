"""Synthetic runs for the report tests: a small run touching every section of every report."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest

from reports.model import CheckRecord, Exchange, RunMetadata, RunResult

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
    )


def sample_records() -> list[CheckRecord]:
    """Every outcome, an operation-scoped and a run-wide failure, a folded cell, undocumented
    members and a status code the spec does not document for its operation."""
    return [
        CheckRecord(
            "createCampaign",
            "response_schema_conformance",
            "schema",
            "pass",
            documented="#/paths/~1campaigns/post/responses/200",
            status_codes_seen=[200, 400],
            duration_ms=100.0,
        ),
        CheckRecord(
            "createCampaign",
            "status_code_conformance",
            "schema",
            "fail",
            reason="answered 418, which the spec does not document",
            documented="#/paths/~1campaigns/post/responses",
            exchange=create_campaign_exchange(),
            status_codes_seen=[418],
            duration_ms=80.0,
        ),
        CheckRecord(
            "getCampaign",
            "response_schema_conformance",
            "schema",
            "pass",
            status_codes_seen=[200],
            undocumented_properties=["/extra", "/alerts/0/note"],
            duration_ms=30.0,
        ),
        CheckRecord("getCampaign", "response_schema_conformance", "schema", "pass"),
        CheckRecord(
            "getActiveCampaigns",
            "response_schema_conformance",
            "schema",
            "skip",
            reason="read-only mode",
        ),
        CheckRecord(
            "completeCampaign",
            "lifecycle:complete-only-past-due",
            "lifecycle",
            "pass",
            documented="This endpoint will run successfully for any campaigns that are past due.",
            status_codes_seen=[202, 400],
            duration_ms=900.0,
        ),
        CheckRecord(
            None,
            "auth:401-shape",
            "auth",
            "fail",
            reason='401 body was {"message": "no"}',
            documented='Unauthorized - Returned if there is no authorization header ({"error"})',
        ),
        CheckRecord(None, "rate-limit:retry-after", "auth", "pass", duration_ms=5.0),
    ]


@pytest.fixture
def sample_run() -> RunResult:
    return RunResult(metadata(), sample_records())


@pytest.fixture
def make_run() -> Callable[..., RunResult]:
    """make_run(records, **metadata overrides) -> RunResult."""

    def build(records: list[CheckRecord], **overrides: Any) -> RunResult:
        return RunResult(metadata(**overrides), list(records))

    return build


@pytest.fixture
def make_record() -> Callable[..., CheckRecord]:
    """make_record(operation_id, check, outcome, **fields) with kind "schema" by default."""

    def build(operation_id: str | None, check: str, outcome: str, **fields: Any) -> CheckRecord:
        record = CheckRecord(operation_id, check, "schema", "pass")
        return replace(record, outcome=outcome, **fields)

    return build
