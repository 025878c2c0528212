"""Runs compared with `reports diff`, on real runs against the emulator: a diff against a broken
server names the broken rule by its id. (Two seeded runs of an unchanged target reporting no
change are the README's upgrade commands, run by tests/readme.)"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from conformance.judging.rules import RULES
from reports.__main__ import main as reports_main
from reports.diff import compare_runs
from reports.diff_text import format_markdown
from reports.results_json import load_results
from tests.harness import CLIENT_CREDENTIALS, WHOLE_SUITE, SuiteRun, run_suite, served_warm

SEED = "20261129"


def test_a_diff_against_a_broken_server_names_the_broken_rule(tmp_path: Path, capsys):
    broken_launcher = str(Path(__file__).with_name("deadline_ignoring_emulator.py"))

    def run_against(name: str, program: list[str]) -> SuiteRun:
        # Servers and suite forked from a warm Python, the suite without assertion rewriting:
        # the diff reads the records, not assertion texts.
        log = tmp_path / f"{name}.log"
        with served_warm("--transition-delay", "0.05", program=program, log=log) as base_url:
            return run_suite(
                *WHOLE_SUITE,
                *("--target", base_url, "--rate-limit", "off", "--profile", "ci"),
                *("--seed", SEED, "-k", "lifecycle_walkthrough", "--assert=plain"),
                report_dir=tmp_path / name,
                env=CLIENT_CREDENTIALS,
                warm=True,
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
