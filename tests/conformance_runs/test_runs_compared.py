"""Runs compared with `reports diff`, on real runs against the emulator: two seeded clean runs
report no change, and a diff against a broken server names the broken rule by its id."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from conformance.rules import RULES
from reports.__main__ import main as reports_main
from reports.diff import compare_runs
from reports.diff_text import format_markdown
from reports.results_json import load_results
from tests.harness import CLIENT_CREDENTIALS, WHOLE_SUITE, SuiteRun, run_suite, served

SEED = "20261129"
# Schemathesis on a few operations and the collection checks: enough generated input for a
# change of seed to show, small enough to run twice. (The stateful links are left out: whether
# a step meets a campaign still PENDING depends on timing, not on the seed.)
SEEDED_SUBSET = (
    "honours_the_spec and (createCampaign or getActiveCampaigns or patchCampaignTemplate)"
    " or collections"
)


def test_two_seeded_clean_runs_report_no_change(tmp_path, capsys):
    # Side by side: both runs meet the same machine load, so a busy CI machine does not show
    # up as one run's operations being slower than the other's.
    with ThreadPoolExecutor(max_workers=2) as pool:
        runs = list(
            pool.map(
                lambda name: run_suite(
                    *WHOLE_SUITE, "--seed", SEED, "-k", SEEDED_SUBSET, report_dir=tmp_path / name
                ),
                ("before", "after"),
            )
        )
    for run in runs:
        assert run.process.returncode == 0, run.output[-3000:]
    before, after = (str(run.folder / "results.json") for run in runs)
    # What is compared is what the runs found; their speed on a busy CI machine is not (the
    # slowdown regression has its own tests in tests/reports/test_run_diff.py).
    assert reports_main(["diff", before, after, "--slowdown-factor", "20"]) == 0
    out, err = capsys.readouterr()
    assert out.strip().endswith("No changes."), out
    assert err == ""


def test_a_diff_against_a_broken_server_names_the_broken_rule(tmp_path: Path, capsys):
    broken_launcher = str(Path(__file__).with_name("deadline_ignoring_emulator.py"))

    def run_against(name: str, program: list[str]) -> SuiteRun:
        with served("--transition-delay", "0.05", program=program) as base_url:
            return run_suite(
                *WHOLE_SUITE,
                *("--target", base_url, "--rate-limit", "off", "--profile", "ci"),
                *("--seed", SEED, "-k", "lifecycle_walkthrough"),
                report_dir=tmp_path / name,
                env=CLIENT_CREDENTIALS,
            )

    with ThreadPoolExecutor(max_workers=2) as pool:  # side by side, each with its server
        runs = list(
            pool.map(run_against, ("clean", "broken"), (["-m", "emulator"], [broken_launcher]))
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
