"""Whether an operation got slower between two runs, judged on the server's time per request.

Each run records, per operation, the time from sending each request to the arrival of its
answer (results.json `behaviour.server_ms`): no throttle wait, retry or token fetch is in it,
so a tenant's rate limit or a busy machine running the suite does not read as a slower
server. An operation is called slower only when the samples say so, all of:
- at least `MIN_SAMPLES` requests on each side;
- the median and the 90th percentile both grew by more than `factor`;
- the median grew by at least `MIN_SLOWDOWN_MS` (a 2 ms answer taking 5 ms is no finding);
- a one-sided Mann-Whitney rank test gives p < `ALPHA`: the after samples rank above the
  before ones more often than chance would make them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import median

DEFAULT_SLOWDOWN_FACTOR = 2.0
MIN_SLOWDOWN_MS = 50.0
MIN_SAMPLES = 20
ALPHA = 0.001


@dataclass(frozen=True)
class Slowdown:
    operation: str
    before_ms: float  # medians
    after_ms: float
    before_p90_ms: float
    after_p90_ms: float
    samples: tuple[int, int]  # requests before, after
    p_value: float

    @property
    def ratio(self) -> float:
        return self.after_ms / self.before_ms if self.before_ms > 0 else math.inf


def slowdowns(
    before: dict[str, Sequence[float]],
    after: dict[str, Sequence[float]],
    factor: float = DEFAULT_SLOWDOWN_FACTOR,
    min_ms: float = MIN_SLOWDOWN_MS,
) -> list[Slowdown]:
    """The operations whose server time grew, by the rules of this module."""
    found = []
    for operation in sorted(before.keys() & after.keys()):
        old, new = sorted(before[operation]), sorted(after[operation])
        if min(len(old), len(new)) < MIN_SAMPLES:
            continue
        slowdown = Slowdown(
            operation,
            median(old),
            median(new),
            _percentile(old, 0.9),
            _percentile(new, 0.9),
            (len(old), len(new)),
            rank_test_p(old, new),
        )
        grew = slowdown.after_ms > factor * slowdown.before_ms and (
            slowdown.after_p90_ms > factor * slowdown.before_p90_ms
        )
        if grew and slowdown.after_ms - slowdown.before_ms >= min_ms and slowdown.p_value < ALPHA:
            found.append(slowdown)
    return found


def _percentile(ordered: Sequence[float], fraction: float) -> float:
    index = min(len(ordered) - 1, max(0, math.ceil(fraction * len(ordered)) - 1))
    return ordered[index]


def rank_test_p(before: Sequence[float], after: Sequence[float]) -> float:
    """One-sided Mann-Whitney U (normal approximation with tie correction): the chance that
    samples of one distribution rank `after` this far above `before`."""
    pooled = sorted([(value, 0) for value in before] + [(value, 1) for value in after])
    ranks: list[float] = [0.0] * len(pooled)
    ties = 0.0
    start = 0
    while start < len(pooled):
        end = start
        while end + 1 < len(pooled) and pooled[end + 1][0] == pooled[start][0]:
            end += 1
        for index in range(start, end + 1):
            ranks[index] = (start + end) / 2 + 1
        size = end - start + 1
        ties += size**3 - size
        start = end + 1
    n1, n2 = len(before), len(after)
    rank_sum_after = sum(rank for rank, (_, side) in zip(ranks, pooled, strict=True) if side)
    u = rank_sum_after - n2 * (n2 + 1) / 2
    total = n1 + n2
    variance = n1 * n2 / 12 * ((total + 1) - ties / (total * (total - 1)))
    if variance <= 0:
        return 1.0
    z = (u - n1 * n2 / 2) / math.sqrt(variance)
    return 0.5 * math.erfc(z / math.sqrt(2))
