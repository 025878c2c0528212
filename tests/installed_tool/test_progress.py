"""Progress with an end: tests done of the total, requests of those planned, failures so far
and the time left, on a terminal every 15 s and in a CI log at each tenth or minute."""

from __future__ import annotations

import re

import pytest

from conformance.plugins.progress import _ProgressLines


class _Config:
    def __init__(self) -> None:
        self.stash: dict = {}


def progress(in_a_log: bool, total: int = 100, planned: int | None = 400) -> _ProgressLines:
    lines = _ProgressLines(_Config())  # type: ignore[arg-type]
    lines.total, lines.planned, lines.in_a_log = total, planned, in_a_log
    return lines


def test_the_line_says_how_far_of_how_much_and_when_it_ends():
    lines = progress(in_a_log=True)
    lines.done, lines.started = 25, 1000.0
    said = lines.line(requests=200, failed=2, now=1060.0)
    # Half the requests in 60 s (ahead of a quarter of the tests): 60 s left.
    assert re.fullmatch(
        r"conformance: 25/100 tests, 200 of ~400 requests, 2 failed so far, "
        r"about 1 min 0 s left \(ends ~\d\d:\d\d:\d\d\)",
        said,
    ), said
    without_plan = progress(in_a_log=True, planned=None)
    without_plan.done, without_plan.started = 10, 0.0
    assert "10/100 tests, 7 requests, 0 failed so far, about 1 min 30 s left" in (
        without_plan.line(requests=7, failed=0, now=10.0)
    )


@pytest.mark.parametrize(
    ("in_a_log", "shown_at"),
    [
        # in a log: at each tenth of the tests, or each minute, once the run is 15 s long
        (True, [30, 40, 50, 60, 70, 80, 90, 100]),
        # on a terminal: every 15 s
        (False, [30, 60, 90]),
    ],
)
def test_a_log_gets_a_line_per_tenth_and_a_terminal_one_per_15_s(in_a_log, shown_at):
    """100 tests over 50 s, one every half second."""
    lines = progress(in_a_log)
    lines.started = lines.last = 0.0
    shown = []
    for done in range(1, 101):
        lines.done = done
        if lines.due(now=done / 2):
            shown.append(done)
    assert shown == shown_at
