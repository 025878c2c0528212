"""results.json: every section, validity against results.schema.json, loading and its errors."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import jsonschema
import pytest

import spec
from reports.model import Exchange, RunResult, StoppedBy
from reports.results_json import (
    SCHEMA_PATH,
    ResultsFileError,
    load_results,
    render_results_json,
    write_results_json,
)
from tests.reports import suite_names as suite
from tests.reports.suite_names import STATUS_CHECK, UNAUTHORIZED


@pytest.fixture
def document(sample_run: RunResult) -> dict:
    return json.loads(render_results_json(sample_run))


def test_the_schema_is_a_valid_draft_2020_12_schema() -> None:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["properties"]["schema_version"]["enum"] == [2, 3, 4]


def test_the_document_validates_against_the_schema(document: dict) -> None:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(document)
    assert list(document) == [
        "schema_version",
        "run",
        "operations",
        "summary",
        "records",
        "tests",
        "behaviour",
    ]


def test_run_metadata_section(document: dict, sample_run: RunResult) -> None:
    meta = sample_run.metadata
    assert document["schema_version"] == 4
    # Every metadata field under its own name, the unset seed too.
    assert document["run"] == {
        **{f.name: getattr(meta, f.name) for f in dataclasses.fields(meta)},
        "completion": dataclasses.asdict(meta.completion),
    }
    assert document["run"]["seed"] is None
    assert document["run"]["completion"]["completed"] is True


def test_operations_section_lists_the_spec_operations_and_documented_codes(
    document: dict,
) -> None:
    ids = [operation["operationId"] for _, _, operation in spec.operations()]
    assert [op["operation_id"] for op in document["operations"]] == ids
    create = next(op for op in document["operations"] if op["operation_id"] == "createCampaign")
    assert create == {
        "operation_id": "createCampaign",
        "method": "POST",
        "path": "/campaigns",
        "documented_status_codes": ["200", "400", "401", "403", "429", "500"],
        "status_codes_seen": [200, 400, 418],
        "undocumented_properties": [],
    }
    get = next(op for op in document["operations"] if op["operation_id"] == "getCampaign")
    assert get["undocumented_properties"] == ["/alerts/0/note", "/extra"]


def test_records_section_one_per_check_and_rule_with_the_deciding_exchange(
    document: dict, sample_run: RunResult
) -> None:
    records = document["records"]
    assert len(records) == 8
    assert document["summary"]["records"] == sample_run.outcome_counts()
    failure = records[1]
    assert (failure["record_type"], failure["operation_id"], failure["check"]) == (
        "check",
        "createCampaign",
        STATUS_CHECK,
    )
    assert (failure["outcome"], failure["cases"], failure["failures"]) == ("fail", 3, 1)
    assert failure["exchange"]["request"]["body"].startswith('{"name": "It')
    assert failure["exchange"]["response"] == {
        "status_code": 418,
        "headers": {"Content-Type": "text/plain"},
        "body": "I'm a teapot",
    }
    # Redacted before writing: the scheme stays, the token does not.
    assert failure["exchange"]["request"]["headers"]["Authorization"] == "Bearer ***"
    rule = records[6]
    assert (rule["record_type"], rule["operation_id"], rule["check"], rule["kind"]) == (
        "rule",
        None,
        UNAUTHORIZED.id,
        "auth",
    )
    assert rule["documented"] == UNAUTHORIZED.sentence
    assert rule["source"] == UNAUTHORIZED.source
    assert records[3]["reason"] == "read-only mode"


def test_tests_section_counts_every_pytest_outcome(document: dict, sample_run: RunResult) -> None:
    assert document["summary"]["tests"] == sample_run.test_counts()
    error = document["tests"][2]
    assert (error["outcome"], error["phase"]) == ("error", "setup")
    assert error["message"] == "ConnectionError: connection refused"


def test_written_file_loads_back_to_the_same_run(sample_run: RunResult, tmp_path: Path) -> None:
    path = write_results_json(sample_run, tmp_path / "results.json")
    loaded = load_results(path)
    assert loaded.metadata == sample_run.metadata
    assert loaded.operations == sample_run.operations
    assert loaded.observed == sample_run.observed
    assert loaded.tests == sample_run.tests
    assert [r.check for r in loaded.records] == [r.check for r in sample_run.records]
    assert loaded.records[0] == sample_run.records[0]
    assert loaded.records[1].exchange is not None
    assert loaded.records[1].exchange.request_body == sample_run.records[1].exchange.request_body


def test_the_operation_of_an_exchange_and_what_stopped_a_record_load_back(
    make_run, make_record, tmp_path: Path
) -> None:
    exchange = Exchange(
        "GET", "https://t/v3/campaigns/1", status_code=200, operation_id="getCampaign"
    )
    stopped_by = StoppedBy("rule", suite.UNAUTHORIZED.id, "getCampaign")
    run = make_run(
        [
            make_record(None, suite.UNAUTHORIZED.id, "fail", exchange=exchange),
            make_record(None, suite.PAST_DUE.id, "not-run", stopped_by=stopped_by),
        ]
    )
    loaded = load_results(write_results_json(run, tmp_path / "results.json"))
    assert loaded.records == run.records
    assert loaded.records[0].exchange.operation_id == "getCampaign"
    assert loaded.records[1].stopped_by == stopped_by


def test_a_file_written_before_operation_and_stopped_by_were_recorded_still_reads(
    document: dict, tmp_path: Path
) -> None:
    for record in document["records"]:
        del record["stopped_by"]
        if record["exchange"] is not None:
            del record["exchange"]["operation_id"]
    path = tmp_path / "results.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    loaded = load_results(path)
    assert all(r.stopped_by is None for r in loaded.records)
    assert all(r.exchange.operation_id is None for r in loaded.records if r.exchange)


def test_members_added_later_within_version_2_are_ignored(document: dict, tmp_path: Path) -> None:
    document["run"]["ci_job_url"] = "https://ci.example/job/1"
    document["records"][0]["flaky"] = False
    path = tmp_path / "results.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    assert load_results(path).metadata.run_id == document["run"]["run_id"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not json at all", "not JSON"),
        ("[1, 2]", "not a results file"),
        ('{"testsuites": []}', "not a results file"),
        ('{"schema_version": 1}', "schema_version 1 is not supported"),
    ],
)
def test_a_file_that_is_not_a_results_file_gets_a_clear_error(
    tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "other.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ResultsFileError, match=message) as raised:
        load_results(path)
    assert str(path) in str(raised.value)
    assert "\n" not in str(raised.value)


def test_an_invalid_member_is_named_by_its_location(document: dict, tmp_path: Path) -> None:
    document["records"][3]["outcome"] = "maybe"
    path = tmp_path / "results.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(ResultsFileError, match="at /records/3/outcome: 'maybe'"):
        load_results(path)
