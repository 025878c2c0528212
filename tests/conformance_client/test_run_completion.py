"""Whether a run completed, and if not why and how far (conformance/run/run_report.py's
`RunCollector.completion`, written to results.json as `run.completion`)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from conformance.run.run_report import RunCollector
from conformance.targets.preflight import EXIT_TARGET_UNUSABLE
from reports.model import TestOutcome
from reports.results_json import load_results
from tests.conformance_client.loopback_servers import closed_port
from tests.harness import run_suite


def session(collected: int = 3, exitstatus: int = 0, shouldfail=False, shouldstop=False):
    """What `completion` reads of a pytest session at its finish."""
    return SimpleNamespace(
        testscollected=collected,
        exitstatus=exitstatus,
        shouldfail=shouldfail,
        shouldstop=shouldstop,
    )


def collector(finished: int) -> RunCollector:
    run = RunCollector(config=None)  # type: ignore[arg-type]
    run.finished = {f"conformance/test_x.py::test_{index}" for index in range(finished)}
    return run


def test_a_run_through_every_collected_test_completed() -> None:
    completion = collector(3).completion(session(), None)
    assert (completion.completed, completion.tests_run, completion.headline()) == (True, 3, "")


@pytest.mark.parametrize(
    ("finished", "state", "stopped", "said"),
    [
        (1, {"exitstatus": 6}, "target-stopped-answering", "conformance: gone"),
        (2, {"shouldfail": "stopping after 1 failures"}, "maxfail", "stopping after 1 failures"),
        (1, {"exitstatus": pytest.ExitCode.INTERRUPTED}, "interrupted", "interrupted (Ctrl-C)"),
        (0, {"exitstatus": pytest.ExitCode.INTERNAL_ERROR}, "internal-error", "internal error"),
    ],
)
def test_a_run_cut_short_says_why_and_how_far(finished, state, stopped, said) -> None:
    outage = "conformance: gone" if stopped == "target-stopped-answering" else None
    completion = collector(finished).completion(session(**state), outage)
    assert not completion.completed
    assert (completion.stopped, completion.tests_run, completion.tests_collected) == (
        stopped,
        finished,
        3,
    )
    assert said in completion.detail
    assert completion.headline().startswith(f"INCOMPLETE RUN ({stopped}, {finished} of 3 tests")


def test_a_test_that_could_not_be_collected_leaves_the_run_incomplete() -> None:
    run = collector(3)
    run.tests.append(TestOutcome("conformance/test_broken.py", "error", "collect", "SyntaxError"))
    completion = run.completion(session(exitstatus=pytest.ExitCode.INTERRUPTED), None)
    assert (completion.completed, completion.stopped) == (False, "collection-error")


def test_a_target_the_preflight_refused_leaves_a_run_folder_saying_so(tmp_path) -> None:
    """Nothing ran, and the run folder says why: a diff or a profile of it refuses it."""
    target = f"--target=http://127.0.0.1:{closed_port()}"
    # Forked from a warm Python (the same run; `--assert=plain`, as the imports it shares were
    # not rewritten).
    run = run_suite(
        "conformance",
        *("-q", "-p", "no:cacheprovider", "--assert=plain", target),
        report_dir=tmp_path / "reports",
        env={"SAIL_CLIENT_ID": "someone", "SAIL_CLIENT_SECRET": "s3cret"},
        timeout=120,
        warm=True,
    )
    assert run.process.returncode == EXIT_TARGET_UNUSABLE, run.output
    results = run.results
    completion = load_results(results).metadata.completion
    assert (completion.completed, completion.stopped, completion.tests_run) == (
        False,
        "preflight",
        0,
    )
    assert "connection refused" in completion.detail
    assert "s3cret" not in results.read_text(encoding="utf-8")
