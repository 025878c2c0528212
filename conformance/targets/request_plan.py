"""How many requests a tenant-profile run will send, said before it starts.

A tenant admin wants to know what the suite will cost their tenant before it runs. The
figures below are what one collected test sent, on average, in tenant-profile runs (3 examples,
6 state-machine steps) against a `--target` emulator with `--rate-limit off`: counted per
test from the guest session's exchanges, over four runs (593, 555, 560 and 584 requests);
the lifecycle and collection tests re-measured since, over three runs (645, 662 and 643).
`tests/conformance_runs/test_request_plan.py` reads a tenant-profile run (of the whole suite,
and a read-only one) against a tenant-like emulator and fails when the plan is more than 25%
off, so a change to the suite that changes its traffic must update them here.

State machines vary most (the campaign machine sent 60 to 72 requests): hypothesis draws
how many steps each example takes.
"""

from __future__ import annotations

from collections.abc import Iterable

import pytest

import spec
from conformance.targets import rate_limit_probe
from spec.rate_limit import RateLimit

# Requests one collected test sends under the tenant profile, by test function.
PER_TEST = {
    "test_401_without_a_token": 1.6,
    "test_403_with_a_token_lacking_the_authority": 1.55,
    "test_unknown_ids_are_404": 1.7,
    "test_malformed_bodies_are_400": 1.85,
    "test_operation_honours_the_spec": 3.7,
    "test_stateful_links": 56,
    "test_documented_example_request": 1.4,
    "test_campaign_lifecycle": 66,
    "test_template_lifecycle": 42,
    "test_documented_lifecycle_walkthrough": 25,
    "test_documented_template_walkthrough": 18,
    "test_reassign_moves_only_the_campaigns_own_certifications": 16,
    "test_reports_configuration_round_trips": 6,
    "test_each_documented_filter_returns_only_matching_items": 25.3,
    "test_generated_filters_match_their_oracle": 3,
    "test_generated_sorters_order_as_their_oracle": 6,
    "test_undocumented_fields_operators_and_bad_syntax_are_400": 11.5,
    "test_sorters_ascending_descending_and_multi_key": 11,
    "test_pages_concatenate_without_gaps_or_duplicates": 11,
    "test_count_is_the_filtered_total_and_limit_is_bounded": 4,
    "test_slim_is_the_default_and_full_adds_the_campaign_fields": 3,
    "test_invalid_campaign_bodies_are_400": 4,
    "test_invalid_schedules_to_an_owned_template_are_400": 5,
    "test_invalid_deadline_durations_to_an_owned_template_are_400": 5,
    "test_malformed_patches_to_owned_objects_are_400": 11,
    "test_invalid_time_zones_to_an_owned_staged_campaign_are_400": 4,
    "test_completing_without_an_action_approves": 0,
    "test_drift_create_campaign_answers_200_or_202": 1,
    "test_drift_machine_account_is_a_campaign_type": 2,
    "test_drift_schedule_members_the_vendor_marks_nullable": 2,
    "test_an_expired_token_is_refused": 0,  # skipped: a tenant's tokens outlive the run
}
# With --read-only only GET requests are sent: what still runs (63 requests in all, measured
# the same way); every other measured test skips.
READ_ONLY_PER_TEST = {
    "test_401_without_a_token": 1,
    "test_403_with_a_token_lacking_the_authority": 1,
    "test_unknown_ids_are_404": 1,
    "test_operation_honours_the_spec": 2,
    "test_documented_example_request": 1,
    "test_undocumented_fields_operators_and_bad_syntax_are_400": 11.5,
    "test_an_expired_token_is_refused": 0,
}
RATE_LIMIT_TEST = (
    "test_429_carries_retry_after"  # on a tenant: conformance/targets/rate_limit_probe.py
)
UNMEASURED_TEST = 5  # a test added since the figures above were measured
RUN_OVERHEAD = 28  # outside the tests: the end-of-run cleanup and restore
# The time model of `estimated_seconds`, fitted to benchmarks/tenant_latency.py's runs at
# 300 ms (one process: 222 s; six workers: 81 to 96 s, the plan saying 101 s before this
# figure went from 17 to 5: the budget's first window takes a burst, and the workers end
# together since the longest chains go first).
BALANCE = 0.8  # of several workers' time, the share busy: tests do not split evenly
START_SECONDS = 8.0  # pytest's start and the preflight
WORKERS_START_AND_TAIL_SECONDS = 5.0  # several workers: their start, the last one's tail


def planned_requests(
    items: Iterable[pytest.Item], read_only: bool = False, rate: RateLimit | None = None
) -> int:
    """Requests the tenant profile will send for these collected tests; with the tenant's
    rate limit `rate`, the 429 rule's own token's too (every profile, read-only included)."""
    tests = [
        (getattr(item, "originalname", item.name), _skipped_when_read_only(item)) for item in items
    ]
    return _planned(tests, read_only, rate)


def planned_from_ids(ids: Iterable[str], read_only: bool = False, rate: RateLimit | None = None):
    """The same from test ids (what a pytest-xdist controller learns of the collection); a
    test that needs `writable` is not seen in its id, so a read-only plan may count it."""
    return _planned([_test_of_id(nodeid) for nodeid in ids], read_only, rate)


def per_test_from_ids(ids: Iterable[str], read_only: bool = False) -> list[float]:
    """What each of these tests sends within the rate budget (the run's own cost apart)."""
    return [_test_requests(*_test_of_id(nodeid), read_only, None) for nodeid in ids]


def _test_of_id(nodeid: str) -> tuple[str, bool]:
    name, _, params = nodeid.split("::")[-1].partition("[")
    operations = [part for part in params.rstrip("]").split("-") if part in _OPERATION_IDS]
    return name, any(_changes(operation) for operation in operations)


_OPERATION_IDS = {operation["operationId"] for *_, operation in spec.operations(neighbours=True)}


def _planned(tests: list[tuple[str, bool]], read_only: bool, rate: RateLimit | None) -> int:
    total = 0.0 if read_only else float(RUN_OVERHEAD)  # a read-only run creates nothing
    return round(total + sum(_test_requests(*test, read_only, rate) for test in tests))


def _test_requests(
    name: str, skipped_when_read_only: bool, read_only: bool, rate: RateLimit | None
) -> float:
    if name == RATE_LIMIT_TEST:
        return rate_limit_probe.planned_requests(rate) if rate else 0
    if not read_only:
        return PER_TEST.get(name, UNMEASURED_TEST)
    if skipped_when_read_only:
        return 0
    return READ_ONLY_PER_TEST.get(name, 0 if name in PER_TEST else UNMEASURED_TEST)


def _skipped_when_read_only(item: pytest.Item) -> bool:
    """Tests that must create objects, and the cases of operations other than GET."""
    if "writable" in getattr(item, "fixturenames", ()):
        return True
    params = getattr(getattr(item, "callspec", None), "params", {})
    operation_id = params.get("operation_id")
    return operation_id is not None and _changes(operation_id)


def _changes(operation_id: str) -> bool:
    return spec.operation_by_id(operation_id)[0] != "GET"


def outside_the_budget(names: Iterable[str], rate: RateLimit | None) -> int:
    """Of the planned requests, those the 429 rule's own token sends (outside the budget)."""
    collected = RATE_LIMIT_TEST in {name.split("::")[-1].split("[")[0] for name in names}
    return rate_limit_probe.planned_requests(rate) if rate and collected else 0


def announcement(
    planned: int,
    rate: RateLimit | None,
    round_trip: float = 0.0,
    workers: int = 1,
    outside: int = 0,
) -> str:
    """The line printed before the run: the requests, the least time those within the rate
    budget take at the limit, and the time the run will take (`estimated_seconds`)."""
    budgeted = planned - outside
    floor = ""
    if rate is not None:
        floor = f", at least {rate.seconds_for(budgeted):.0f}s at {rate}"
    estimate = ""
    if round_trip:
        seconds = estimated_seconds(budgeted, rate, round_trip, workers)
        estimate = (
            f"; about {seconds:.0f}s at the {round_trip * 1000:.0f} ms a request took in the "
            f"preflight, with {workers} worker{'s' if workers > 1 else ''}"
        )
    return (
        f"conformance: tenant profile plans about {planned} requests{floor}{estimate} "
        "(the summary at the end gives the real count)"
    )


def estimated_seconds(
    planned: int, rate: RateLimit | None, round_trip: float, workers: int = 1
) -> float:
    """How long the run will take: each worker sends one request at a time, so it waits
    `round_trip` (the preflight's request, the server's time included) per request, and the
    rate limit bounds them all together; whichever is slower decides, plus the start."""
    alone = workers == 1
    waiting = planned * round_trip / workers / (1.0 if alone else BALANCE)
    limited = rate.seconds_for(planned) if rate else 0.0
    start = START_SECONDS + (0.0 if alone else WORKERS_START_AND_TAIL_SECONDS)
    return max(waiting, limited) + start
