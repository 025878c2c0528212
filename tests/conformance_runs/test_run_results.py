"""What a run's results.json holds, proved on real runs against the emulator: a record per
operation x check for the schemathesis checks, one per documented rule with its sentence, no
record that passes without having judged anything (on the session's guest run of the whole
suite, conftest.py); two seeded clean runs that do not differ; and a diff that names a broken
rule by its id."""

from __future__ import annotations

import subprocess
import sys
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from conformance_process import REPO

import spec
from conformance.rules import RULE_IDS, RULES
from emulator.process import READY
from reports.__main__ import main as reports_main
from reports.diff import compare_runs
from reports.diff_text import format_markdown
from reports.results_json import load_results
from tests.conformance_runs.suite_run import run_suite
from tests.conformance_runs.tenant_runs import GUEST_RUN, GuestRun

CLIENT = {"SAIL_CLIENT_ID": "conformance", "SAIL_CLIENT_SECRET": "conformance-secret"}
SEED = "20261129"
# Schemathesis on a few operations and the collection checks: enough generated input for a
# change of seed to show, small enough to run twice. (The stateful links are left out: whether
# a step meets a campaign still PENDING depends on timing, not on the seed.)
SEEDED_SUBSET = (
    "honours_the_spec and (createCampaign or getActiveCampaigns or patchCampaignTemplate)"
    " or collections"
)


@GUEST_RUN
def test_the_full_run_passes_and_its_files_count_what_pytest_counts(guest_run: GuestRun):
    run = guest_run.suite
    assert run.process.returncode == 0, run.output[-3000:]
    result = load_results(run.folder / "results.json")
    assert result.test_counts() == run.pytest_counts()
    assert result.metadata.seed == guest_run.seed


@GUEST_RUN
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
    }


@GUEST_RUN
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


@GUEST_RUN
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


def test_two_seeded_clean_runs_report_no_change(tmp_path, capsys):
    runs = [
        run_suite(tmp_path / name, "--seed", SEED, "-k", SEEDED_SUBSET)
        for name in ("before", "after")
    ]
    for run in runs:
        assert run.process.returncode == 0, run.output[-3000:]
    before, after = (str(run.folder / "results.json") for run in runs)
    assert reports_main(["diff", before, after]) == 0
    out, err = capsys.readouterr()
    assert out.strip().endswith("No changes."), out
    assert err == ""


@contextmanager
def served(program: list[str]) -> Iterator[str]:
    """An emulator started with `program` (a script or `-m emulator`), its base URL."""
    process = subprocess.Popen(
        [sys.executable, *program, "--port", "0", "--transition-delay", "0.05"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        cwd=REPO,
    )
    try:
        first = process.stdout.readline()
        assert first.startswith(READY), first
        yield first.removeprefix(READY).strip()
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_a_diff_against_a_broken_server_names_the_broken_rule(tmp_path: Path, capsys):
    broken_launcher = str(Path(__file__).with_name("deadline_ignoring_emulator.py"))
    runs = []
    for name, program in [("clean", ["-m", "emulator"]), ("broken", [broken_launcher])]:
        with served(program) as base_url:
            runs.append(
                run_suite(
                    tmp_path / name,
                    "--target",
                    base_url,
                    "--rate-limit",
                    "off",
                    "--profile",
                    "ci",
                    "--seed",
                    SEED,
                    "-k",
                    "lifecycle_walkthrough",
                    env=CLIENT,
                )
            )
    clean, broken = (load_results(run.folder / "results.json") for run in runs)
    diff = compare_runs(clean, broken)
    assert [(c.record_type, c.name, c.operation) for c in diff.new_failures] == [
        ("rule", "activate-future-deadline", "startCampaign")
    ]
    [change] = diff.new_failures
    assert change.documented == RULES["activate-future-deadline"].sentence
    assert change.did.startswith("answered 202 to POST")
    markdown = format_markdown(diff)
    assert "newly fails: rule `activate-future-deadline` on `startCampaign`" in markdown
    before, after = (str(run.folder / "results.json") for run in runs)
    assert reports_main(["diff", before, after, "--format", "markdown"]) == 1
    assert "activate-future-deadline" in capsys.readouterr().out
