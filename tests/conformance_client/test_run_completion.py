"""Whether a run completed, and if not why and how far (conformance/run_report.py's
`RunCollector.completion`, written to results.json as `run.completion`)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from conformance.run_report import RunCollector
from reports.model import TestOutcome


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
