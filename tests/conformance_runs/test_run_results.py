"""What a run's results.json holds, proved on the session's guest run of the whole suite
against a tenant-like emulator (conftest.py): a record per operation x check for the
schemathesis checks, one per documented rule with its sentence, no record that passes without
having judged anything."""

from __future__ import annotations

from collections import defaultdict

import spec
from conformance.judging.rules import RULE_IDS, RULES
from reports.results_json import load_results
from tests.conformance_runs.tenant_runs import GuestRun


def test_the_full_run_passes_and_its_files_count_what_pytest_counts(guest_run: GuestRun):
    run = guest_run.suite
    assert run.process.returncode == 0, run.output[-3000:]
    result = load_results(run.folder / "results.json")
    assert result.test_counts() == run.pytest_counts()
    assert result.metadata.seed == guest_run.seed


def test_at_least_five_schemathesis_checks_on_each_of_the_22_operations(guest_run: GuestRun):
    result = load_results(guest_run.suite.folder / "results.json")
    checks = defaultdict(set)
    for record in result.check_records():
        if record.kind == "schemathesis":
            checks[record.operation_id].add(record.check)
    operations = [operation["operationId"] for _, _, operation in spec.operations()]
    assert len(operations) == 22
    for operation_id in operations:
        assert len(checks[operation_id]) >= 5, (operation_id, checks[operation_id])
    suite_checks = {r.check for r in result.check_records() if r.kind == "suite"}
    assert suite_checks == {
        "valid_data_is_accepted",
        "documented_error_shape",
        "undocumented_properties",
        "allowed_step_is_accepted",
    }


def test_one_record_per_documented_rule_with_its_sentence(guest_run: GuestRun):
    result = load_results(guest_run.suite.folder / "results.json")
    rules = result.rule_records()
    assert [r.check for r in rules] == list(RULE_IDS)
    assert len(RULE_IDS) >= 15
    for record in rules:
        assert record.documented == RULES[record.check].sentence
        assert record.source == RULES[record.check].source
        assert record.operation_id is None
    exercised = {r.check: r.cases for r in rules if r.outcome == "pass"}
    assert len(exercised) >= 15, [(r.check, r.outcome, r.reason) for r in rules]


def test_no_record_passes_without_having_judged_anything(guest_run: GuestRun):
    result = load_results(guest_run.suite.folder / "results.json")
    empty_passes = [r.key for r in result.records if r.outcome == "pass" and r.cases == 0]
    assert empty_passes == []
    for record in result.records:
        if record.outcome != "pass":
            assert record.reason, record.key
    # Coverage is data on the operation, not records that always pass.
    assert "status codes observed" not in {r.check for r in result.records}
    assert all(result.observed[op].status_codes_seen for op in result.observed)
    assert len(result.observed) == 22
